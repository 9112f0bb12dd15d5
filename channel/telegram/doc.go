// Package telegram connects a bot to Telegram through the Bot API. It owns
// the inbound side (webhook POSTs authenticated by the secret token set with
// setWebhook, or long polling with getUpdates where no public URL exists),
// the Update objects it understands (text messages and callback queries;
// everything else is acknowledged and dropped), de-duplication by
// update_id, one session per chat, and the rendering of a turn's messages
// as Bot API calls: text split to the message limit, cards as photos with
// HTML captions or as messages, buttons as inline keyboards whose selection
// comes back as the button's value, quick replies as a one-time reply
// keyboard, and native calls passed through from a CustomPayload. Every
// call honours Telegram's 429 retry_after.
package telegram
