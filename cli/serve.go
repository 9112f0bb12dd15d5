package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/parleybot/parley/botdef"
)

func newServeCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve [BOT_PATH...]",
		Short: "Serve bots over the Lex V2 runtime API and a web chat",
		Long: "Serve loads the bot definitions (files or folders, or Amazon Lex V2 exports:\n" +
			"a LexJson .zip or its unzipped folder), then serves the Lex V2\n" +
			"runtime API under /bots/, each bot's messaging channels under\n" +
			"/channels/BOT_ID/NAME/ (their counters at /channels/stats), the web chat at /,\n" +
			"health checks at /healthz and /readyz and Prometheus metrics at /metrics.\n" +
			"It prints each channel's webhook URL, built\n" +
			"from --public-url.\n" +
			"Each bot is served as its draft (alias TSTALIASID) and the numbered versions\n" +
			"in its versions folder (see parley version create); an alias serves the\n" +
			"version its botVersion names. POST /admin/bots/BOT_ID/versions creates a\n" +
			"version from the served draft, GET lists them. --watch reloads changed bot\n" +
			"files into the draft without dropping sessions.\n" +
			"Settings come from --config FILE, then PARLEY_ADDR, PARLEY_STORE, PARLEY_API_KEY,\n" +
			"PARLEY_LOG_LEVEL, PARLEY_PUBLIC_URL and PARLEY_SHUTDOWN_TIMEOUT, then flags. A\n" +
			"non-loopback --addr needs --api-key or --insecure. On SIGTERM or SIGINT the\n" +
			"turns in flight finish (up to --shutdown-timeout) before the server exits.",
		Example: "  parley serve examples/hello\n" +
			"  parley serve examples/hello examples/pizza --store memory: --addr 127.0.0.1:9000\n" +
			"  parley serve MyBot-DRAFT-ABCDEFGHIJ-LexJson.zip\n" +
			"  parley serve --watch examples/pizza",
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := LoadConfig(cmd.Flags(), args, env)
			if err != nil {
				return err
			}
			logger, err := newJSONLogger(cmd.ErrOrStderr(), cfg.LogLevel)
			if err != nil {
				return err
			}
			srv := NewServerWith(cfg, logger, ServerOptions{Hooks: HookOptions{Env: env}})
			if err := srv.Open(); err != nil {
				return reportProblems(cmd.ErrOrStderr(), err)
			}
			defer srv.Close()
			srv.WriteBanner(cmd.OutOrStdout())
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if watch, _ := cmd.Flags().GetBool("watch"); watch {
				go srv.Watch(ctx, WatchEvery)
			}
			return srv.Run(ctx)
		},
	}
	cmd.Flags().AddFlagSet(NewConfigFlags())
	cmd.Flags().Bool("watch", false, "reload changed bot files into their drafts while serving (versions never change)")
	return cmd
}

// reportProblems prints bot definition problems one per line as
// file:line:col: message and turns them into exit status 1; other errors
// pass through.
func reportProblems(w io.Writer, err error) error {
	var ps botdef.Problems
	if !errors.As(err, &ps) {
		return err
	}
	for _, p := range ps {
		fmt.Fprintln(w, p.String())
	}
	return exitStatus(1)
}
