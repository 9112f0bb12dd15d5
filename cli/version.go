package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set when building a release:
//
//	go build -ldflags "-X github.com/parleybot/parley/cli.version=v0.1.0" ./cmd/parley
//
// It is a variable only because -X can set nothing else; nothing assigns it.
var version string

func newVersionCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, or create and list bot versions",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), versionString())
		},
	}
	cmd.AddCommand(newBotVersionCommands()...)
	return cmd
}

// versionString describes this binary: its version (from -ldflags, else
// the module version or VCS revision recorded by the go command) and the
// Go release and platform it was built with.
func versionString() string {
	v := version
	if v == "" {
		v = buildVersion()
	}
	return fmt.Sprintf("parley %s (%s %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// buildVersion returns the version the go command recorded in the binary.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-dirty"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	return "devel " + rev[:min(12, len(rev))] + modified
}
