// Package messenger connects a bot to Facebook Messenger through a Meta
// app's Page webhook. It owns the platform's side of channels.md §2: the
// subscription handshake (GET), the X-Hub-Signature-256 check over the raw
// body, the parsing of entry[].messaging[] events (text messages, quick
// reply taps and postbacks; echoes, deliveries, reads and everything else
// are acknowledged and dropped), de-duplication by message id, and the
// replies through the Send API: a typing indicator, then the turn's
// messages rendered as text, button and generic templates and quick
// replies (§7.3), in order, one user's turns one after the other. A
// session is one Page-scoped user id (PSID): Messenger has no threads.
package messenger
