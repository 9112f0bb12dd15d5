package messenger

// Every Messenger Platform number the connector depends on, in one place
// (channels.md §2.3, §0.2), so a change of the platform's limits is a
// one-line edit.
const (
	// defaultAPIBase is the Graph API root with its version; the apiBase
	// setting replaces it (tests point it at a loopback fake).
	defaultAPIBase = "https://graph.facebook.com/v19.0"

	// maxBodyBytes caps a webhook POST; Meta batches several entry items
	// in one delivery, hence more room than other channels (a project
	// choice, not a platform limit).
	maxBodyBytes = 4 << 20

	maxTextRunes          = 2000 // message.text
	maxQuickReplies       = 13   // message.quick_replies
	maxQuickReplyTitle    = 20   // quick_replies[].title
	maxPayloadRunes       = 1000 // quick reply and postback button payloads
	maxButtonTitle        = 20   // postback and web_url button titles
	maxButtonTemplateText = 640  // button template text
	maxTemplateButtons    = 3    // buttons per button template or generic element
	maxGenericElements    = 10   // generic template elements (a carousel)
	maxElementTitle       = 80   // generic element title
	maxElementSubtitle    = 80   // generic element subtitle

	// messagingType goes with every message: the connector only answers
	// users, inside the 24-hour window.
	messagingType = "RESPONSE"
)
