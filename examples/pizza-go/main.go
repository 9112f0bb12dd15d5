// Command pizza-go is Parley with PizzaShop's code hooks compiled in: the
// way a Go program embeds Parley. Importing the hooks package registers
// them as go:pizza; cli.Main is then the whole parley command line, so
//
//	go run ./examples/pizza-go serve examples/pizza-go/bot
//
// serves the bot exactly as `parley serve` would, with the hooks in the
// same process.
package main

import (
	"os"

	"github.com/parleybot/parley/cli"
	_ "github.com/parleybot/parley/examples/pizza-go/hooks"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv))
}
