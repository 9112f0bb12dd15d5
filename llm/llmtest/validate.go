package llmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/parleybot/parley"
)

// apiError is an answer in the API's error shape:
// {"error":{"message","type","param","code"}}.
type apiError struct {
	status  int
	message string
	typ     string
	param   string
	code    string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func invalid(param, format string, args ...any) *apiError {
	return &apiError{
		status:  http.StatusBadRequest,
		message: fmt.Sprintf(format, args...),
		typ:     "invalid_request_error",
		param:   param,
	}
}

// chatBody is a parsed and validated chat completion request.
type chatBody struct {
	model        string
	messages     []parley.ChatMessage
	stream       bool
	includeUsage bool
	maxTokens    int
	temperature  *float64
}

// parseChat validates a chat completion request body the way the API does
// for the fields Parley sends. Content must be a string: the API also takes
// an array of parts, but Parley never sends one, so the fake refuses it to
// catch a client that starts to.
func parseChat(body []byte) (*chatBody, *apiError) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, invalid("", "We could not parse the JSON body of your request.")
	}
	out := &chatBody{}
	if err := strictString(raw["model"], &out.model); err != nil || out.model == "" {
		return nil, invalid("model", "you must provide a model parameter")
	}
	var msgs []map[string]json.RawMessage
	if err := json.Unmarshal(raw["messages"], &msgs); err != nil || isNull(raw["messages"]) {
		return nil, invalid("messages", "Missing required parameter: 'messages'.")
	}
	if len(msgs) == 0 {
		return nil, invalid("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.")
	}
	for i, m := range msgs {
		if m == nil {
			return nil, invalid(fmt.Sprintf("messages[%d]", i), "Invalid type for 'messages[%d]': expected an object.", i)
		}
		var msg parley.ChatMessage
		if err := strictString(m["role"], &msg.Role); err != nil {
			return nil, invalid(fmt.Sprintf("messages[%d].role", i), "Missing required parameter: 'messages[%d].role'.", i)
		}
		switch msg.Role {
		case parley.RoleSystem, parley.RoleUser, parley.RoleAssistant:
		default:
			return nil, invalid(fmt.Sprintf("messages[%d].role", i), "Invalid value: '%s'. Supported values are: 'system', 'user' and 'assistant'.", msg.Role)
		}
		if err := strictString(m["content"], &msg.Content); err != nil {
			return nil, invalid(fmt.Sprintf("messages[%d].content", i), "Invalid type for 'messages[%d].content': expected a string.", i)
		}
		out.messages = append(out.messages, msg)
	}
	if v, ok := raw["stream"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &out.stream); err != nil {
			return nil, invalid("stream", "Invalid type for 'stream': expected a boolean.")
		}
	}
	if v, ok := raw["stream_options"]; ok && !isNull(v) {
		if !out.stream {
			return nil, invalid("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.")
		}
		var opts map[string]json.RawMessage
		if err := json.Unmarshal(v, &opts); err != nil || opts == nil {
			return nil, invalid("stream_options", "Invalid type for 'stream_options': expected an object.")
		}
		if u, ok := opts["include_usage"]; ok {
			if err := json.Unmarshal(u, &out.includeUsage); err != nil || isNull(u) {
				return nil, invalid("stream_options.include_usage", "Invalid type for 'stream_options.include_usage': expected a boolean.")
			}
		}
	}
	for _, name := range []string{"max_tokens", "max_completion_tokens"} {
		v, ok := raw[name]
		if !ok || isNull(v) {
			continue
		}
		var n int
		if err := json.Unmarshal(v, &n); err != nil || n < 1 {
			return nil, invalid(name, "Invalid '%s': expected an integer of at least 1.", name)
		}
		out.maxTokens = n
	}
	if v, ok := raw["temperature"]; ok && !isNull(v) {
		var t float64
		if err := json.Unmarshal(v, &t); err != nil || t < 0 || t > 2 {
			return nil, invalid("temperature", "Invalid 'temperature': expected a number from 0 to 2.")
		}
		out.temperature = &t
	}
	return out, nil
}

// embeddingsBody is a parsed and validated embeddings request.
type embeddingsBody struct {
	model string
	input []string
}

// parseEmbeddings validates an embeddings request: input is one string or
// an array of non-empty strings (token arrays, which the API also takes,
// are refused as Parley never sends them), and only the float encoding.
func parseEmbeddings(body []byte) (*embeddingsBody, *apiError) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, invalid("", "We could not parse the JSON body of your request.")
	}
	out := &embeddingsBody{}
	if err := strictString(raw["model"], &out.model); err != nil || out.model == "" {
		return nil, invalid("model", "you must provide a model parameter")
	}
	in := raw["input"]
	var one string
	if err := strictString(in, &one); err == nil {
		out.input = []string{one}
	} else if err := json.Unmarshal(in, &out.input); err != nil || isNull(in) {
		return nil, invalid("input", "'$.input' is invalid. Please check the API reference.")
	}
	if len(out.input) == 0 {
		return nil, invalid("input", "'$.input' is invalid. Please check the API reference.")
	}
	for _, s := range out.input {
		if s == "" {
			return nil, invalid("input", "'$.input' is invalid. Please check the API reference.")
		}
	}
	if v, ok := raw["encoding_format"]; ok && !isNull(v) {
		var f string
		if err := strictString(v, &f); err != nil || f != "float" {
			return nil, invalid("encoding_format", "the fake serves only encoding_format \"float\"")
		}
	}
	return out, nil
}

// strictString decodes a JSON string; null, absence and other types fail,
// where json.Unmarshal would leave a null silently unset.
func strictString(v json.RawMessage, dst *string) error {
	if len(bytes.TrimSpace(v)) == 0 || isNull(v) {
		return fmt.Errorf("llmtest: missing string")
	}
	return json.Unmarshal(v, dst)
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }
