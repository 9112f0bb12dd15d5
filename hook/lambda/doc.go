// Package lambda runs code hooks as AWS Lambda functions, the way Lex V2
// calls them: a synchronous (RequestResponse) Invoke of the function named
// by a `lambda:FUNCTION[:QUALIFIER]` URI, with the Lex V2 event as the
// payload, through aws-sdk-go-v2 with the default credential chain and
// region (or an endpoint of one's own, such as a local emulator, through
// Options.Endpoint or AWS_ENDPOINT_URL_LAMBDA). It owns everything between
// the event and the decoded response: the URI, the client, the time and
// size limits, and turning each way a call can go wrong (an API error, a
// function that threw or whose runtime died, an answer that is too big or
// not a JSON object, a time-out) into a parley.ErrDependencyFailed error
// (parley.ErrThrottling when Lambda throttles) whose message names the
// fault, with the offending payload logged at warn. Whether a decoded
// response makes sense for the dialog is not checked here but by
// parley.CodeHookResponse's Validate, the same for every transport.
//
// Invocations are never retried, unlike the SDK's default: a code hook has
// side effects (it places the order, writes the row), and a call that
// failed or timed out may already have run on Lambda's side.
package lambda
