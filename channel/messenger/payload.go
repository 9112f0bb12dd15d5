package messenger

import "encoding/json"

// webhook is a POSTed event notification (channels.md §2.2). Only the
// fields the connector reads are declared; others are ignored.
type webhook struct {
	Object string  `json:"object"`
	Entry  []entry `json:"entry"`
}

// entry is one Page's batch; Messenger puts one event in messaging, but
// every item is read. Handover secondary receivers get standby instead,
// which is not declared and so dropped.
type entry struct {
	ID        string  `json:"id"`
	Messaging []event `json:"messaging"`
}

type event struct {
	Sender    party      `json:"sender"`
	Recipient party      `json:"recipient"`
	Message   *inMessage `json:"message"`
	Postback  *postback  `json:"postback"`
}

type party struct {
	ID string `json:"id"`
}

type inMessage struct {
	Mid        string      `json:"mid"`
	Text       string      `json:"text"`
	IsEcho     bool        `json:"is_echo"`
	QuickReply *quickReply `json:"quick_reply"`
}

type postback struct {
	Mid     string `json:"mid"`
	Title   string `json:"title"`
	Payload string `json:"payload"`
}

// sendRequest is one Send API call: a message or a sender action, never
// both (channels.md §2.3). messaging_type goes with messages only, as in
// Meta's sender-action examples.
type sendRequest struct {
	Recipient     party    `json:"recipient"`
	MessagingType string   `json:"messaging_type,omitempty"`
	Message       *message `json:"message,omitempty"`
	SenderAction  string   `json:"sender_action,omitempty"`
}

// message is an outgoing message object: text or an attachment, with
// optional quick replies. native, when set, is a CustomPayload's own
// message object, sent as it is (with the turn's quick replies added when
// it is the last message and has none).
type message struct {
	Text         string       `json:"text,omitempty"`
	Attachment   *attachment  `json:"attachment,omitempty"`
	QuickReplies []quickReply `json:"quick_replies,omitempty"`
	native       json.RawMessage
}

type attachment struct {
	Type    string   `json:"type"` // "template"
	Payload template `json:"payload"`
}

type template struct {
	TemplateType string    `json:"template_type"` // "button" or "generic"
	Text         string    `json:"text,omitempty"`
	Elements     []element `json:"elements,omitempty"`
	Buttons      []button  `json:"buttons,omitempty"`
}

type element struct {
	Title    string   `json:"title"`
	Subtitle string   `json:"subtitle,omitempty"`
	ImageURL string   `json:"image_url,omitempty"`
	Buttons  []button `json:"buttons,omitempty"`
}

type button struct {
	Type    string `json:"type"` // "postback" or "web_url"
	Title   string `json:"title"`
	Payload string `json:"payload,omitempty"`
	URL     string `json:"url,omitempty"`
}

// quickReply is both an outgoing quick reply and the quick_reply object of
// an incoming tap (which carries only payload).
type quickReply struct {
	ContentType string `json:"content_type,omitempty"`
	Title       string `json:"title,omitempty"`
	Payload     string `json:"payload"`
}

// MarshalJSON writes a native message as it came, with the quick replies
// merged in when it has none of its own.
func (m message) MarshalJSON() ([]byte, error) {
	if m.native == nil {
		type plain message // drops the method, so no recursion
		return json.Marshal(plain(m))
	}
	if len(m.QuickReplies) == 0 {
		return m.native, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(m.native, &obj); err != nil {
		return nil, err
	}
	if _, ok := obj["quick_replies"]; !ok {
		qr, err := json.Marshal(m.QuickReplies)
		if err != nil {
			return nil, err
		}
		obj["quick_replies"] = qr
	}
	return json.Marshal(obj)
}
