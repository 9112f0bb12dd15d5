// Package lambdahttp runs any http.Handler as an AWS Lambda function. It owns
// the translation between the three HTTP event formats Lambda receives (API
// Gateway REST APIs, payload format 1.0; API Gateway HTTP APIs, payload
// format 2.0; and Lambda function URLs) and net/http: Handler.Invoke takes
// the raw event JSON, finds out which format it is, builds the
// *http.Request (multi-value headers and query strings, cookies, base64
// bodies, the stage prefix of a named stage), serves it into a buffer and
// answers in the same format, base64-encoding bodies that are not text. It
// knows nothing of Parley: cli wires the server's handler into it, and
// aws-lambda-go's runtime loop calls Invoke. Responses are buffered, so a
// streamed answer (Server-Sent Events) arrives whole.
package lambdahttp
