package music_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/bottest"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/examples/music"
	"github.com/parleybot/parley/hook/process"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/memory"
)

var update = flag.Bool("update", false, "rewrite the transcripts' expected lines from what the bot says")

const (
	botID  = "MUSICBOT01"
	locale = "ko_KR"
)

// artists reads the shipped dataset.
func artists(t testing.TB) []music.Artist {
	t.Helper()
	f, err := os.Open("data/artists.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list, err := music.ReadArtists(f)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// pythonHook starts the bot's code hook as `parley serve` does: its
// codeHooks binding, run by the local Python runner from the bot's folder.
func pythonHook(t *testing.T, bot *parley.Bot) parley.CodeHook {
	t.Helper()
	requirePython(t)
	b := bot.CodeHookBinding(parley.DraftAliasID, locale)
	if b == nil {
		t.Fatal("the bot binds no code hook")
	}
	h, err := process.New(b.URI, process.Options{Dir: "."})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// servedEnv is the environment `parley serve` would see: the process's,
// with the KakaoTalk channel's secret set.
func servedEnv(key string) (string, bool) {
	if key == "MUSIC_KAKAO_SKILL_KEY" {
		return testSkillKey, true
	}
	return os.LookupEnv(key)
}

// requirePython skips a test that needs the hook's runtime where there is
// none, except under CI, where it must be there.
func requirePython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 is required under CI=true: %v", err)
		}
		t.Skipf("python3 not found: %v", err)
	}
}

func loadBot(t *testing.T) *parley.Bot {
	t.Helper()
	bot, err := botdef.LoadWith(".", botdef.Options{LookupEnv: servedEnv})
	if err != nil {
		t.Fatalf("load bot: %v", err)
	}
	return bot
}

// newEngine serves the bot with its Python hook over a memory store.
func newEngine(t *testing.T) (*engine.Engine, *parley.Bot) {
	t.Helper()
	bot := loadBot(t)
	hook := pythonHook(t, bot)
	store := memory.New(memory.Options{Now: time.Now})
	t.Cleanup(func() { store.Close() })
	eng, err := engine.New(engine.Options{
		Store:    store,
		Trainer:  nlu.New(),
		CodeHook: func(string, string, string) parley.CodeHook { return hook },
	}, bot)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	return eng, bot
}

func TestTranscripts(t *testing.T) {
	// bottest reads the bot file as serve does, channel secrets included.
	t.Setenv("MUSIC_KAKAO_SKILL_KEY", testSkillKey)
	bot := loadBot(t)
	bottest.RunWith(t, "testdata/transcripts", bottest.Options{Hooks: map[string]parley.CodeHook{botID: pythonHook(t, bot)}})
}

func TestDataset(t *testing.T) {
	list := artists(t)
	if len(list) < 40 {
		t.Errorf("%d artists, want at least 40", len(list))
	}
	for _, a := range list {
		if len(a.Related) < 3 || len(a.Tracks) < 3 {
			t.Errorf("%s: %d related artists and %d tracks, want 3 or more of each (the carousel shows 3 related artists)", a.Name, len(a.Related), len(a.Tracks))
		}
	}
}

// TestSlotTypeMatchesDataset is what keeps the generated file honest: the
// committed Artist.yaml is exactly what the generator makes of the CSV,
// and the bot loads it with every artist and spelling.
func TestSlotTypeMatchesDataset(t *testing.T) {
	list := artists(t)
	got, err := os.ReadFile("locales/ko_KR/slotTypes/Artist.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := music.SlotTypeYAML(list); !bytes.Equal(got, want) {
		t.Fatal("locales/ko_KR/slotTypes/Artist.yaml is out of date with data/artists.csv: run go run ./examples/music/gen")
	}
	st := loadBot(t).Locale(locale).SlotType("Artist")
	if st == nil || !st.Restricted() || len(st.Values) != len(list) {
		t.Fatalf("slot type Artist %+v, want TOP_RESOLUTION with %d values", st, len(list))
	}
	for i, a := range list {
		v := st.Values[i]
		if v.Value != a.Name || !slices.Equal(v.Synonyms, a.Spellings()[1:]) {
			t.Errorf("value %d: %q %q, want %q %q", i, v.Value, v.Synonyms, a.Name, a.Spellings()[1:])
		}
	}
}

// TestEveryArtist asks for every artist of the dataset by each of its
// spellings and checks that the reply carries that artist's row: the
// genre, the top tracks and the related artists' cards, each card with an
// image and each related artist with a button that asks for them.
func TestEveryArtist(t *testing.T) {
	eng, bot := newEngine(t)
	byName := map[string]music.Artist{}
	for _, a := range artists(t) {
		byName[a.Name] = a
	}
	n := 0
	for _, a := range artists(t) {
		asks := []string{a.Name + " 노래 추천해줘"}
		for _, s := range a.Spellings()[1:] {
			asks = append(asks, s+" 좋아해")
		}
		for _, ask := range asks {
			n++
			key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: locale, SessionID: fmt.Sprintf("every-%d", n)}
			res, err := eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key, Text: ask})
			if err != nil {
				t.Errorf("%q: %v", ask, err)
				continue
			}
			if problem := checkReply(res, a, byName); problem != "" {
				t.Errorf("%q: %s", ask, problem)
			}
		}
	}
}

// checkReply says what is wrong with a recommendation of a, or "".
func checkReply(res *parley.TurnResult, a music.Artist, byName map[string]music.Artist) string {
	in := res.SessionState.Intent
	if in == nil || in.Name != "RecommendMusic" || in.State != parley.IntentFulfilled {
		return "intent " + intentString(in) + ", want RecommendMusic Fulfilled; bot said " + said(res)
	}
	if got := res.SessionState.SessionAttributes["lastArtist"]; got != a.Name {
		return "lastArtist " + got + ", want " + a.Name
	}
	msgs := res.Messages
	if len(msgs) != 2+min(3, len(a.Related)) {
		return "bot said " + said(res)
	}
	if msgs[0].ContentType != parley.ContentPlainText || !strings.Contains(msgs[0].Content, a.Genre) {
		return "first message " + msgs[0].Content + ", want the genre " + a.Genre
	}
	for _, m := range msgs[1:] {
		if m.ContentType != parley.ContentImageResponseCard || m.ImageResponseCard.ImageURL == "" {
			return "want image cards after the text; bot said " + said(res)
		}
	}
	tracks := msgs[1].ImageResponseCard
	if tracks.Title != a.Name+" 대표곡" || tracks.Subtitle != strings.Join(a.Tracks, " · ") {
		return "tracks card " + tracks.Title + " / " + tracks.Subtitle
	}
	for i, name := range a.Related[:len(msgs)-2] {
		c := msgs[2+i].ImageResponseCard
		other := byName[name]
		if c.Title != name || !strings.Contains(c.Subtitle, other.Genre) || !strings.Contains(c.Subtitle, other.Tracks[0]) {
			return "related card " + c.Title + " / " + c.Subtitle + ", want " + name
		}
		if len(c.Buttons) != 1 || c.Buttons[0].Value != name+" 노래 추천해줘" {
			return "related card " + name + " buttons wrong"
		}
	}
	return ""
}

func intentString(in *parley.SessionIntent) string {
	if in == nil {
		return "none"
	}
	return in.Name + " " + string(in.State)
}

func said(res *parley.TurnResult) string {
	var parts []string
	for _, m := range res.Messages {
		if m.ImageResponseCard != nil {
			parts = append(parts, "card: "+m.ImageResponseCard.Title)
		} else {
			parts = append(parts, m.Content)
		}
	}
	return strings.Join(parts, " | ")
}
