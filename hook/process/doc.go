// Package process runs unmodified AWS Lambda handlers, Python
// (`python:PATH/lambda_function.py[:handler]`) and Node.js
// (`node:PATH/index.js[:handler]`), as Parley code hooks in warm local
// worker processes. It owns the runtime side of the Lambda contract: an
// embedded bootstrap for each language loads the handler file from its own
// folder (so sibling modules and installed packages such as boto3 import as
// in Lambda), builds a Lambda-like context and environment, and exchanges
// length-prefixed JSON frames with Parley over dedicated pipes (fd 3 and
// fd 4), so that whatever the handler prints never corrupts the protocol.
// The handler's output reaches the logger the way CloudWatch would show it
// (START, each line, END, REPORT, keyed by request id). Each worker runs one
// invocation at a time, like a Lambda instance; a crash, a start failure or
// a timeout ends the worker and the next call starts a fresh one. Every
// failure is a parley ErrDependencyFailed error whose message names it.
package process
