package slack

import "time"

// Slack's numbers (channels.md §3) and the project's choices around them,
// in one place so a change of limits is one edit.
const (
	// maxBody caps every inbound request (a project choice, channels.md §0.2).
	maxBody = 1 << 20
	// signatureWindow is how far a request timestamp may be from now.
	signatureWindow = 300 * time.Second

	// maxBlocks is the number of blocks in one message.
	maxBlocks = 50
	// maxFallbackText keeps the notification text well under Slack's
	// 40,000-character truncation.
	maxFallbackText = 4000
	// maxSectionText is a section block's text.
	maxSectionText = 3000
	// maxHeaderText is a header block's plain text.
	maxHeaderText = 150
	// maxAltText is an image's alt_text.
	maxAltText = 2000
	// maxURL is an image_url or a button's url.
	maxURL = 3000
	// maxButtonsPerActions is the number of elements in one actions block.
	maxButtonsPerActions = 25
	// maxButtonText is a button's plain text.
	maxButtonText = 75
	// maxButtonValue is a button's value.
	maxButtonValue = 2000
	// maxResponseURLPosts is how often one response_url may be used.
	maxResponseURLPosts = 5

	// rateLimitedWait is the pause before retrying an answer of
	// {"ok":false,"error":"ratelimited"} that came without Retry-After.
	rateLimitedWait = time.Second
	// maxRateLimitedTries bounds the tries of one call answered ratelimited.
	maxRateLimitedTries = 4
	// turnTimeout bounds one background turn and its reply.
	turnTimeout = 2 * time.Minute
)
