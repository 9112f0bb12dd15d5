package line

import (
	"encoding/json"
	"errors"
)

// webhook is the body of a LINE webhook call (channels.md §6.1).
type webhook struct {
	Destination string  `json:"destination"`
	Events      []event `json:"events"`
}

// event is the part of a webhook event the connector reads; other fields
// and event types are ignored.
type event struct {
	Type            string    `json:"type"`
	Mode            string    `json:"mode"` // active or standby
	Timestamp       int64     `json:"timestamp"`
	Source          source    `json:"source"`
	WebhookEventID  string    `json:"webhookEventId"`
	ReplyToken      string    `json:"replyToken"`
	DeliveryContext delivery  `json:"deliveryContext"`
	Message         *message  `json:"message"`
	Postback        *postback `json:"postback"`
}

type source struct {
	Type    string `json:"type"` // user, group or room
	UserID  string `json:"userId"`
	GroupID string `json:"groupId"`
	RoomID  string `json:"roomId"`
}

type delivery struct {
	IsRedelivery bool `json:"isRedelivery"`
}

type message struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Text string `json:"text"`
}

type postback struct {
	Data string `json:"data"`
}

// errNoEvents is a body without an events array, which LINE never sends.
var errNoEvents = errors.New("line: webhook body has no events array")

// parseWebhook decodes a webhook body; the events array is required (it may
// be empty: that is LINE's verify request).
func parseWebhook(body []byte) (*webhook, error) {
	var w webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	if w.Events == nil {
		return nil, errNoEvents
	}
	return &w, nil
}

// conversation is the id the bot answers in: the group or room for events
// there, else the user. Push messages go to it, and it names the session.
func (s source) conversation() string {
	switch s.Type {
	case "group":
		return s.GroupID
	case "room":
		return s.RoomID
	}
	return s.UserID
}

// input returns the turn text of an event and whether the event is one the
// bot answers: a text message or a postback (whose data is a button's
// value).
func (e *event) input() (string, bool) {
	switch e.Type {
	case "message":
		if e.Message != nil && e.Message.Type == "text" && e.Message.Text != "" {
			return e.Message.Text, true
		}
	case "postback":
		if e.Postback != nil && e.Postback.Data != "" {
			return e.Postback.Data, true
		}
	}
	return "", false
}
