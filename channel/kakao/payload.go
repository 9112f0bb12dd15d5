package kakao

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// skillPayload is the part of Open Builder's SkillPayload the connector
// reads (channels.md §1.2); other fields are ignored.
type skillPayload struct {
	Intent      *payloadIntent `json:"intent"`
	UserRequest *userRequest   `json:"userRequest"`
	Action      *payloadAction `json:"action"`
}

type payloadIntent struct {
	Name string `json:"name"`
}

type userRequest struct {
	Utterance   string `json:"utterance"`
	CallbackURL string `json:"callbackUrl"`
	User        *struct {
		ID string `json:"id"`
	} `json:"user"`
}

type payloadAction struct {
	Params       map[string]looseString     `json:"params"`
	DetailParams map[string]detailParam     `json:"detailParams"`
	ClientExtra  map[string]json.RawMessage `json:"clientExtra"`
}

// detailParam is one entity Open Builder extracted: the canonical value and
// the words the user said.
type detailParam struct {
	Origin looseString `json:"origin"`
	Value  looseString `json:"value"`
}

// looseString is a string that Open Builder documents as a string but that
// a system entity might send as a number or object: anything but a JSON
// string is kept as its JSON text, so one odd value does not make the
// whole request unreadable.
type looseString string

// UnmarshalJSON implements json.Unmarshaler.
func (l *looseString) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = looseString(s)
		return nil
	}
	if string(b) == "null" {
		*l = ""
		return nil
	}
	*l = looseString(b)
	return nil
}

// skillRequest is a parsed SkillPayload: who said what, the button value
// when a button was tapped, and the block's entities.
type skillRequest struct {
	UserID      string
	Text        string // clientExtra.v when present, else the utterance
	Utterance   string
	IntentName  string
	CallbackURL string // "" when the block has no callback
	Params      map[string]entity
}

// entity is a block parameter: the canonical value and the words said.
type entity struct{ Origin, Value string }

// errNotSkill marks a well-formed JSON object that is not a skill request
// (no userRequest): acknowledged and dropped, like another platform's
// unknown event type.
var errNotSkill = errors.New("kakao: not a skill request")

// parsePayload reads a SkillPayload. It returns errNotSkill for an object
// without userRequest, and another error for anything malformed: not a JSON
// object, no user id, nothing said, or a callback URL that is not an
// absolute http(s) URL.
func parsePayload(body []byte) (*skillRequest, error) {
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("kakao: payload: not a JSON object")
	}
	var p skillPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("kakao: payload: %w", err)
	}
	ur := p.UserRequest
	if ur == nil {
		return nil, errNotSkill
	}
	if ur.User == nil || ur.User.ID == "" {
		return nil, errors.New("kakao: payload: userRequest.user.id is missing")
	}
	req := &skillRequest{UserID: ur.User.ID, Utterance: ur.Utterance, Text: ur.Utterance, CallbackURL: ur.CallbackURL}
	if p.Intent != nil {
		req.IntentName = p.Intent.Name
	}
	if a := p.Action; a != nil {
		if v := extraValue(a.ClientExtra["v"]); v != "" {
			req.Text = v
		}
		req.Params = entities(a.Params, a.DetailParams)
	}
	if strings.TrimSpace(req.Text) == "" {
		return nil, errors.New("kakao: payload: userRequest.utterance is empty")
	}
	if req.CallbackURL != "" {
		u, err := url.Parse(req.CallbackURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errors.New("kakao: payload: userRequest.callbackUrl is not an http(s) URL")
		}
	}
	return req, nil
}

// extraValue reads the v of a clientExtra: our own buttons put a string
// there; a console-authored button may carry a number or a boolean.
func extraValue(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return fmt.Sprint(b)
	}
	return ""
}

// entities merges params and detailParams by name: detailParams carry the
// words said (origin) beside the value; params alone give the value only.
// Empty values are left out.
func entities(params map[string]looseString, detail map[string]detailParam) map[string]entity {
	if len(params) == 0 && len(detail) == 0 {
		return nil
	}
	out := make(map[string]entity, len(params)+len(detail))
	for name, v := range params {
		if v := scalar(string(v)); v != "" {
			out[name] = entity{Origin: v, Value: v}
		}
	}
	for name, d := range detail {
		e := entity{Origin: string(d.Origin), Value: scalar(string(d.Value))}
		if e.Value == "" {
			e.Value = out[name].Value
		}
		if e.Origin == "" {
			e.Origin = e.Value
		}
		if e.Value != "" {
			out[name] = e
		}
	}
	return out
}

// scalar reads a system entity's value: Open Builder sends sys_date,
// sys_number and the like as a JSON object serialised into the string
// (channels.md §1.2); the field that holds the value is reported by third
// parties as date, time, amount or value.
func scalar(v string) string {
	if !strings.HasPrefix(v, "{") {
		return v
	}
	var obj map[string]any
	if json.Unmarshal([]byte(v), &obj) != nil {
		return v
	}
	for _, key := range []string{"value", "date", "time", "amount"} {
		switch x := obj[key].(type) {
		case string:
			return x
		case float64:
			return fmt.Sprint(x)
		}
	}
	return v
}
