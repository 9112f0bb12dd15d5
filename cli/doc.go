// Package cli is the parley command line: the one place that knows every
// part of Parley. It reads the configuration (a YAML file, then PARLEY_*
// environment variables, then flags, later ones winning), builds the
// session store chosen by name, the NLU, the engine, each bot's code hooks
// chosen by URI scheme, each bot's messaging channels chosen by type, the
// Lex V2 runtime API and the web chat, and wires them into an HTTP server
// or a terminal chat. It is a package rather than
// a main so that a Go program can register in-process hooks (package
// hook/gofunc) and then run the same commands:
//
//	import _ "example.com/mybot/hooks"
//	func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv)) }
//
// Subcommands:
//
//	parley serve [BOT_PATH...]   serve the Lex V2 runtime API and the web chat
//	parley chat BOT_PATH         chat with a bot in the terminal
//	parley validate BOT_PATH...  report every problem of bot definitions
//	parley eval [BOT_PATH]       measure the NLU on a bot or labelled JSONL data
//	parley kb index|search       index the bots' knowledge bases; try a question
//	parley test BOT_PATH [FILE...]  run conversation tests (convtest/FORMAT.md)
//	parley version               print the version
//	parley version create|list BOT_PATH  snapshot a bot's draft as version N; list them
//	parley logs [--follow] [--session ID] [--intent NAME] [--since T] [--json]  show or export the conversation log
//	parley stats [--since T] [--top N] [--json]  turns, sessions, fallback rate, intents, missed utterances
//
// Started by AWS Lambda as bootstrap (AWS_LAMBDA_RUNTIME_API set, no
// arguments), the same routes as serve answer Lambda invocations through
// package lambdahttp instead of a listener (lambda.go).
package cli
