package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/parleybot/parley"
)

// Chat implements parley.LLM.
func (c *Client) Chat(ctx context.Context, req *parley.ChatRequest) (*parley.ChatResponse, error) {
	wire, err := c.wireRequest(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var resp goopenai.ChatCompletionResponse
	err = c.call(ctx, "chat", func(ctx context.Context) error {
		var err error
		resp, err = c.api.CreateChatCompletion(ctx, wire)
		return err
	}, func() bool { return true })
	if err != nil {
		return nil, err
	}
	if len(resp.Choices) == 0 {
		return nil, parley.Errorf(parley.ErrDependencyFailed, "llm: chat at %s answered without choices", c.host)
	}
	return c.response(req, resp.Choices[0].Message.Content, resp.Model, resp.Usage), nil
}

// ChatStream implements parley.LLM. It asks for the usage chunk that
// OpenAI sends at the end of a stream (stream_options.include_usage);
// servers that send none get the estimate described at estimateTokens. A
// failure before the first piece is retried like Chat's; once a piece has
// reached onDelta the call is never repeated, so the caller never sees an
// answer twice.
func (c *Client) ChatStream(ctx context.Context, req *parley.ChatRequest, onDelta func(delta string) error) (*parley.ChatResponse, error) {
	wire, err := c.wireRequest(req)
	if err != nil {
		return nil, err
	}
	wire.Stream = true
	wire.StreamOptions = &goopenai.StreamOptions{IncludeUsage: true}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var (
		answer    strings.Builder
		delivered int
		model     string
		usage     goopenai.Usage
	)
	err = c.call(ctx, "chat stream", func(ctx context.Context) error {
		stream, err := c.api.CreateChatCompletionStream(ctx, wire)
		if err != nil {
			return err
		}
		defer stream.Close()
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				if delivered > 0 {
					return fmt.Errorf("stream broke after %d pieces: %w", delivered, err)
				}
				return err
			}
			if chunk.Model != "" {
				model = chunk.Model
			}
			if chunk.Usage != nil {
				usage = *chunk.Usage
			}
			if len(chunk.Choices) == 0 || chunk.Choices[0].Delta.Content == "" {
				continue
			}
			delta := chunk.Choices[0].Delta.Content
			answer.WriteString(delta)
			delivered++
			if err := onDelta(delta); err != nil {
				return callbackError{err}
			}
		}
	}, func() bool { return delivered == 0 })
	if err != nil {
		return nil, err
	}
	return c.response(req, answer.String(), model, usage), nil
}

// Embed implements parley.Embedder. Texts go in batches of embedBatch, each
// retried on its own; none may be empty, as the API refuses empty input.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.embeddingModel == "" {
		return nil, parley.Errorf(parley.ErrValidation, "llm: EmbeddingModel is not configured")
	}
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			return nil, parley.Errorf(parley.ErrValidation, "llm: texts[%d] is empty", i)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += embedBatch {
		batch := texts[start:min(start+embedBatch, len(texts))]
		var resp goopenai.EmbeddingResponse
		err := c.call(ctx, "embeddings", func(ctx context.Context) error {
			var err error
			resp, err = c.api.CreateEmbeddings(ctx, goopenai.EmbeddingRequestStrings{
				Input:          batch,
				Model:          goopenai.EmbeddingModel(c.embeddingModel),
				EncodingFormat: goopenai.EmbeddingEncodingFormatFloat,
			})
			return err
		}, func() bool { return true })
		if err != nil {
			return nil, err
		}
		vecs, err := c.ordered(resp.Data, len(batch))
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && len(vecs[0]) != len(out[0]) {
			return nil, parley.Errorf(parley.ErrDependencyFailed, "llm: embeddings at %s changed length between batches (%d, %d)", c.host, len(out[0]), len(vecs[0]))
		}
		out = append(out, vecs...)
	}
	return out, nil
}

// ordered puts an embeddings answer in input order (the API tags each
// vector with its index and does not promise order) and checks it holds
// one non-empty vector per input, all of one length.
func (c *Client) ordered(data []goopenai.Embedding, n int) ([][]float32, error) {
	if len(data) != n {
		return nil, parley.Errorf(parley.ErrDependencyFailed, "llm: embeddings at %s answered %d vectors for %d texts", c.host, len(data), n)
	}
	out := make([][]float32, n)
	for _, d := range data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil || len(d.Embedding) == 0 {
			return nil, parley.Errorf(parley.ErrDependencyFailed, "llm: embeddings at %s answered a bad vector (index %d, length %d)", c.host, d.Index, len(d.Embedding))
		}
		if len(d.Embedding) != len(data[0].Embedding) {
			return nil, parley.Errorf(parley.ErrDependencyFailed, "llm: embeddings at %s answered vectors of different lengths", c.host)
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// wireRequest builds the library's request from ours and the defaults.
func (c *Client) wireRequest(req *parley.ChatRequest) (goopenai.ChatCompletionRequest, error) {
	if req == nil || len(req.Messages) == 0 {
		return goopenai.ChatCompletionRequest{}, parley.Errorf(parley.ErrValidation, "llm: a chat request needs at least one message")
	}
	wire := goopenai.ChatCompletionRequest{Model: c.model}
	for i, m := range req.Messages {
		switch m.Role {
		case parley.RoleSystem, parley.RoleUser, parley.RoleAssistant:
		default:
			return wire, parley.Errorf(parley.ErrValidation, "llm: messages[%d] has unknown role %q", i, m.Role)
		}
		wire.Messages = append(wire.Messages, goopenai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	maxTokens := c.maxTokens
	if req.MaxTokens > 0 {
		maxTokens = req.MaxTokens
	}
	temp := c.temperature
	if req.Temperature != nil {
		temp = req.Temperature
	}
	if reasoningModel(c.model) {
		// These models refuse max_tokens and any temperature but the
		// default; the library checks that before sending.
		wire.MaxCompletionTokens = maxTokens
		return wire, nil
	}
	wire.MaxTokens = maxTokens
	if temp != nil {
		// The library omits a zero temperature (omitempty), which would
		// leave the server's default of about 1; the smallest positive
		// float32 is 0 in effect and is sent.
		wire.Temperature = max(float32(*temp), math.SmallestNonzeroFloat32)
	}
	return wire, nil
}

// reasoningModel reports OpenAI's reasoning families (o1, o3, o4, gpt-5,
// gpt-6), whose requests the library validates differently.
func reasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// response assembles the answer, falling back to estimated token counts
// when the server reported no usage.
func (c *Client) response(req *parley.ChatRequest, content, model string, usage goopenai.Usage) *parley.ChatResponse {
	if model == "" {
		model = c.model
	}
	out := &parley.ChatResponse{Content: content, Model: model, PromptTokens: usage.PromptTokens, CompletionTokens: usage.CompletionTokens}
	if out.PromptTokens == 0 && out.CompletionTokens == 0 {
		for _, m := range req.Messages {
			out.PromptTokens += estimateTokens(m.Content)
		}
		out.CompletionTokens = estimateTokens(content)
	}
	return out
}

// estimateTokens guesses a text's token count as a quarter of its length
// in bytes, rounded up: close for English under OpenAI's tokenizers, an
// underestimate for Korean and Chinese (three bytes a syllable, often a
// token each). It is used only when a server reports no usage, so budgets
// still advance.
func estimateTokens(s string) int { return (len(s) + 3) / 4 }
