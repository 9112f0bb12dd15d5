package botdef_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/parleybot/parley/botdef"
)

// FuzzLoad feeds arbitrary bytes, seeded with the examples and the broken
// files, to the single-file loader: it must never panic, and it returns
// either a usable bot or problems that point into the file.
func FuzzLoad(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"../examples/*/bot.yaml", "../examples/*/locales/*/*/*.yaml", "testdata/*.json", "testdata/broken/*.yaml", "testdata/broken/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, m...)
	}
	if len(seeds) < 10 {
		f.Fatalf("only %d seed files found", len(seeds))
	}
	for _, p := range seeds {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("a: &a [*a]\nb: *a\n"))
	f.Add([]byte("id: X\nlocales: {ko_KR: {intents: [{<<: {name: A}}]}}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		bot, err := botdef.Parse("fuzz.yaml", src)
		if err == nil {
			if bot == nil || len(bot.Locales) == 0 {
				t.Fatalf("no error but bot = %+v", bot)
			}
			for _, l := range bot.Locales {
				if l.FallbackIntent() == nil {
					t.Fatalf("locale %s has no FallbackIntent", l.ID)
				}
			}
			return
		}
		if bot != nil {
			t.Fatalf("error %v with a bot", err)
		}
		var ps botdef.Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error %v is not Problems", err)
		}
		for _, p := range ps {
			if p.File != "fuzz.yaml" || p.Line < 1 || p.Col < 1 || p.Message == "" {
				t.Fatalf("bad problem %#v", p)
			}
		}
	})
}
