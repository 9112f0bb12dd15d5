// Package hooks is Perkins's bot logic as in-process Go code hooks that call
// the EC2 API through aws-sdk-go-v2: the Go counterpart of the operations
// tutorial's Lambda functions. [Router] builds the router that main.go
// registers as "perkins" (bot files bind it as go:perkins): ListInstances is
// fulfilled with DescribeInstances; on StartInstance and StopInstance the
// dialog hook checks that the named instance exists (asking again, with the
// names that exist, when it does not) and the fulfillment hook calls
// StartInstances or StopInstances. The confirmation before a stop is the
// bot's own Lex confirmation prompt, so a declined stop never reaches EC2.
package hooks
