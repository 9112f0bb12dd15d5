package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/parleybot/parley/convlog"
)

// FollowEvery is how often `parley logs --follow` looks for new records.
const FollowEvery = 250 * time.Millisecond

func newLogsCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logs",
		Short: "Show the conversation log: one line per turn, or the records as JSON lines",
		Long: "Logs reads the conversation log that parley serve --conversation-log DIR writes\n" +
			"(one JSON line per turn, one file a day) and prints the turns oldest first,\n" +
			"one line each: time, bot/alias/locale, session, chosen intent with its score\n" +
			"and slots, what the user said, what the bot answered, and the turn's time.\n" +
			"Missed utterances (fallback or below the confidence threshold) are marked\n" +
			"MISSED. --json writes the selected records as JSON lines instead: the export.\n" +
			"--since and --until take RFC 3339 times (2026-11-23T09:00:00Z), dates\n" +
			"(2026-11-23) or an age such as 90m, 1h or 7d. --follow keeps printing new\n" +
			"turns until interrupted.",
		Example: "  parley logs --dir logs --since 1h\n" +
			"  parley logs --dir logs --session s-42 --follow\n" +
			"  parley logs --dir logs --intent FallbackIntent --since 7d --json > missed.jsonl",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, f, err := logSelection(cmd, env)
			if err != nil {
				return err
			}
			asJSON, _ := cmd.Flags().GetBool("json")
			follow, _ := cmd.Flags().GetBool("follow")
			w := bufio.NewWriter(cmd.OutOrStdout())
			defer w.Flush()
			show := func(r convlog.Record) error {
				if asJSON {
					data, err := json.Marshal(r)
					if err != nil {
						return fmt.Errorf("logs: %w", err)
					}
					w.Write(append(data, '\n'))
				} else {
					writeTurnLine(w, &r)
				}
				if follow {
					return w.Flush()
				}
				return nil
			}
			if follow {
				ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				return convlog.Follow(ctx, dir, f, FollowEvery, show)
			}
			skipped, err := convlog.Read(dir, f, show)
			warnSkipped(cmd.ErrOrStderr(), skipped)
			return err
		},
	}
	addLogSelectionFlags(cmd)
	cmd.Flags().String("session", "", "only this session id")
	cmd.Flags().String("intent", "", "only turns that chose this intent")
	cmd.Flags().String("bot", "", "only this bot id")
	cmd.Flags().String("until", "", "only turns before this time (RFC 3339, date, or an age such as 1h or 7d)")
	cmd.Flags().Bool("missed", false, "only missed utterances")
	cmd.Flags().BoolP("follow", "f", false, "keep printing new turns until interrupted")
	cmd.Flags().Bool("json", false, "write the records as JSON lines (the export format)")
	return cmd
}

func newStatsCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Summarise the conversation log: turns, sessions, fallback rate, intents, missed utterances",
		Long: "Stats reads the conversation log that parley serve --conversation-log DIR writes\n" +
			"and prints the number of turns and sessions, the failed turns, the fallback\n" +
			"rate (missed utterances among the answered RecognizeText turns), how often\n" +
			"each intent was chosen, and the most frequent missed utterances with similar\n" +
			"ones grouped (character bigram similarity, so rephrasings and spacing\n" +
			"variants, Korean included, count together): the list to add sample\n" +
			"utterances from. --json writes the same as one JSON object.",
		Example: "  parley stats --dir logs --since 7d\n" +
			"  parley stats --dir logs --bot HELLOBOT01 --top 50 --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, f, err := logSelection(cmd, env)
			if err != nil {
				return err
			}
			top, _ := cmd.Flags().GetInt("top")
			var sum convlog.Summary
			skipped, err := convlog.Read(dir, f, func(r convlog.Record) error { sum.Add(&r); return nil })
			if err != nil {
				return err
			}
			warnSkipped(cmd.ErrOrStderr(), skipped)
			st := sum.Stats(top, 3)
			if asJSON, _ := cmd.Flags().GetBool("json"); asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(st); err != nil {
					return fmt.Errorf("stats: %w", err)
				}
				return nil
			}
			writeStats(cmd.OutOrStdout(), st)
			return nil
		},
	}
	addLogSelectionFlags(cmd)
	cmd.Flags().String("bot", "", "only this bot id")
	cmd.Flags().String("until", "", "only turns before this time (RFC 3339, date, or an age such as 1h or 7d)")
	cmd.Flags().Int("top", 20, "how many missed-utterance groups to list (0: all)")
	cmd.Flags().Bool("json", false, "write the summary as JSON")
	return cmd
}

// addLogSelectionFlags adds the flags both commands share.
func addLogSelectionFlags(cmd *cobra.Command) {
	cmd.Flags().String("dir", "", "the conversation log directory (env PARLEY_CONVERSATION_LOG)")
	cmd.Flags().String("since", "", "only turns from this time on (RFC 3339, date, or an age such as 1h or 7d)")
}

// logSelection reads the directory and filter flags of logs and stats.
func logSelection(cmd *cobra.Command, env Env) (string, convlog.Filter, error) {
	flags := cmd.Flags()
	dir, _ := flags.GetString("dir")
	if dir == "" && env != nil {
		dir, _ = env("PARLEY_CONVERSATION_LOG")
	}
	if dir == "" {
		return "", convlog.Filter{}, errors.New("no conversation log directory: pass --dir DIR or set PARLEY_CONVERSATION_LOG (parley serve --conversation-log DIR writes it)")
	}
	if _, err := os.Stat(dir); err != nil {
		return "", convlog.Filter{}, fmt.Errorf("conversation log: %w", err)
	}
	var f convlog.Filter
	str := func(name string) string {
		if flags.Lookup(name) == nil {
			return ""
		}
		v, _ := flags.GetString(name)
		return v
	}
	f.SessionID, f.Intent, f.BotID = str("session"), str("intent"), str("bot")
	if flags.Lookup("missed") != nil {
		f.Missed, _ = flags.GetBool("missed")
	}
	now := time.Now()
	var err error
	if f.Since, err = parseTimeFlag(str("since"), now); err != nil {
		return "", f, fmt.Errorf("--since: %w", err)
	}
	if f.Until, err = parseTimeFlag(str("until"), now); err != nil {
		return "", f, fmt.Errorf("--until: %w", err)
	}
	return dir, f, nil
}

// parseTimeFlag reads a --since or --until value: an RFC 3339 time, a
// date (midnight UTC), or an age before now such as "90m", "1h" or "7d";
// "" is no bound.
func parseTimeFlag(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q: want an RFC 3339 time (2026-11-23T09:00:00Z), a date (2026-11-23) or an age (90m, 1h, 7d)", s)
}

func warnSkipped(w io.Writer, n int) {
	if n > 0 {
		fmt.Fprintf(w, "parley: skipped %d lines that are not turn records\n", n)
	}
}

// writeTurnLine prints one turn on one line:
//
//	2026-11-23T10:00:00.123Z HELLOBOT01/TSTALIASID/ko_KR s1 HelloIntent 0.93 {Name=김민수} "저는 김민수입니다" -> "김민수님이 맞으세요?" 2.1ms
func writeTurnLine(w io.Writer, r *convlog.Record) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s/%s/%s %s", r.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z"), r.Bot.ID, r.Bot.AliasID, r.Bot.LocaleID, r.SessionID)
	if r.OperationName != convlog.OpRecognizeText {
		fmt.Fprintf(&b, " [%s]", r.OperationName)
	}
	intent := r.Intent
	if intent == "" {
		intent = "-"
	}
	b.WriteString(" " + intent)
	if r.Confidence != nil {
		fmt.Fprintf(&b, " %.2f", *r.Confidence)
	}
	if len(r.Slots) > 0 {
		var slots []string
		for _, name := range slices.Sorted(maps.Keys(r.Slots)) {
			if v := r.Slots[name]; v.Value != nil {
				slots = append(slots, name+"="+v.Value.InterpretedValue)
			} else if len(v.Values) > 0 {
				slots = append(slots, fmt.Sprintf("%s=[%d values]", name, len(v.Values)))
			}
		}
		if len(slots) > 0 {
			b.WriteString(" {" + strings.Join(slots, ", ") + "}")
		}
	}
	if r.MissedUtterance {
		b.WriteString(" MISSED")
	}
	if r.InputTranscript != "" {
		b.WriteString(" " + strconv.Quote(r.InputTranscript))
	}
	var said []string
	for _, m := range r.Messages {
		text := m.Content
		if text == "" && m.ImageResponseCard != nil {
			text = "[card: " + m.ImageResponseCard.Title + "]"
		}
		said = append(said, text)
	}
	if len(said) > 0 {
		b.WriteString(" -> " + strconv.Quote(strings.Join(said, " / ")))
	}
	fmt.Fprintf(&b, " %.1fms", r.Latency.TotalMs)
	if r.Latency.HooksMs >= 0.05 {
		fmt.Fprintf(&b, " (hooks %.1fms)", r.Latency.HooksMs)
	}
	if r.Latency.LLMMs >= 0.05 {
		fmt.Fprintf(&b, " (llm %.1fms)", r.Latency.LLMMs)
	}
	if r.Error != nil {
		fmt.Fprintf(&b, " ERROR %s: %s", r.Error.Code, r.Error.Message)
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

// writeStats prints a summary for people.
func writeStats(w io.Writer, st convlog.Stats) {
	if st.Turns == 0 {
		fmt.Fprintln(w, "no turns")
		return
	}
	fmt.Fprintf(w, "turns %d, sessions %d, failed %d (%s to %s)\n", st.Turns, st.Sessions, st.Errors,
		st.From.UTC().Format(time.RFC3339), st.To.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "utterances %d, missed %d, fallback rate %.1f%%\n", st.Utterances, st.Missed, 100*st.FallbackRate)
	if len(st.Intents) > 0 {
		fmt.Fprintln(w, "\nintents:")
		width := 0
		for _, in := range st.Intents {
			width = max(width, len(in.Intent))
		}
		for _, in := range st.Intents {
			fmt.Fprintf(w, "  %-*s %6d  %5.1f%%\n", width, in.Intent, in.Count, 100*in.Share)
		}
	}
	if len(st.MissedGroups) > 0 {
		fmt.Fprintln(w, "\nmissed utterances (similar ones grouped, most frequent first):")
		for _, g := range st.MissedGroups {
			quoted := make([]string, len(g.Examples))
			for i, e := range g.Examples {
				quoted[i] = strconv.Quote(e)
			}
			line := fmt.Sprintf("  %6d  %s", g.Count, strings.Join(quoted, ", "))
			if more := g.Distinct - len(g.Examples); more > 0 {
				line += fmt.Sprintf(" (+%d similar)", more)
			}
			fmt.Fprintln(w, line)
		}
	}
}
