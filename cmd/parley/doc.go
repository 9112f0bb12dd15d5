// Command parley runs Lex V2-style bots defined in files, without AWS.
//
// It is the one place that knows every part of Parley: it reads the
// configuration (a YAML file, then PARLEY_* environment variables, then
// flags, later ones winning), builds the session store chosen by name, the
// NLU, the engine, the Lex V2 runtime API and the web chat, and wires them
// into an HTTP server or a terminal chat. Subcommands:
//
//	parley serve [BOT_PATH...]   serve the Lex V2 runtime API and the web chat
//	parley chat BOT_PATH         chat with a bot in the terminal
//	parley validate BOT_PATH...  report every problem of bot definitions
//	parley version               print the version
package main
