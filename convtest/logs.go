package convtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/parleybot/parley"
)

// logEntry is the part of a Lex V2 text conversation log entry (one JSON
// object per utterance, as CloudWatch Logs stores them) that a test needs.
type logEntry struct {
	SessionID       string              `json:"sessionId"`
	InputTranscript string              `json:"inputTranscript"`
	Messages        []parley.Message    `json:"messages"`
	SessionState    parley.SessionState `json:"sessionState"`
	Bot             struct {
		ID       string `json:"id"`
		LocaleID string `json:"localeId"`
	} `json:"bot"`
}

// ParseConversationLogs turns Lex V2 text conversation logs, one JSON
// entry a line (blank lines skipped), into one conversation per session,
// in the order sessions first appear: each entry is a turn that expects
// what the bot answered then (see Expectation). Entries without an input
// transcript (audio the log has no text for) are skipped.
func ParseConversationLogs(path string, data []byte) ([]*Conversation, error) {
	var convs []*Conversation
	bySession := map[string]*Conversation{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e logEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "%s:%d: not a conversation log entry: %v", path, n, err)
		}
		if e.InputTranscript == "" {
			continue
		}
		c := bySession[e.SessionID]
		if c == nil {
			c = &Conversation{Name: "session " + e.SessionID, Bot: e.Bot.ID, Locale: e.Bot.LocaleID}
			bySession[e.SessionID] = c
			convs = append(convs, c)
		}
		res := &parley.TurnResult{Messages: e.Messages, SessionState: e.SessionState}
		c.Turns = append(c.Turns, &Turn{User: e.InputTranscript, Line: n, Expect: Expectation(res)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("convtest: read %s: %w", path, err)
	}
	if len(convs) == 0 {
		return nil, parley.Errorf(parley.ErrValidation, "%s: no conversation log entries with an input transcript", path)
	}
	for _, c := range convs {
		if err := c.check(); err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "%s: %s: %v", path, c.Name, err)
		}
	}
	return convs, nil
}
