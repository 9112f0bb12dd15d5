// Package botdef owns Parley's on-disk bot format: bot definitions written by
// hand in YAML (or JSON, which is YAML), either as one bot.yaml or as a folder
// with one file per intent and slot type. It turns them into parley.Bot
// values with the defaults applied, and it validates them the way an author
// needs: every problem at once, each as file:line:col with a hint, instead of
// stopping at the first. Field names follow the Amazon Lex V2 export so that
// a later Lex import is a mapping. FORMAT.md describes the format.
package botdef
