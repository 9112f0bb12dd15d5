package entity_test

import (
	"fmt"
	"time"

	"github.com/parleybot/parley/nlu/entity"
)

func ExampleFind() {
	now := time.Date(2026, 5, 13, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))
	text := "다음 주 금요일 오후 세시 반에 피자 두 판이요"
	for _, typ := range []string{"AMAZON.Date", "AMAZON.Time", "AMAZON.Number"} {
		for _, m := range entity.Find(typ, "ko_KR", text, now) {
			fmt.Printf("%s %q → %s\n", typ, m.Text, m.Value)
		}
	}
	// An hour without a period word is ambiguous; Lex re-asks with both.
	m := entity.Find("AMAZON.Time", "en_US", "10 o'clock", now)[0]
	fmt.Println(m.Ambiguous, m.Resolved)
	// Output:
	// AMAZON.Date "다음 주 금요일" → 2026-05-22
	// AMAZON.Time "오후 세시 반" → 15:30
	// AMAZON.Number "세" → 3
	// AMAZON.Number "두" → 2
	// true [10:00 22:00]
}
