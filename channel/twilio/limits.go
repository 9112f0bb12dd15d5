package twilio

import "time"

// Platform numbers from channels.md §5 and §7.3, in one place so a change at
// Twilio is a change here. Lengths are in characters (runes).
const (
	// maxBody caps a webhook body (a project choice, channels.md §0.2).
	maxBody = 64 << 10

	maxBodyRunes     = 1600 // a Message's Body, in TwiML and through REST
	maxMediaPerMsg   = 10   // Media elements / MediaUrl fields per message
	defaultTimeout   = 10 * time.Second
	maxReplyTimeout  = 14 * time.Second // Twilio gives up on a webhook after 15 s
	maxChoiceSenders = 10_000           // senders whose offered buttons are remembered
)

// The REST API's host and path; apiBase replaces the host in tests.
const (
	defaultAPIBase = "https://api.twilio.com"
	messagesPath   = "/2010-04-01/Accounts/%s/Messages.json"
)
