// Package twilio connects a bot to Twilio Programmable Messaging, SMS and
// WhatsApp alike: it checks each webhook's X-Twilio-Signature against the
// channel's public URL (with and without the default port, as Twilio's SDKs
// do), de-duplicates Twilio's retries by MessageSid and idempotency token,
// runs the message as a turn in the sender's session and answers in the
// HTTP response with TwiML — or, when the turn takes longer than Twilio
// waits, with an empty TwiML answer followed by the REST Messages API.
// Messages are plain text: cards become text with their image as media,
// buttons a numbered list whose number or text the user sends back and
// which maps to the button's value. It imports the root and the connector
// kit only; its settings are documented in README.md.
package twilio
