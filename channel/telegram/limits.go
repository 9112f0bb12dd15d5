package telegram

import "time"

// Every Telegram number the connector relies on lives here (channels.md §4,
// §0.2), so that a change of the Bot API is a change of one file.
const (
	// maxBodyBytes caps a webhook POST; one Update is far smaller (a
	// project choice, channels.md §0.2).
	maxBodyBytes = 1 << 20

	// maxTextUnits is sendMessage's text limit and maxCaptionUnits
	// sendPhoto's caption limit, counted by Telegram in UTF-16 code units
	// of the text after entity parsing (HTML tags do not count).
	maxTextUnits    = 4096
	maxCaptionUnits = 1024

	// maxCallbackData is the inline button callback_data limit in bytes;
	// longer values travel as a short key (see keys.go).
	maxCallbackData = 64

	// maxSecretToken is setWebhook's secret_token limit (1–256 characters
	// of A-Z a-z 0-9 _ -).
	maxSecretToken = 256

	// pollTimeout is getUpdates' long-poll timeout; pollLimit the most
	// updates one call returns (Telegram's maximum, 100).
	pollTimeout = 25 * time.Second
	pollLimit   = 100
	// pollBackoffMin and pollBackoffMax bound the wait between failed
	// getUpdates calls, so a broken token or a webhook conflict never
	// becomes a hot loop.
	pollBackoffMin = time.Second
	pollBackoffMax = 30 * time.Second

	// maxAPIAttempts bounds the tries of one Bot API call (429, 5xx and
	// transport errors are retried); maxRetryAfter caps the wait a 429
	// asks for, beyond which the call fails rather than holding a turn.
	maxAPIAttempts = 4
	maxRetryAfter  = 60 * time.Second
	apiBackoff     = 500 * time.Millisecond

	// callbackKeys is how many long button values are remembered for
	// their short keys, and offeredChats how many chats' last reply
	// keyboards are remembered; the oldest go first.
	callbackKeys = 4096
	offeredChats = 10_000
)
