// Command ops is Parley with Perkins's code hooks compiled in: it loads the
// AWS configuration the standard way (environment, shared config and
// credentials files, instance role), registers the hooks as go:perkins
// with an EC2 client, and hands over to the parley command line, so
//
//	go run ./examples/ops serve examples/ops/bot
//
// serves the bot exactly as `parley serve` would, with the hooks in the
// same process.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/examples/ops/hooks"
	"github.com/parleybot/parley/hook/gofunc"
)

func main() {
	os.Exit(run())
}

func run() int {
	// Credentials are resolved on the first EC2 call, so commands that call
	// no hook (validate, test) work without any.
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "ops: load the AWS configuration: %v\n", err)
		return 1
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	gofunc.Register(hooks.Name, hooks.Router(ec2.NewFromConfig(cfg), logger))
	return cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv)
}
