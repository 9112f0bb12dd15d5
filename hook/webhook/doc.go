// Package webhook runs code hooks over HTTP(S): it POSTs the Lex V2 Lambda
// event as JSON to a URL, signs it with an optional HMAC-SHA256 key so the
// receiver can check who is calling and when, and turns every failure (an
// error status, a redirect, a response that is too big or not a JSON object,
// a refused connection, a time-out) into a parley.ErrDependencyFailed error
// whose message says exactly what went wrong. It also owns the receiving
// side for Go programs: Verify checks a signature and Handler serves any
// parley.CodeHook over the same wire contract.
//
// Calls are never retried. A code hook has side effects (it places the
// order, writes the row, sends the mail), and a request that timed out or
// lost its connection may already have done its work on the other side, so
// sending it again could do it twice. The one resend that can happen is Go's
// own transport replaying a request on a fresh connection when the pooled
// keep-alive connection failed before any byte of it was written, which the
// server therefore never saw. Redirects are not followed either: a 3xx is
// reported as a failure with its Location, because re-sending a POST to
// wherever a server points would move signed events to an address nobody
// configured.
//
// The signature header is
//
//	X-Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// The timestamp is inside the MAC, so a captured request cannot be replayed
// after the receiver's tolerance (DefaultTolerance unless told otherwise),
// and the timestamp cannot be refreshed without the key.
package webhook
