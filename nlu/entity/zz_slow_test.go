package entity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/nlu/entity"
)

func TestZZSlow(t *testing.T) {
	seeds := []string{"삼", "하나 ", "my name is ", "저는 ", "not ", "half ", "and a half ", "an hour and ", "5 hours ", "1시간 ", "一个半", "十", "point ", "minus ", "3/", "2026-", "1:", "오후 ", "다음 주 ", "in ", "the ", "下下", "百分之", "john dot ", "a ", "1", "1 ", "세 ", "一", "one ", "a hundred ", "0.", "1,000", "이", "hour ", "１", "at ", "dot ", "+1 ", "(", "x@y.", "叫我"}
	for _, s := range seeds {
		text := strings.Repeat(s, 3000)
		for _, typ := range allTypes {
			for _, loc := range []string{"en_US", "ko_KR", "zh_CN"} {
				st := time.Now()
				entity.Find(typ, loc, text, ref)
				if d := time.Since(st); d > 50*time.Millisecond {
					t.Logf("%q x3000 %s %s: %v", s, typ, loc, d)
				}
			}
		}
	}
}
