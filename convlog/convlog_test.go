package convlog_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/convlog"
)

var day1 = time.Date(2026, 11, 23, 23, 59, 58, 0, time.UTC)

func score(f float64) *float64 { return &f }

// rec returns a RecognizeText record of session at t that chose intent.
func rec(t time.Time, session, intent, input string) convlog.Record {
	r := convlog.Record{
		Timestamp: t, OperationName: convlog.OpRecognizeText, SessionID: session,
		Bot:             convlog.Bot{ID: "HELLOBOT01", AliasID: parley.DraftAliasID, LocaleID: "ko_KR", Version: "DRAFT"},
		InputTranscript: input, Intent: intent,
		Interpretations: []convlog.Interpretation{{Intent: intent, Score: score(0.9)}, {Intent: parley.FallbackIntentName}},
		Messages:        []parley.Message{{ContentType: parley.ContentPlainText, Content: "네"}},
		Latency:         convlog.Latency{TotalMs: 1.5, NLUMs: 0.5},
	}
	if intent == parley.FallbackIntentName {
		r.MissedUtterance = true
		r.Interpretations = r.Interpretations[1:]
	}
	return r
}

func openSink(t *testing.T, dir string, opts convlog.SinkOptions) *convlog.Sink {
	t.Helper()
	s, err := convlog.NewSink(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func readAll(t *testing.T, dir string, f convlog.Filter) []convlog.Record {
	t.Helper()
	var out []convlog.Record
	skipped, err := convlog.Read(dir, f, func(r convlog.Record) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 0 {
		t.Errorf("skipped %d lines", skipped)
	}
	return out
}

func sessions(rs []convlog.Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.SessionID)
	}
	return out
}

func TestSinkWritesDailyFiles(t *testing.T) {
	dir := t.TempDir()
	s := openSink(t, dir, convlog.SinkOptions{})
	for i, at := range []time.Time{day1, day1.Add(time.Second), day1.Add(3 * time.Second), day1.Add(25 * time.Hour)} {
		r := rec(at, "s"+string(rune('1'+i)), "Greet", "안녕")
		if !s.Write(&r) {
			t.Fatalf("record %d dropped", i)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	names := dirNames(t, dir)
	if want := []string{"turns-2026-11-23.jsonl", "turns-2026-11-24.jsonl", "turns-2026-11-25.jsonl"}; !slices.Equal(names, want) {
		t.Fatalf("files = %v, want %v", names, want)
	}
	got := readAll(t, dir, convlog.Filter{})
	if want := []string{"s1", "s2", "s3", "s4"}; !slices.Equal(sessions(got), want) {
		t.Errorf("sessions = %v, want %v", sessions(got), want)
	}
	if got[0].Bot.LocaleID != "ko_KR" || got[0].InputTranscript != "안녕" || *got[0].Interpretations[0].Score != 0.9 || got[0].Messages[0].Content != "네" {
		t.Errorf("record did not round-trip: %+v", got[0])
	}
	if s.Written() != 4 || s.Dropped() != 0 {
		t.Errorf("written %d dropped %d, want 4 and 0", s.Written(), s.Dropped())
	}
	r := rec(day1, "late", "Greet", "hi")
	if s.Write(&r) || s.Dropped() != 1 {
		t.Errorf("a write after Close was not dropped and counted (dropped %d)", s.Dropped())
	}
}

func TestSinkCountsWhatItDrops(t *testing.T) {
	dir := t.TempDir()
	s := openSink(t, dir, convlog.SinkOptions{Buffer: 1})
	const n = 2000
	queued := 0
	for i := range n {
		r := rec(day1, "s", "Greet", strings.Repeat("가", i%50))
		if s.Write(&r) {
			queued++
		}
	}
	s.Close()
	if s.Written()+s.Dropped() != n || int(s.Written()) != queued {
		t.Errorf("written %d + dropped %d != %d (queued %d)", s.Written(), s.Dropped(), n, queued)
	}
	if got := len(readAll(t, dir, convlog.Filter{})); got != int(s.Written()) {
		t.Errorf("files hold %d records, sink says it wrote %d", got, s.Written())
	}
}

func TestSinkCountsWriteFailures(t *testing.T) {
	dir := t.TempDir()
	s := openSink(t, dir, convlog.SinkOptions{})
	// A directory where the day's file should be makes opening it fail.
	if err := os.Mkdir(filepath.Join(dir, convlog.FileName(day1)), 0o755); err != nil {
		t.Fatal(err)
	}
	r := rec(day1, "s", "Greet", "hi")
	s.Write(&r)
	s.Close()
	if s.Dropped() != 1 || s.Written() != 0 {
		t.Errorf("written %d dropped %d, want 0 and 1", s.Written(), s.Dropped())
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestRetention(t *testing.T) {
	tests := []struct {
		name      string
		retention time.Duration
		want      []string
	}{
		{"off keeps all", 0, []string{"notes.txt", "turns-2026-11-01.jsonl", "turns-2026-11-20.jsonl", "turns-2026-11-21.jsonl", "turns-2026-11-22.jsonl", "turns-2026-11-23.jsonl"}},
		// At 12:00 on the 23rd, two days reach back to 12:00 on the 21st:
		// the 21st still holds records to keep, the 20th none.
		{"two days", 48 * time.Hour, []string{"notes.txt", "turns-2026-11-21.jsonl", "turns-2026-11-22.jsonl", "turns-2026-11-23.jsonl"}},
		{"one hour", time.Hour, []string{"notes.txt", "turns-2026-11-23.jsonl"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range []string{"turns-2026-11-01.jsonl", "turns-2026-11-20.jsonl", "turns-2026-11-21.jsonl", "turns-2026-11-22.jsonl", "turns-2026-11-23.jsonl", "notes.txt"} {
				if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			openSink(t, dir, convlog.SinkOptions{Retention: tc.retention, Now: func() time.Time { return now }})
			if got := dirNames(t, dir); !slices.Equal(got, tc.want) {
				t.Errorf("files = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRetentionWhenTheDayChanges(t *testing.T) {
	dir := t.TempDir()
	var now atomic.Pointer[time.Time]
	now.Store(&day1)
	s := openSink(t, dir, convlog.SinkOptions{Retention: 24 * time.Hour, Now: func() time.Time { return *now.Load() }})
	r := rec(day1, "s1", "Greet", "hi")
	s.Write(&r)
	later := day1.Add(49 * time.Hour)
	now.Store(&later)
	// Opening the 26th's file prunes the 23rd's, now two days old.
	r = rec(later, "s2", "Greet", "hi")
	s.Write(&r)
	s.Close()
	if got := dirNames(t, dir); !slices.Equal(got, []string{"turns-2026-11-26.jsonl"}) {
		t.Errorf("files = %v, want only the 26th", got)
	}
}

func TestFilter(t *testing.T) {
	dir := t.TempDir()
	s := openSink(t, dir, convlog.SinkOptions{})
	all := []convlog.Record{
		rec(day1, "a", "Greet", "안녕하세요"),
		rec(day1.Add(time.Second), "a", parley.FallbackIntentName, "날씨 어때"),
		rec(day1.Add(2*time.Hour), "b", "OrderPizza", "피자 주문"),
		rec(day1.Add(50*time.Hour), "c", parley.FallbackIntentName, "뭐라고"),
	}
	all[2].Bot.ID = "PIZZABOT01"
	for i := range all {
		s.Write(&all[i])
	}
	s.Close()
	tests := []struct {
		name string
		f    convlog.Filter
		want []string
	}{
		{"all", convlog.Filter{}, []string{"a", "a", "b", "c"}},
		{"session", convlog.Filter{SessionID: "a"}, []string{"a", "a"}},
		{"intent", convlog.Filter{Intent: "OrderPizza"}, []string{"b"}},
		{"bot", convlog.Filter{BotID: "HELLOBOT01"}, []string{"a", "a", "c"}},
		{"missed", convlog.Filter{Missed: true}, []string{"a", "c"}},
		{"since is inclusive", convlog.Filter{Since: day1.Add(time.Second)}, []string{"a", "b", "c"}},
		{"until is exclusive", convlog.Filter{Until: day1.Add(2 * time.Hour)}, []string{"a", "a"}},
		{"a window in the middle", convlog.Filter{Since: day1.Add(time.Hour), Until: day1.Add(3 * time.Hour)}, []string{"b"}},
		{"nothing", convlog.Filter{SessionID: "zzz"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sessions(readAll(t, dir, tc.f)); !slices.Equal(got, tc.want) {
				t.Errorf("sessions = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestScanRecordsSkipsWhatIsNotARecord(t *testing.T) {
	in := `{"timestamp":"2026-11-23T10:00:00Z","sessionId":"a","bot":{"id":"B"},"latency":{"totalMs":1},"missedUtterance":false}

not json
{"sessionId":"no timestamp"}
[1,2]
{"timestamp":"2026-11-23T10:00:01Z","sessionId":"b"}
{"timestamp":"2026-11-23T10:00:02Z","sessi`
	var got []string
	skipped, err := convlog.ScanRecords(strings.NewReader(in), func(r convlog.Record) error { got = append(got, r.SessionID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"a", "b"}) || skipped != 4 {
		t.Errorf("records %v, skipped %d; want [a b] and 4", got, skipped)
	}
}

func TestFollow(t *testing.T) {
	dir := t.TempDir()
	s := openSink(t, dir, convlog.SinkOptions{})
	first := rec(day1, "before", "Greet", "hi")
	s.Write(&first)
	s.Close()

	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 10)
	done := make(chan error, 1)
	go func() {
		done <- convlog.Follow(ctx, dir, convlog.Filter{Intent: "Greet"}, time.Millisecond, func(r convlog.Record) error {
			got <- r.SessionID
			return nil
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Follow: %v", err)
		}
	})
	expect := func(want string) {
		t.Helper()
		if s := <-got; s != want {
			t.Fatalf("followed %q, want %q", s, want)
		}
	}
	expect("before")

	// A line whose newline is not written yet is not read torn.
	path := filepath.Join(dir, convlog.FileName(day1))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString(`{"timestamp":"2026-11-23T23:59:59Z","sessionId":"torn",`)
	f.WriteString(`"intent":"Greet"}` + "\n")
	expect("torn")

	// Records of the next day, in the next file; one the filter refuses.
	s2 := openSink(t, dir, convlog.SinkOptions{})
	for _, r := range []convlog.Record{rec(day1.Add(time.Hour), "other", "Bye", "bye"), rec(day1.Add(time.Hour), "next day", "Greet", "hi")} {
		s2.Write(&r)
	}
	s2.Close()
	expect("next day")
	select {
	case s := <-got:
		t.Errorf("followed %q, which the filter refuses", s)
	default:
	}
}
