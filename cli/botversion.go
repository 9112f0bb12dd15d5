package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/lexexport"
)

// versionsFolder is where a bot's numbered versions are kept, as Lex V2
// export zips named N.zip: inside a bot folder, beside a bot file.
const versionsFolder = "versions"

// versionsDir returns the versions folder of the bot definition at path.
func versionsDir(path string) string {
	if st, err := os.Stat(path); err == nil && st.IsDir() && !strings.EqualFold(filepath.Ext(path), ".zip") {
		return filepath.Join(path, versionsFolder)
	}
	return filepath.Join(filepath.Dir(path), versionsFolder)
}

// listVersions returns the version numbers stored for the bot at path in
// numeric order; none when there is no versions folder.
func listVersions(path string) ([]string, error) {
	entries, err := os.ReadDir(versionsDir(path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cli: list versions: %w", err)
	}
	var ns []string
	for _, e := range entries {
		n, ok := strings.CutSuffix(e.Name(), ".zip")
		if ok && !e.IsDir() && isVersionNumber(n) {
			ns = append(ns, n)
		}
	}
	slices.SortFunc(ns, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	return ns, nil
}

// isVersionNumber reports whether n is a version number: a positive
// decimal without leading zeros.
func isVersionNumber(n string) bool {
	v, err := strconv.Atoi(n)
	return err == nil && v > 0 && strconv.Itoa(v) == n
}

// createVersion stores bot as the next version of the bot at path and
// returns its number. The file appears whole or not at all, and an
// existing version is never overwritten.
func createVersion(path string, bot *parley.Bot) (string, error) {
	ns, err := listVersions(path)
	if err != nil {
		return "", err
	}
	next := 1
	if len(ns) > 0 {
		last, _ := strconv.Atoi(ns[len(ns)-1])
		next = last + 1
	}
	var buf bytes.Buffer
	if err := lexexport.Write(bot, &buf); err != nil {
		return "", err
	}
	dir := versionsDir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cli: create version: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".version-*.zip")
	if err != nil {
		return "", fmt.Errorf("cli: create version: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return "", fmt.Errorf("cli: create version: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("cli: create version: %w", err)
	}
	n := strconv.Itoa(next)
	// A link fails when the name exists, unlike a rename: a version made at
	// the same moment by another process is kept, and this one is refused.
	if err := os.Link(tmp.Name(), filepath.Join(dir, n+".zip")); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", parley.Errorf(parley.ErrConflict, "version %s of bot %s was created at the same time; try again", n, bot.ID)
		}
		return "", fmt.Errorf("cli: create version: %w", err)
	}
	return n, nil
}

// readVersion reads version n of the bot at path.
func readVersion(path, n string) (*parley.Bot, error) {
	b, _, err := lexexport.Read(filepath.Join(versionsDir(path), n+".zip"))
	if err != nil {
		return nil, fmt.Errorf("read version %s: %w", n, err)
	}
	return b, nil
}

// servedBots pairs each loaded draft with the versions stored beside its
// definition; bots[i] was loaded from paths[i].
func servedBots(paths []string, bots []*parley.Bot) ([]engine.Served, error) {
	served := make([]engine.Served, len(bots))
	for i, b := range bots {
		served[i] = engine.Served{Draft: b}
		ns, err := listVersions(paths[i])
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			v, err := readVersion(paths[i], n)
			if err != nil {
				return nil, fmt.Errorf("load %s: %w", paths[i], err)
			}
			if v.ID != b.ID {
				return nil, fmt.Errorf("load %s: version %s is of bot %s, not %s", paths[i], n, v.ID, b.ID)
			}
			if served[i].Versions == nil {
				served[i].Versions = map[string]*parley.Bot{}
			}
			served[i].Versions[n] = v
		}
	}
	return served, nil
}

// writeVersions writes a banner line with the bot's versions and the
// aliases serving them: "  versions 1,2 (PRODALIAS1 → 2)"; nothing when
// it has none.
func writeVersions(w io.Writer, b *parley.Bot, versions []string) {
	if len(versions) == 0 {
		return
	}
	var on []string
	for _, a := range b.Aliases {
		if a.BotVersion != "" {
			on = append(on, a.ID+" → "+a.BotVersion)
		}
	}
	line := "  versions " + strings.Join(versions, ",")
	if len(on) > 0 {
		line += " (" + strings.Join(on, ", ") + ")"
	}
	fmt.Fprintln(w, line)
}

// newBotVersionCommands returns `version create` and `version list`.
func newBotVersionCommands() []*cobra.Command {
	create := &cobra.Command{
		Use:   "create BOT_PATH",
		Short: "Snapshot a bot's draft as its next numbered version",
		Long: "Create loads the bot definition at BOT_PATH and stores it as version N\n" +
			"(one more than the highest) in the versions folder: BOT_PATH/versions/N.zip\n" +
			"for a bot folder, versions/N.zip beside a bot file. Versions are Lex V2\n" +
			"export zips and never change; point an alias at one with botVersion.",
		Example: "  parley version create examples/pizza",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bot, err := loadBot(args[0], channellessBotOptions(), slog.New(slog.DiscardHandler))
			if err != nil {
				return reportProblems(cmd.ErrOrStderr(), err)
			}
			n, err := createVersion(args[0], bot)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "bot %s version %s: %s\n", bot.ID, n, filepath.Join(versionsDir(args[0]), n+".zip"))
			return nil
		},
	}
	list := &cobra.Command{
		Use:   "list BOT_PATH",
		Short: "List a bot's numbered versions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ns, err := listVersions(args[0])
			if err != nil {
				return err
			}
			for _, n := range ns {
				fmt.Fprintln(cmd.OutOrStdout(), n)
			}
			return nil
		},
	}
	return []*cobra.Command{create, list}
}
