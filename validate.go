package parley

import (
	"fmt"
	"unicode/utf16"
)

// Limits of the Lex V2 runtime API.
const (
	MaxTextLength         = 1024 // UTF-16 code units of an utterance
	MaxMessages           = 10
	MaxMessageContent     = 1024
	MaxActiveContexts     = 20
	MaxContextAttributes  = 10
	MaxInterpretations    = 5
	MinSessionIDLength    = 2
	MaxSessionIDLength    = 100
	MaxCardButtons        = 5
	MaxCardTitleLength    = 250
	MaxButtonFieldLength  = 50
	MaxContextNameLength  = 100
	MinContextTTLSeconds  = 5
	MaxContextTTLSeconds  = 86400
	MaxContextTurnsToLive = 20
)

// UTF16Len returns the length of s in UTF-16 code units, the unit of Lex's
// text limits.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func invalid(field, format string, args ...any) *Error {
	return &Error{Code: ErrValidation, Message: fmt.Sprintf("%s: %s", field, fmt.Sprintf(format, args...))}
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// ValidBotID reports whether id has Lex's bot id form: exactly ten ASCII
// letters or digits.
func ValidBotID(id string) bool { return len(id) == 10 && isAlnum(id) }

// Validate checks the key's fields against Lex's patterns.
func (k SessionKey) Validate() error {
	if !ValidBotID(k.BotID) {
		return invalid("botId", "must be exactly 10 letters or digits, got %q", k.BotID)
	}
	if k.AliasID == "" || len(k.AliasID) > 10 || !isAlnum(k.AliasID) {
		return invalid("botAliasId", "must be 1–10 letters or digits, got %q", k.AliasID)
	}
	if k.LocaleID == "" {
		return invalid("localeId", "must not be empty")
	}
	if n := len(k.SessionID); n < MinSessionIDLength || n > MaxSessionIDLength {
		return invalid("sessionId", "length must be %d–%d, got %d", MinSessionIDLength, MaxSessionIDLength, n)
	}
	for i := 0; i < len(k.SessionID); i++ {
		c := k.SessionID[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '_' || c == ':' || c == '-') {
			return invalid("sessionId", "character %q at %d is not one of [0-9a-zA-Z._:-]", c, i)
		}
	}
	return nil
}

// Validate checks a turn request's fields; it does not check names against a
// bot (the engine does).
func (r *TurnRequest) Validate() error {
	if err := r.Key.Validate(); err != nil {
		return err
	}
	if n := UTF16Len(r.Text); n < 1 || n > MaxTextLength {
		return invalid("text", "length must be 1–%d characters, got %d", MaxTextLength, n)
	}
	if r.SessionState != nil {
		if err := r.SessionState.Validate("sessionState"); err != nil {
			return err
		}
	}
	return validateAttributes("requestAttributes", r.RequestAttributes)
}

// Validate checks a PutSession request's fields.
func (r *PutSessionRequest) Validate() error {
	if err := r.Key.Validate(); err != nil {
		return err
	}
	if r.SessionState.DialogAction == nil {
		return invalid("sessionState.dialogAction", "is required")
	}
	if err := r.SessionState.Validate("sessionState"); err != nil {
		return err
	}
	if err := ValidateMessages("messages", r.Messages); err != nil {
		return err
	}
	return validateAttributes("requestAttributes", r.RequestAttributes)
}

func validateAttributes(field string, m map[string]string) error {
	for k := range m {
		if k == "" {
			return invalid(field, "keys must not be empty")
		}
	}
	return nil
}

// Validate checks the state's fields; field is the name of the state in
// messages ("sessionState").
func (s *SessionState) Validate(field string) error {
	if a := s.DialogAction; a != nil {
		switch a.Type {
		case ActionClose, ActionConfirmIntent, ActionDelegate, ActionElicitIntent, ActionElicitSlot, ActionNone:
		default:
			return invalid(field+".dialogAction.type", "must be one of Close, ConfirmIntent, Delegate, ElicitIntent, ElicitSlot, None; got %q", a.Type)
		}
		if a.Type == ActionElicitSlot && a.SlotToElicit == "" {
			return invalid(field+".dialogAction.slotToElicit", "is required when type is ElicitSlot")
		}
		switch a.SlotElicitationStyle {
		case "", "Default", "SpellByLetter", "SpellByWord":
		default:
			return invalid(field+".dialogAction.slotElicitationStyle", "must be Default, SpellByLetter or SpellByWord; got %q", a.SlotElicitationStyle)
		}
		if (a.Type == ActionElicitSlot || a.Type == ActionConfirmIntent) && s.Intent == nil {
			return invalid(field+".intent", "is required when dialogAction.type is %s", a.Type)
		}
	}
	if in := s.Intent; in != nil {
		if in.Name == "" {
			return invalid(field+".intent.name", "is required")
		}
		switch in.State {
		case "", IntentInProgress, IntentReadyForFulfillment, IntentFulfillmentInProgress, IntentFulfilled, IntentFailed, IntentWaiting:
		default:
			return invalid(field+".intent.state", "unknown state %q", in.State)
		}
		switch in.ConfirmationState {
		case "", ConfirmationNone, ConfirmationConfirmed, ConfirmationDenied:
		default:
			return invalid(field+".intent.confirmationState", "unknown confirmation state %q", in.ConfirmationState)
		}
		for name, v := range in.Slots {
			if err := v.validate(field + ".intent.slots." + name); err != nil {
				return err
			}
		}
	}
	if len(s.ActiveContexts) > MaxActiveContexts {
		return invalid(field+".activeContexts", "at most %d contexts, got %d", MaxActiveContexts, len(s.ActiveContexts))
	}
	for i, c := range s.ActiveContexts {
		if err := c.validate(fmt.Sprintf("%s.activeContexts[%d]", field, i)); err != nil {
			return err
		}
	}
	return validateAttributes(field+".sessionAttributes", s.SessionAttributes)
}

func (v *SlotValue) validate(field string) error {
	if v == nil {
		return nil
	}
	switch v.Shape {
	case "", ShapeScalar, ShapeList, ShapeComposite:
	default:
		return invalid(field+".shape", "must be Scalar, List or Composite; got %q", v.Shape)
	}
	if v.Value != nil && v.Value.InterpretedValue == "" {
		return invalid(field+".value.interpretedValue", "is required")
	}
	for i, item := range v.Values {
		if err := item.validate(fmt.Sprintf("%s.values[%d]", field, i)); err != nil {
			return err
		}
	}
	for name, sub := range v.SubSlots {
		if err := sub.validate(field + ".subSlots." + name); err != nil {
			return err
		}
	}
	return nil
}

func (c *ActiveContext) validate(field string) error {
	if c.Name == "" || len(c.Name) > MaxContextNameLength || !validContextName(c.Name) {
		return invalid(field+".name", "must match ^([A-Za-z0-9]_?)+$ and be at most %d characters, got %q", MaxContextNameLength, c.Name)
	}
	if t := c.TimeToLive.TimeToLiveInSeconds; t < MinContextTTLSeconds || t > MaxContextTTLSeconds {
		return invalid(field+".timeToLive.timeToLiveInSeconds", "must be %d–%d, got %d", MinContextTTLSeconds, MaxContextTTLSeconds, t)
	}
	if t := c.TimeToLive.TurnsToLive; t < 1 || t > MaxContextTurnsToLive {
		return invalid(field+".timeToLive.turnsToLive", "must be 1–%d, got %d", MaxContextTurnsToLive, t)
	}
	if len(c.ContextAttributes) > MaxContextAttributes {
		return invalid(field+".contextAttributes", "at most %d attributes, got %d", MaxContextAttributes, len(c.ContextAttributes))
	}
	return nil
}

// validContextName checks ^([A-Za-z0-9]_?)+$: alphanumerics with single
// underscores between them, not leading.
func validContextName(s string) bool {
	prevUnderscore := true
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			if prevUnderscore {
				return false
			}
			prevUnderscore = true
			continue
		}
		if !isAlnum(s[i : i+1]) {
			return false
		}
		prevUnderscore = false
	}
	return true
}

// ValidateMessages checks messages against the runtime API's limits; field
// names the list in error messages.
func ValidateMessages(field string, msgs []Message) error {
	if len(msgs) > MaxMessages {
		return invalid(field, "at most %d messages, got %d", MaxMessages, len(msgs))
	}
	for i, m := range msgs {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch m.ContentType {
		case ContentPlainText, ContentSSML, ContentCustomPayload:
			if n := UTF16Len(m.Content); n < 1 || n > MaxMessageContent {
				return invalid(f+".content", "length must be 1–%d, got %d", MaxMessageContent, n)
			}
		case ContentImageResponseCard:
			c := m.ImageResponseCard
			if c == nil {
				return invalid(f+".imageResponseCard", "is required when contentType is ImageResponseCard")
			}
			if n := UTF16Len(c.Title); n < 1 || n > MaxCardTitleLength {
				return invalid(f+".imageResponseCard.title", "length must be 1–%d, got %d", MaxCardTitleLength, n)
			}
			if len(c.Buttons) > MaxCardButtons {
				return invalid(f+".imageResponseCard.buttons", "at most %d buttons, got %d", MaxCardButtons, len(c.Buttons))
			}
			for j, b := range c.Buttons {
				bf := fmt.Sprintf("%s.imageResponseCard.buttons[%d]", f, j)
				if n := UTF16Len(b.Text); n < 1 || n > MaxButtonFieldLength {
					return invalid(bf+".text", "length must be 1–%d, got %d", MaxButtonFieldLength, n)
				}
				if n := UTF16Len(b.Value); n < 1 || n > MaxButtonFieldLength {
					return invalid(bf+".value", "length must be 1–%d, got %d", MaxButtonFieldLength, n)
				}
			}
		default:
			return invalid(f+".contentType", "must be PlainText, SSML, CustomPayload or ImageResponseCard; got %q", m.ContentType)
		}
	}
	return nil
}
