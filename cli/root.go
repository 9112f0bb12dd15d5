package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Env looks up an environment variable the way os.LookupEnv does; tests
// pass a map instead of changing the process environment.
type Env func(key string) (string, bool)

// exitStatus is returned by a command that has already told the user what
// went wrong and only needs the process to end with this status.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// Main runs the parley command line with args (without the program name)
// and returns the process exit status: 0 on success, 1 on any failure.
// Started by AWS Lambda (AWS_LAMBDA_RUNTIME_API set, no arguments) it
// serves Lambda invocations instead (cli/lambda.go).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, env Env) int {
	if isLambda(args, env) {
		return runLambda(stderr, env)
	}
	root := NewRootCommand(stdin, stdout, stderr, env)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err == nil {
		return 0
	}
	var status exitStatus
	if errors.As(err, &status) {
		return int(status)
	}
	// errors.Join puts one problem per line; each gets the prefix.
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(stderr, "parley: %s\n", line)
	}
	return 1
}

// NewRootCommand returns the parley command with all its subcommands,
// reading from stdin and writing to stdout and stderr.
func NewRootCommand(stdin io.Reader, stdout, stderr io.Writer, env Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "parley",
		Short: "Run Lex V2-style bots defined in files, without AWS",
		Long: "Parley runs chatbots defined in YAML or JSON files with Amazon Lex V2 semantics:\n" +
			"the Lex V2 runtime API (AWS SDKs and the AWS CLI work unchanged), a web chat\n" +
			"and a terminal chat, with its own NLU and an embedded session store.",
		// Errors are printed once by Main; usage is only shown on request,
		// so a failing bot file is not buried under the flag list.
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newServeCommand(env),
		newChatCommand(env),
		newValidateCommand(env),
		newEvalCommand(),
		newVersionCommand(),
		newKBCommand(env),
		newTestCommand(env),
		newImportLexCommand(),
		newExportLexCommand(env),
		newLogsCommand(env),
		newStatsCommand(env),
	)
	return root
}
