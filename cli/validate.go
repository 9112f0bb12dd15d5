package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/lexexport"
)

func newValidateCommand(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "validate BOT_PATH...",
		Short: "Report every problem of bot definitions",
		Long: "Validate checks bot definition files or folders and prints every problem as\n" +
			"file:line:col: message. It exits with status 1 when there is any. For an Amazon\n" +
			"Lex V2 export (.zip or folder) it prints what Parley does not run as warnings\n" +
			"with their file and JSON path. Channel\n" +
			"settings are checked with the environment's ${VAR} values, as serve reads them.",
		Example: "  parley validate examples/hello examples/pizza",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			failed := false
			opts := botOptions(env)
			kinds := ChannelKinds()
			for _, path := range args {
				if lexexport.IsExport(path) {
					failed = !validateExport(out, path) || failed
					continue
				}
				if ps := botdef.ValidateWith(path, opts); len(ps) > 0 {
					failed = true
					for _, p := range ps {
						fmt.Fprintln(out, p.String())
					}
					continue
				}
				bot, err := botdef.LoadWith(path, opts)
				if err != nil {
					failed = true
					fmt.Fprintln(out, err)
					continue
				}
				missing := false
				for _, c := range bot.Channels {
					if _, ok := kinds[c.Type]; !ok {
						missing = true
						fmt.Fprintf(out, "%s: channel %s: channel type %s is not available in this build\n", path, c.Name, c.Type)
					}
				}
				if missing {
					failed = true
					continue
				}
				intents, slotTypes := 0, 0
				for _, l := range bot.Locales {
					intents += len(l.Intents)
					slotTypes += len(l.SlotTypes)
				}
				fmt.Fprintf(out, "ok: %s (bot %s, %s, %s, %s)\n", path, bot.ID,
					plural(len(bot.Locales), "locale"), plural(intents, "intent"), plural(slotTypes, "slot type"))
			}
			if failed {
				return exitStatus(1)
			}
			return nil
		},
	}
}

// plural writes a count with its noun: "1 intent", "2 intents".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
