package cli

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/convtest"
)

type testFlags struct {
	locale, logLevel string
	junit, record    string
	fromLog          string
	noHooks          bool
	parallel         int
}

func newTestCommand(env Env) *cobra.Command {
	var f testFlags
	cmd := &cobra.Command{
		Use:   "test BOT_PATH [FILE...]",
		Short: "Run conversation tests against a bot",
		Long: "Test plays conversation test files against a bot in-process, with its code\n" +
			"hooks as serve runs them, each conversation in a session of its own and the\n" +
			"conversations in parallel. It prints a line per conversation and, for a\n" +
			"failed one, each turn's expected and actual intent, slots, state, dialog\n" +
			"action and message; the exit status is 1 when any failed. FILEs are YAML\n" +
			"test files or Lex Test Workbench CSV test sets (format: convtest/FORMAT.md);\n" +
			"without FILEs it runs BOT_PATH/tests/*.yaml, *.yml and *.csv (for a bot in a\n" +
			"folder named bot, the tests folder beside it when BOT_PATH/tests has none).\n\n" +
			"With --record FILE it chats instead, reading one user turn a line from\n" +
			"standard input and printing the replies as chat does, and writes the\n" +
			"conversation to FILE as a test that expects what the bot answered. With\n" +
			"--from-log LOG it reads Lex V2 text conversation logs (JSON, one entry a\n" +
			"line) instead, without running the bot: one test a session, FILE itself\n" +
			"when the log holds one session, FILE's name plus the session id otherwise.",
		Example: "  parley test examples/hello\n" +
			"  parley test examples/pizza --no-hooks --junit report.xml\n" +
			"  parley test examples/hello testset.csv\n" +
			"  printf '안녕\\n홍길동\\n네\\n' | parley test examples/hello --record examples/hello/tests/greet.yaml",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTest(cmd, env, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.locale, "locale", "", "locale of conversations that name none (default: the bot's first locale)")
	fl.StringVar(&f.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	fl.StringVar(&f.junit, "junit", "", "also write the results as JUnit XML to this file")
	fl.StringVar(&f.record, "record", "", "chat from standard input and write the conversation to this test file")
	fl.StringVar(&f.fromLog, "from-log", "", "with --record: read Lex V2 conversation logs from this file instead of chatting")
	fl.BoolVar(&f.noHooks, "no-hooks", false, "run without the bot's code hooks: every code hook step delegates to the dialog")
	fl.IntVar(&f.parallel, "parallel", runtime.GOMAXPROCS(0), "conversations run at once")
	return cmd
}

func runTest(cmd *cobra.Command, env Env, args []string, f testFlags) error {
	if f.record != "" && len(args) > 1 {
		return errors.New("--record takes no test FILEs")
	}
	if f.fromLog != "" {
		if f.record == "" {
			return errors.New("--from-log needs --record FILE")
		}
		return recordLogs(cmd, f.fromLog, f.record)
	}
	level, err := parseLevel(f.logLevel)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
	var files []*convtest.File
	if f.record == "" {
		if files, err = readTestFiles(args[0], args[1:]); err != nil {
			return err
		}
	}
	llm, err := llmFromEnv(env)
	if err != nil {
		return err
	}
	c, err := OpenChat(args[0], ChatOptions{Locale: f.locale, Session: "record", Logger: logger, NoHooks: f.noHooks, Hooks: HookOptions{Env: env}, LLM: llm})
	if err != nil {
		return reportProblems(cmd.ErrOrStderr(), err)
	}
	defer c.Close()
	if f.record != "" {
		return record(cmd, c, f.record)
	}
	// A file that names its bot is checked against the bot loaded, so a
	// test run against the wrong bot fails for that reason, not as a pile
	// of unrecognised turns.
	for _, file := range files {
		for _, conv := range file.Conversations {
			if conv.Bot != "" && conv.Bot != c.bot.ID {
				return fmt.Errorf("%s: written for bot %s, but %s is bot %s", file.Path, conv.Bot, args[0], c.bot.ID)
			}
		}
	}
	results := convtest.Run(cmd.Context(), convtest.Target{
		Runtime:  c.engine,
		BotID:    c.key.BotID,
		AliasID:  c.key.AliasID,
		Locale:   c.key.LocaleID,
		Parallel: f.parallel,
	}, files)
	if err := convtest.WriteText(cmd.OutOrStdout(), results); err != nil {
		return err
	}
	if f.junit != "" {
		if err := writeJUnit(f.junit, c.bot.Name, results); err != nil {
			return err
		}
	}
	if convtest.Summarize(results).Failed > 0 {
		return exitStatus(1)
	}
	return nil
}

// readTestFiles reads the named test files, or the bot's tests/*.yaml and
// tests/*.csv when none are named.
func readTestFiles(botPath string, paths []string) ([]*convtest.File, error) {
	if len(paths) == 0 {
		dir := botPath
		if st, err := os.Stat(botPath); err == nil && !st.IsDir() {
			dir = filepath.Dir(botPath)
		}
		dirs := []string{filepath.Join(dir, "tests")}
		// A Go program that embeds Parley keeps its bot in bot/ beside
		// main.go (examples/pizza-go); its tests sit beside them too.
		if filepath.Base(filepath.Clean(dir)) == "bot" {
			dirs = append(dirs, filepath.Join(filepath.Dir(filepath.Clean(dir)), "tests"))
		}
		for _, d := range dirs {
			for _, pattern := range []string{"*.yaml", "*.yml", "*.csv"} {
				m, err := filepath.Glob(filepath.Join(d, pattern))
				if err != nil {
					return nil, fmt.Errorf("find tests: %w", err)
				}
				paths = append(paths, m...)
			}
			if len(paths) > 0 {
				break
			}
		}
		slices.Sort(paths)
		if len(paths) == 0 {
			return nil, fmt.Errorf("no test files in %s (*.yaml, *.yml or *.csv); name them after the bot path", strings.Join(dirs, " or "))
		}
	}
	var files []*convtest.File
	var errs []error
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("read test file: %w", err))
			continue
		}
		parse := convtest.ParseYAML
		if strings.EqualFold(filepath.Ext(p), ".csv") {
			parse = convtest.ParseCSV
		}
		file, err := parse(p, data)
		if err != nil {
			errs = append(errs, userError(err))
			continue
		}
		files = append(files, file)
	}
	return files, errors.Join(errs...)
}

func writeJUnit(path, name string, results []*convtest.FileResult) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	if err := convtest.WriteJUnit(out, name, results); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	return nil
}

// record chats from standard input like chat's piped mode and writes what
// was said as a test file at path.
func record(cmd *cobra.Command, c *Chat, path string) error {
	conv := &convtest.Conversation{
		Name:   strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		Bot:    c.bot.ID,
		Locale: c.key.LocaleID,
	}
	out := bufio.NewWriter(cmd.OutOrStdout())
	sc := bufio.NewScanner(cmd.InOrStdin())
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		res, err := c.engine.RecognizeText(cmd.Context(), &parley.TurnRequest{Key: c.key, Text: text})
		if err != nil {
			return fmt.Errorf("turn %q: %s: %s", text, parley.ErrorCodeOf(err), parley.ErrorMessageOf(err))
		}
		conv.Turns = append(conv.Turns, &convtest.Turn{User: text, Expect: convtest.Expectation(res)})
		n := 0
		for _, m := range res.Messages {
			fmt.Fprintln(out, renderLine(m, &n))
		}
		fmt.Fprintln(out)
		if err := out.Flush(); err != nil {
			return fmt.Errorf("write reply: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if len(conv.Turns) == 0 {
		return errors.New("--record: no turns on standard input; nothing written")
	}
	data, err := convtest.MarshalYAML(conv)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write test file: %w", err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d turns to %s\n", len(conv.Turns), path)
	return nil
}

// recordLogs writes a test file per session of a conversation log.
func recordLogs(cmd *cobra.Command, logPath, path string) error {
	data, err := os.ReadFile(logPath)
	if err != nil {
		return fmt.Errorf("read conversation log: %w", err)
	}
	convs, err := convtest.ParseConversationLogs(logPath, data)
	if err != nil {
		return userError(err)
	}
	ext := filepath.Ext(path)
	for _, c := range convs {
		out := path
		if len(convs) > 1 {
			id := strings.Map(func(r rune) rune {
				if r == '-' || r == '_' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
					return r
				}
				return '_'
			}, strings.TrimPrefix(c.Name, "session "))
			out = strings.TrimSuffix(path, ext) + "-" + id + ext
		}
		data, err := convtest.MarshalYAML(c)
		if err != nil {
			return err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return fmt.Errorf("write test file: %w", err)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d turns to %s\n", len(c.Turns), out)
	}
	return nil
}
