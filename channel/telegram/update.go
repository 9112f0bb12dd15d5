package telegram

import (
	"encoding/json"
	"errors"
)

// update is the part of a Bot API Update the connector reads. Update kinds
// it does not handle (edited_message, channel_post, poll, my_chat_member,
// …) decode to an update with neither Message nor CallbackQuery.
type update struct {
	UpdateID      *int64         `json:"update_id"`
	Message       *message       `json:"message,omitempty"`
	CallbackQuery *callbackQuery `json:"callback_query,omitempty"`
}

// message is the part of a Bot API Message the connector reads.
type message struct {
	From *user   `json:"from,omitempty"`
	Chat chatRef `json:"chat"`
	Text string  `json:"text,omitempty"`
}

// user is a Telegram user or bot.
type user struct {
	ID    int64 `json:"id"`
	IsBot bool  `json:"is_bot"`
}

// chatRef is the conversation a message belongs to; its id (negative for
// groups) is the session key.
type chatRef struct {
	ID int64 `json:"id"`
}

// callbackQuery is a tap on an inline keyboard button.
type callbackQuery struct {
	ID      string   `json:"id"`
	From    *user    `json:"from,omitempty"`
	Message *message `json:"message,omitempty"`
	Data    string   `json:"data,omitempty"`
}

// errNoUpdateID is a body that is JSON but not an Update.
var errNoUpdateID = errors.New("telegram: update without update_id")

// parseUpdate decodes one Update; a body that is not a JSON object with an
// update_id is an error (a 400 on the webhook).
func parseUpdate(body []byte) (*update, error) {
	var u update
	if err := json.Unmarshal(body, &u); err != nil {
		return nil, err
	}
	if u.UpdateID == nil {
		return nil, errNoUpdateID
	}
	return &u, nil
}

// turn is what an update asks of the bot: text from a chat, and the
// callback query to answer when it came from a button.
type turn struct {
	updateID int64
	chatID   int64
	text     string
	// callbackID is set when text is a button's callback data, which is a
	// value (or a key for one); typed text may name a reply keyboard
	// option instead.
	callbackID string
}

// turnOf returns the turn an update asks for, or false for updates the
// connector drops: other kinds, messages without text, messages from bots.
func turnOf(u *update) (turn, bool) {
	id := *u.UpdateID
	switch {
	case u.Message != nil:
		m := u.Message
		if m.Text == "" || m.From == nil || m.From.IsBot || m.Chat.ID == 0 {
			return turn{}, false
		}
		return turn{updateID: id, chatID: m.Chat.ID, text: m.Text}, true
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		if q.ID == "" || q.From == nil || q.From.IsBot {
			return turn{}, false
		}
		// An inline message's button has no chat message; a private chat's
		// id is the user's id, so the reply goes there.
		chat := q.From.ID
		if q.Message != nil && q.Message.Chat.ID != 0 {
			chat = q.Message.Chat.ID
		}
		if chat == 0 {
			return turn{}, false
		}
		return turn{updateID: id, chatID: chat, text: q.Data, callbackID: q.ID}, true
	}
	return turn{}, false
}
