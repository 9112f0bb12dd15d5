package bottest_test

import (
	"fmt"

	"github.com/parleybot/parley/bottest"
)

func ExampleParse() {
	src := `# Greet, then wait past the session TTL.
bot: examples/hello
locale: ko_KR
session: demo

> 안녕
< 이름이 뭐예요?
= action ElicitSlot Name
! wait 301s
`
	tr, err := bottest.Parse("demo.txt", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tr.Bot, tr.Locale, tr.Session, len(tr.Lines))
	// Output: examples/hello ko_KR demo 9
}
