package kakao

import "time"

// Every KakaoTalk number the connector relies on (channels.md §1 and §7.3),
// in one place so that a change on Kakao's side is a one-line change here.
const (
	// maxBodyBytes caps a SkillPayload; a project choice (channels.md §0.2).
	maxBodyBytes = 256 << 10

	// defaultReplyTimeout is how long a turn may take before the skill
	// answers without it: Open Builder waits 5 s, fixed, and the network
	// between Kakao and us eats part of that.
	defaultReplyTimeout = 4 * time.Second
	// platformDeadline is Open Builder's own wait; replyTimeout must be
	// shorter.
	platformDeadline = 5 * time.Second
	// turnBudget bounds a turn that missed the reply deadline; channels.md
	// §1.5 budgets 50 s so the callback still makes its 1-minute window.
	turnBudget = 50 * time.Second
	// callbackWindow is how long a callback URL stays valid after the
	// request that carried it; the post, retries included, must end before.
	callbackWindow = 58 * time.Second

	// maxOutputs is the number of components in template.outputs (1–3).
	maxOutputs = 3
	// simpleTextRunes keeps simpleText.text under Kakao's 1,000 characters.
	simpleTextRunes = 999
	// maxQuickReplies is template.quickReplies' cap.
	maxQuickReplies = 10
	// labelRunes caps a button or quick-reply label.
	labelRunes = 14
	// maxCardButtons is a vertical card's button count; buttons beyond it
	// become quick replies.
	maxCardButtons = 3
	// maxCarouselItems is a carousel's item count; more cards make another
	// carousel.
	maxCarouselItems = 10
	// cardTitleRunes caps basicCard and textCard titles.
	cardTitleRunes = 50
	// basicCardDescriptionRunes caps basicCard.description.
	basicCardDescriptionRunes = 230
	// textCardRunes caps a single textCard's title and description together.
	textCardRunes = 400
	// altTextRunes caps thumbnail.altText.
	altTextRunes = 50

	// maxPendingPerUser bounds the late answers kept for one user who has
	// no callback; older ones are dropped.
	maxPendingPerUser = 3
	// maxPendingUsers bounds the users with late answers waiting.
	maxPendingUsers = 10_000
	// pendingTTL is how long a late answer waits for the user's next
	// message before it is dropped as stale.
	pendingTTL = 30 * time.Minute
)
