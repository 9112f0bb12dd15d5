package line

// Platform numbers from channels.md §6 and §7.3, in one place so a change at
// LINE is a change here. Lengths are in characters (runes).
const (
	// maxBody caps a webhook body (a project choice, channels.md §0.2).
	maxBody = 1 << 20

	maxMessagesPerCall = 5    // reply and push both take 1–5 messages
	maxTextRunes       = 5000 // text message
	maxAltTextRunes    = 400  // template altText

	maxButtonsActions     = 4   // buttons template actions
	maxTitleRunes         = 40  // buttons template and carousel column title
	maxButtonsTextWithImg = 60  // buttons text when an image or title is shown
	maxButtonsTextPlain   = 160 // buttons text without image and title

	maxCarouselColumns     = 10
	maxCarouselActions     = 3   // per column, the same count in every column
	maxCarouselTextWithImg = 60  // column text when an image or title is shown
	maxCarouselTextPlain   = 120 // column text without image and title

	maxImageURLRunes     = 2000 // thumbnailImageUrl, originalContentUrl, previewImageUrl
	maxActionLabelRunes  = 20
	maxPostbackDataRunes = 300
	maxDisplayTextRunes  = 300 // postback displayText, message action text
	maxURIRunes          = 1000
	maxQuickReplyItems   = 13
)

// The Messaging API's host and paths; apiBase replaces the host in tests.
const (
	defaultAPIBase = "https://api.line.me"
	replyPath      = "/v2/bot/message/reply"
	pushPath       = "/v2/bot/message/push"
)
