package openai

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/parleybot/parley"
)

// Defaults for the zero values of Config.
const (
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultTimeout    = 60 * time.Second
	DefaultMaxRetries = 2
)

// embedBatch is how many texts go in one embeddings request: well under
// the API's limit of 2048 inputs, and small enough for local servers.
const embedBatch = 128

// emptyMessagesLimit is how many non-data lines (blank separators, keep-
// alive comments) the stream reader tolerates between two chunks. The
// library's default of 300 breaks on servers that ping while a slow model
// thinks.
const emptyMessagesLimit = 10000

// Config says which API and model a Client talks to.
type Config struct {
	// BaseURL is the API's base, up to and including the version:
	// "https://api.openai.com/v1" (the default), "http://localhost:11434/v1"
	// for Ollama. For Azure OpenAI it is the resource's endpoint,
	// "https://NAME.openai.azure.com", and AzureAPIVersion is set.
	BaseURL string
	// APIKey is sent as a bearer token (Azure: the api-key header). It is
	// required for OpenAI and Azure; local servers may need none.
	APIKey string
	// Model is the chat model; on Azure, the chat deployment's name.
	Model string
	// EmbeddingModel is the embeddings model (on Azure, deployment); empty
	// makes Embed fail with ErrValidation.
	EmbeddingModel string
	// Organization is sent as OpenAI-Organization when set.
	Organization string
	// Timeout bounds each call, retries and a whole stream included; zero
	// means DefaultTimeout. A shorter deadline on the caller's context
	// wins.
	Timeout time.Duration
	// MaxTokens caps an answer when a request does not; zero leaves the
	// server's default.
	MaxTokens int
	// Temperature is used when a request has none; nil leaves the
	// server's default.
	Temperature *float64
	// AzureAPIVersion, when set, selects Azure OpenAI and is sent as the
	// api-version query parameter, e.g. "2024-10-21".
	AzureAPIVersion string
	// MaxRetries is how many times a failed call is tried again when that
	// is safe; zero means DefaultMaxRetries, negative means never.
	MaxRetries int
	// Logger receives a line per retry; nil discards them.
	Logger *slog.Logger
}

// Client talks to one model. Safe for concurrent use.
type Client struct {
	api            *goopenai.Client
	model          string
	embeddingModel string
	host           string // names the endpoint in errors and logs
	apiKey         string // only to scrub it from error text
	timeout        time.Duration
	maxTokens      int
	temperature    *float64
	maxRetries     int
	log            *slog.Logger
	sleep          func(ctx context.Context, d time.Duration) error
}

var (
	_ parley.LLM      = (*Client)(nil)
	_ parley.Embedder = (*Client)(nil)
)

// New returns a client for cfg. It returns ErrValidation naming the field
// when cfg lacks something it needs or holds an unusable value.
func New(cfg Config) (*Client, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, parley.Errorf(parley.ErrValidation, "openai: BaseURL %q is not an http(s) URL", base)
	}
	if cfg.Model == "" {
		return nil, parley.Errorf(parley.ErrValidation, "openai: Model is required")
	}
	if cfg.APIKey == "" && (cfg.AzureAPIVersion != "" || strings.HasSuffix(u.Hostname(), "openai.com")) {
		return nil, parley.Errorf(parley.ErrValidation, "openai: APIKey is required for %s", u.Host)
	}
	if cfg.Timeout < 0 {
		return nil, parley.Errorf(parley.ErrValidation, "openai: Timeout must not be negative")
	}
	if cfg.MaxTokens < 0 {
		return nil, parley.Errorf(parley.ErrValidation, "openai: MaxTokens must not be negative")
	}
	if t := cfg.Temperature; t != nil && (*t < 0 || *t > 2) {
		return nil, parley.Errorf(parley.ErrValidation, "openai: Temperature must be within [0, 2]")
	}

	var wire goopenai.ClientConfig
	if cfg.AzureAPIVersion != "" {
		wire = goopenai.DefaultAzureConfig(cfg.APIKey, base)
		wire.APIVersion = cfg.AzureAPIVersion
		// The model names the deployment as the user wrote it; the
		// library's default mapper would strip dots and colons.
		wire.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		wire = goopenai.DefaultConfig(cfg.APIKey)
		wire.BaseURL = base
	}
	wire.OrgID = cfg.Organization
	wire.EmptyMessagesLimit = emptyMessagesLimit
	wire.HTTPClient = observer{next: &http.Client{}}

	c := &Client{
		api:            goopenai.NewClientWithConfig(wire),
		model:          cfg.Model,
		embeddingModel: cfg.EmbeddingModel,
		host:           u.Host,
		apiKey:         cfg.APIKey,
		timeout:        cfg.Timeout,
		maxTokens:      cfg.MaxTokens,
		temperature:    cfg.Temperature,
		maxRetries:     cfg.MaxRetries,
		log:            cfg.Logger,
		sleep:          sleepCtx,
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
