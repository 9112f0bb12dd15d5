package convtest

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/parleybot/parley"
)

// File is one test file: the conversations it holds, in order. A YAML file
// holds one conversation; a Lex Test Workbench CSV file holds many.
type File struct {
	Path          string
	Conversations []*Conversation
}

// Conversation is one scripted conversation, played in a session of its
// own.
type Conversation struct {
	Name string `yaml:"name"`
	// Bot is the id of the bot the file was written for; the cli refuses
	// to run it against another.
	Bot string `yaml:"bot,omitempty"`
	// Locale is the locale to talk in; the runner's default when empty.
	Locale string `yaml:"locale,omitempty"`
	// SessionAttributes are set on the session before the first turn.
	SessionAttributes map[string]string `yaml:"sessionAttributes,omitempty"`
	Turns             []*Turn           `yaml:"turns"`
}

// Turn is one user input and what the bot must do with it.
type Turn struct {
	User   string  `yaml:"user"`
	Expect *Expect `yaml:"expect,omitempty"`
	// Line is where the turn is written in its file (0 when unknown), so a
	// failure points at it.
	Line int `yaml:"-"`
}

// Expect lists the checks of one turn; a field left out is not checked.
type Expect struct {
	Intent       string `yaml:"intent,omitempty"`
	State        string `yaml:"state,omitempty"`
	DialogAction string `yaml:"dialogAction,omitempty"`
	SlotToElicit string `yaml:"slotToElicit,omitempty"`
	// Slots maps a slot name to its expected value; null expects the slot
	// unfilled. Slots not named are not checked.
	Slots map[string]*string `yaml:"slots,omitempty"`
	// Message is a regular expression that must match the text of the
	// turn's messages, joined by newlines.
	Message string `yaml:"message,omitempty"`
	// SessionAttributes maps an attribute to a regular expression that
	// must match its whole value (a generated order id is checked by its
	// shape); null expects the attribute absent.
	SessionAttributes map[string]*string `yaml:"sessionAttributes,omitempty"`

	message *regexp.Regexp
	attrs   map[string]*regexp.Regexp
}

var (
	intentStates = []string{
		string(parley.IntentInProgress), string(parley.IntentReadyForFulfillment),
		string(parley.IntentFulfillmentInProgress), string(parley.IntentFulfilled),
		string(parley.IntentFailed), string(parley.IntentWaiting),
	}
	dialogActions = []string{
		string(parley.ActionClose), string(parley.ActionConfirmIntent), string(parley.ActionDelegate),
		string(parley.ActionElicitIntent), string(parley.ActionElicitSlot), string(parley.ActionNone),
	}
)

// ParseYAML reads a YAML test file (FORMAT.md). Unknown fields are errors,
// so a misspelt expectation cannot silently check nothing.
func ParseYAML(path string, data []byte) (*File, error) {
	var c Conversation
	if err := unmarshal(data, &c); err != nil {
		return nil, parley.Errorf(parley.ErrValidation, "%s: %s", path, strings.TrimSpace(yaml.FormatError(err, false, true)))
	}
	if c.Name == "" {
		c.Name = path
	}
	lineTurns(data, c.Turns)
	if err := c.check(); err != nil {
		return nil, parley.Errorf(parley.ErrValidation, "%s: %v", path, err)
	}
	return &File{Path: path, Conversations: []*Conversation{&c}}, nil
}

// unmarshal decodes strictly, turning a panic inside the YAML decoder
// (seen on malformed tags) into an error: test files are outside input.
func unmarshal(data []byte, c *Conversation) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML decoder failed: %v", r)
		}
	}()
	return yaml.UnmarshalWithOptions(data, c, yaml.Strict())
}

// lineTurns sets each turn's line from the "user:" keys of data, in order:
// the parser keeps no positions, and a failure is easier to find by line.
func lineTurns(data []byte, turns []*Turn) {
	i := 0
	for n, line := range bytes.Split(data, []byte("\n")) {
		if i == len(turns) {
			return
		}
		t := bytes.TrimLeft(line, " \t-{")
		if bytes.HasPrefix(t, []byte("user:")) {
			turns[i].Line = n + 1
			i++
		}
	}
}

// check validates a conversation and compiles its message patterns.
func (c *Conversation) check() error {
	if len(c.Turns) == 0 {
		return fmt.Errorf("conversation %q has no turns", c.Name)
	}
	for i, t := range c.Turns {
		if t == nil || t.User == "" {
			return fmt.Errorf("turns[%d]: user is required", i)
		}
		e := t.Expect
		if e == nil {
			continue
		}
		if e.State != "" && !slices.Contains(intentStates, e.State) {
			return fmt.Errorf("turns[%d].expect.state: %q is not one of %v", i, e.State, intentStates)
		}
		if e.DialogAction != "" && !slices.Contains(dialogActions, e.DialogAction) {
			return fmt.Errorf("turns[%d].expect.dialogAction: %q is not one of %v", i, e.DialogAction, dialogActions)
		}
		if e.Message != "" {
			re, err := regexp.Compile(e.Message)
			if err != nil {
				return fmt.Errorf("turns[%d].expect.message: %w", i, err)
			}
			e.message = re
		}
		for k, v := range e.SessionAttributes {
			if v == nil {
				continue
			}
			re, err := regexp.Compile("^(?:" + *v + ")$")
			if err != nil {
				return fmt.Errorf("turns[%d].expect.sessionAttributes.%s: %w", i, k, err)
			}
			if e.attrs == nil {
				e.attrs = map[string]*regexp.Regexp{}
			}
			e.attrs[k] = re
		}
	}
	return nil
}

// MarshalYAML writes a conversation in the YAML test format.
func MarshalYAML(c *Conversation) ([]byte, error) {
	out, err := yaml.MarshalWithOptions(c, yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("convtest: write test file: %w", err)
	}
	return out, nil
}
