// Command parley runs Lex V2-style bots defined in files, without AWS. The
// command line lives in package cli so that Go programs with in-process
// code hooks can embed the same commands; see cli for the subcommands.
package main

import (
	"os"

	"github.com/parleybot/parley/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv))
}
