// Package line connects a bot to the LINE Messaging API: it verifies the
// x-line-signature of each webhook call over the raw body, acknowledges at
// once (LINE counts a webhook slower than 2 s as failed), de-duplicates
// redeliveries by webhookEventId, runs text messages and postbacks as turns
// in the background (one session per user, group or room), renders the
// bot's messages as LINE message objects (text, buttons and carousel
// templates, quick replies, native payloads) and sends them with the event's
// reply token, falling back to push messages when the token is refused or
// the answer needs more than five messages. It imports the root and the
// connector kit only; its settings are documented in README.md.
package line
