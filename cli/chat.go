package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/peterh/liner"
	"github.com/spf13/cobra"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/memory"
)

func newChatCommand(env Env) *cobra.Command {
	var locale, session, logLevel string
	var noHooks bool
	cmd := &cobra.Command{
		Use:   "chat BOT_PATH",
		Short: "Chat with a bot in the terminal",
		Long: "Chat loads one bot definition (or Amazon Lex V2 export) and talks to it in\n" +
			"the terminal, with line editing and history. Typing the number of a card\n" +
			"button sends its value.\n" +
			"With piped input it answers each input line with one block: the bot's\n" +
			"messages one per line (cards as \"[title] 1) button 2) button\"), then an\n" +
			"empty line. Blank input lines are skipped. Sessions live in memory.",
		Example: "  parley chat examples/hello\n  printf '안녕\\n홍길동\\n네\\n' | parley chat examples/hello",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			level, err := parseLevel(logLevel)
			if err != nil {
				return err
			}
			logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			llm, err := llmFromEnv(env)
			if err != nil {
				return err
			}
			c, err := OpenChat(args[0], ChatOptions{Locale: locale, Session: session, Logger: logger, NoHooks: noHooks, Hooks: HookOptions{Env: env}, LLM: llm})
			if err != nil {
				return reportProblems(cmd.ErrOrStderr(), err)
			}
			defer c.Close()
			if in, ok := cmd.InOrStdin().(*os.File); ok && in == os.Stdin && isTerminal() {
				return c.Interactive(cmd.Context(), cmd.OutOrStdout())
			}
			return c.Script(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&locale, "locale", "", "locale to chat in, e.g. ko_KR (default: the bot's first locale)")
	cmd.Flags().StringVar(&session, "session", "terminal", "session id")
	cmd.Flags().StringVar(&logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	cmd.Flags().BoolVar(&noHooks, "no-hooks", false, "run without the bot's code hooks: every code hook step delegates to the dialog")
	return cmd
}

// isTerminal reports whether standard input is a terminal, the only case
// in which line editing works.
func isTerminal() bool {
	_, err := liner.TerminalMode()
	return err == nil
}

// Chat is a conversation with one bot over an in-process engine and a
// memory session store.
type Chat struct {
	bot    *parley.Bot
	store  parley.SessionStore
	hooks  *Hooks
	engine *engine.Engine
	key    parley.SessionKey
	log    *slog.Logger
	// buttons are the card buttons of the last reply, numbered from 1 in
	// the order shown, so that typing a number sends that button's value.
	buttons []parley.Button
}

// ChatOptions configures OpenChat.
type ChatOptions struct {
	Locale  string       // the locale to chat in; the bot's first when empty
	Session string       // the session id; "terminal" when empty
	Logger  *slog.Logger // discard when nil
	NoHooks bool         // run without the bot's code hooks
	Hooks   HookOptions  // how to build them
	LLM     LLMConfig    // the language model of generative locales; none when empty
}

// OpenChat loads the bot at path, builds its code hooks and starts a
// session.
func OpenChat(path string, opts ChatOptions) (*Chat, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	bots, err := loadBots([]string{path}, channellessBotOptions(), logger)
	if err != nil {
		return nil, err
	}
	bot := bots[0]
	localeID := opts.Locale
	if localeID == "" {
		localeID = bot.Locales[0].ID
	}
	if bot.Locale(localeID) == nil {
		var ids []string
		for _, l := range bot.Locales {
			ids = append(ids, l.ID)
		}
		return nil, fmt.Errorf("bot %s has no locale %s; it has %s", bot.ID, localeID, strings.Join(ids, ", "))
	}
	var hooks *Hooks
	if !opts.NoHooks {
		if opts.Hooks.Logger == nil {
			opts.Hooks.Logger = logger
		}
		if hooks, err = BuildHooks(bots, opts.Hooks); err != nil {
			return nil, err
		}
	}
	gen, err := buildGenerative(opts.LLM, bots, logger)
	if err != nil {
		hooks.Close()
		return nil, err
	}
	store := memory.New(memory.Options{Now: time.Now})
	eng, err := engine.New(gen.engineOptions(engine.Options{Store: store, Trainer: nlu.New(), CodeHook: hooks.For, Now: time.Now, Logger: logger}), bot)
	if err != nil {
		store.Close()
		hooks.Close()
		return nil, fmt.Errorf("start engine: %w", err)
	}
	return &Chat{
		bot:    bot,
		store:  store,
		hooks:  hooks,
		engine: eng,
		key:    parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: localeID, SessionID: cmp.Or(opts.Session, "terminal")},
		log:    logger,
	}, nil
}

// Close releases the session store and stops the code hooks.
func (c *Chat) Close() error { return errors.Join(c.store.Close(), c.hooks.Close()) }

// Send runs one turn and returns what the bot said. A number that names a
// button of the previous reply sends that button's value instead.
func (c *Chat) Send(ctx context.Context, text string) ([]parley.Message, error) {
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(c.buttons) {
		text = c.buttons[n-1].Value
	}
	res, err := c.engine.RecognizeText(ctx, &parley.TurnRequest{Key: c.key, Text: text})
	if err != nil {
		return nil, err
	}
	c.buttons = c.buttons[:0]
	for _, m := range res.Messages {
		if m.ImageResponseCard != nil {
			c.buttons = append(c.buttons, m.ImageResponseCard.Buttons...)
		}
	}
	return res.Messages, nil
}

// Script answers every non-blank line of in with one block on out: the
// messages one per line, then an empty line. A failed turn is reported on
// errOut and leaves an empty block; the exit status is then 1.
func (c *Chat) Script(ctx context.Context, in io.Reader, out, errOut io.Writer) error {
	w := bufio.NewWriter(out)
	defer w.Flush()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	failed := false
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		msgs, err := c.Send(ctx, text)
		if err != nil {
			failed = true
			c.log.Debug("chat: turn failed", "err", err)
			fmt.Fprintf(errOut, "parley: %s: %s\n", parley.ErrorCodeOf(err), parley.ErrorMessageOf(err))
		}
		n := 0
		for _, m := range msgs {
			fmt.Fprintln(w, renderLine(m, &n))
		}
		fmt.Fprintln(w)
		// Flush per block so that a script reading replies sees each one
		// before it writes the next line.
		if err := w.Flush(); err != nil {
			return fmt.Errorf("write reply: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if failed {
		return exitStatus(1)
	}
	return nil
}

// Interactive chats on the terminal with line editing and history until
// the user types Ctrl-D or Ctrl-C.
func (c *Chat) Interactive(ctx context.Context, out io.Writer) error {
	line := liner.NewLiner()
	defer line.Close()
	line.SetCtrlCAborts(true)
	fmt.Fprintf(out, "Chatting with %s (%s), locale %s. Ctrl-D quits.\n", c.bot.Name, c.bot.ID, c.key.LocaleID)
	for {
		text, err := line.Prompt("you> ")
		if errors.Is(err, io.EOF) || errors.Is(err, liner.ErrPromptAborted) {
			fmt.Fprintln(out)
			return nil
		}
		if err != nil {
			return fmt.Errorf("read input: %w", err)
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		line.AppendHistory(text)
		msgs, err := c.Send(ctx, text)
		if err != nil {
			c.log.Debug("chat: turn failed", "err", err)
			fmt.Fprintf(out, "(%s) %s\n", parley.ErrorCodeOf(err), parley.ErrorMessageOf(err))
			continue
		}
		n := 0
		for _, m := range msgs {
			if card := m.ImageResponseCard; card != nil {
				fmt.Fprintf(out, "bot> [%s]\n", card.Title)
				if card.Subtitle != "" {
					fmt.Fprintf(out, "     %s\n", card.Subtitle)
				}
				for _, b := range card.Buttons {
					n++
					fmt.Fprintf(out, "     %d) %s\n", n, b.Text)
				}
				continue
			}
			fmt.Fprintf(out, "bot> %s\n", messageText(m))
		}
	}
}

// renderLine renders a message as one line of text. Card buttons are
// numbered on from *n, which carries the numbering across the cards of
// one reply.
func renderLine(m parley.Message, n *int) string {
	card := m.ImageResponseCard
	if card == nil {
		return strings.Join(strings.Fields(messageText(m)), " ")
	}
	var b strings.Builder
	b.WriteString("[" + card.Title + "]")
	if card.Subtitle != "" {
		b.WriteString(" " + card.Subtitle)
	}
	for _, btn := range card.Buttons {
		*n++
		fmt.Fprintf(&b, " %d) %s", *n, btn.Text)
	}
	return b.String()
}

// messageText returns what a text message says; SSML loses its tags.
func messageText(m parley.Message) string {
	if m.ContentType != parley.ContentSSML {
		return m.Content
	}
	var b strings.Builder
	inTag := false
	for _, r := range m.Content {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}
