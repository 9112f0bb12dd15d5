package telegram

import (
	"encoding/json"
	"errors"
)

// Update is the part of a Bot API Update the connector reads. Update kinds
// it does not handle (edited_message, channel_post, poll, my_chat_member,
// …) decode to an Update with neither Message nor CallbackQuery.
type Update struct {
	UpdateID      *int64         `json:"update_id"`
	Message       *Message       `json:"message,omitempty"`
	CallbackQuery *CallbackQuery `json:"callback_query,omitempty"`
}

// Message is the part of a Bot API Message the connector reads.
type Message struct {
	MessageID int64  `json:"message_id"`
	From      *User  `json:"from,omitempty"`
	Chat      Chat   `json:"chat"`
	Date      int64  `json:"date"`
	Text      string `json:"text,omitempty"`
}

// User is a Telegram user or bot.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name,omitempty"`
}

// Chat is the conversation a message belongs to; its id (negative for
// groups) is the session key.
type Chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type,omitempty"`
}

// CallbackQuery is a tap on an inline keyboard button.
type CallbackQuery struct {
	ID      string   `json:"id"`
	From    *User    `json:"from,omitempty"`
	Message *Message `json:"message,omitempty"`
	Data    string   `json:"data,omitempty"`
}

// errNoUpdateID is a body that is JSON but not an Update.
var errNoUpdateID = errors.New("telegram: update without update_id")

// parseUpdate decodes one Update; a body that is not a JSON object with an
// update_id is an error (a 400 on the webhook).
func parseUpdate(body []byte) (*Update, error) {
	var u Update
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
	updateID   int64
	chatID     int64
	text       string
	callbackID string
	// fromButton is set for callback data, which is already a value (or a
	// key for one); typed text may be a reply keyboard option instead.
	fromButton bool
}

// turnOf returns the turn an update asks for, or false for updates the
// connector drops: other kinds, messages without text, messages from bots.
func turnOf(u *Update) (turn, bool) {
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
		return turn{updateID: id, chatID: chat, text: q.Data, callbackID: q.ID, fromButton: true}, true
	}
	return turn{}, false
}
