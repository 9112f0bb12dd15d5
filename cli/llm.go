package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/kb"
	"github.com/parleybot/parley/llm/openai"
)

// LLMConfig is the language model the bots' generative settings use: any
// OpenAI-compatible API (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's
// server). With no Model nothing is configured, and the generative
// features fall back to the bots' own responses (a knowledge base still
// answers with its best passage).
type LLMConfig struct {
	// BaseURL is the API's base including the version, e.g.
	// http://localhost:11434/v1; OpenAI's when empty.
	BaseURL string `yaml:"baseURL"`
	APIKey  string `yaml:"apiKey"`
	// Model is the chat model (Azure: deployment).
	Model string `yaml:"model"`
	// EmbeddingModel, when set, makes knowledge-base search hybrid.
	EmbeddingModel string `yaml:"embeddingModel"`
	Organization   string `yaml:"organization"`
	// AzureAPIVersion selects Azure OpenAI, e.g. 2024-10-21.
	AzureAPIVersion string `yaml:"azureAPIVersion"`
	// Timeout bounds the model's work in one turn, e.g. "20s"; the
	// engine's default when empty.
	Timeout     string   `yaml:"timeout"`
	MaxTokens   int      `yaml:"maxTokens"`
	Temperature *float64 `yaml:"temperature"`
}

// configured reports whether a model is named.
func (c LLMConfig) configured() bool { return c.Model != "" }

// timeout returns the parsed Timeout; zero when empty.
func (c LLMConfig) timeout() (time.Duration, error) {
	if c.Timeout == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(c.Timeout)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("llm.timeout %q: want a positive duration such as 20s", c.Timeout)
	}
	return d, nil
}

// problems lists what is wrong with the settings.
func (c LLMConfig) problems() []error {
	var errs []error
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("llm.baseURL %q: want an http(s) URL such as http://localhost:11434/v1", c.BaseURL))
		}
	}
	if !c.configured() && (c.BaseURL != "" || c.APIKey != "" || c.EmbeddingModel != "") {
		errs = append(errs, errors.New("llm.model: required when llm.baseURL, llm.apiKey or llm.embeddingModel is set (env PARLEY_LLM_MODEL)"))
	}
	if _, err := c.timeout(); err != nil {
		errs = append(errs, err)
	}
	if c.MaxTokens < 0 {
		errs = append(errs, fmt.Errorf("llm.maxTokens %d: must not be negative", c.MaxTokens))
	}
	if t := c.Temperature; t != nil && (*t < 0 || *t > 2) {
		errs = append(errs, fmt.Errorf("llm.temperature %g: must be 0–2", *t))
	}
	return errs
}

// llmSettings are the PARLEY_LLM_* environment variables; they have no
// flags, as secrets do not belong on a command line.
func llmSettings() []setting {
	str := func(f func(c *LLMConfig) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *f(&c.LLM) = v; return nil }
	}
	return []setting{
		{"PARLEY_LLM_BASE_URL", "", str(func(c *LLMConfig) *string { return &c.BaseURL })},
		{"PARLEY_LLM_API_KEY", "", str(func(c *LLMConfig) *string { return &c.APIKey })},
		{"PARLEY_LLM_MODEL", "", str(func(c *LLMConfig) *string { return &c.Model })},
		{"PARLEY_LLM_EMBEDDING_MODEL", "", str(func(c *LLMConfig) *string { return &c.EmbeddingModel })},
		{"PARLEY_LLM_ORGANIZATION", "", str(func(c *LLMConfig) *string { return &c.Organization })},
		{"PARLEY_LLM_AZURE_API_VERSION", "", str(func(c *LLMConfig) *string { return &c.AzureAPIVersion })},
		{"PARLEY_LLM_TIMEOUT", "", str(func(c *LLMConfig) *string { return &c.Timeout })},
		{"PARLEY_LLM_MAX_TOKENS", "", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.LLM.MaxTokens = n
			return err
		}},
		{"PARLEY_LLM_TEMPERATURE", "", func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			c.LLM.Temperature = &f
			return err
		}},
	}
}

// generativeParts are the model and the knowledge bases of the served bots,
// handed to the engine.
type generativeParts struct {
	llm     parley.LLM
	timeout time.Duration
	indexes map[string]*kb.Index // by bot id + "/" + locale id
}

// engineOptions adds the parts to opts.
func (g *generativeParts) engineOptions(opts engine.Options) engine.Options {
	if g == nil {
		return opts
	}
	opts.LLM = g.llm
	opts.LLMTimeout = g.timeout
	opts.Retriever = func(botID, localeID string) parley.Retriever {
		if ix := g.indexes[botID+"/"+localeID]; ix != nil {
			return ix
		}
		return nil
	}
	return opts
}

// buildGenerative builds the model client from cfg (none when no model is
// named) and indexes every knowledge-base folder the bots name, once per
// folder, with the model's embeddings when an embedding model is named.
func buildGenerative(cfg LLMConfig, bots []*parley.Bot, log *slog.Logger) (*generativeParts, error) {
	g := &generativeParts{indexes: map[string]*kb.Index{}}
	timeout, err := cfg.timeout()
	if err != nil {
		return nil, err
	}
	g.timeout = timeout
	var embedder parley.Embedder
	if cfg.configured() {
		client, err := openai.New(openai.Config{
			BaseURL:         cfg.BaseURL,
			APIKey:          cfg.APIKey,
			Model:           cfg.Model,
			EmbeddingModel:  cfg.EmbeddingModel,
			Organization:    cfg.Organization,
			AzureAPIVersion: cfg.AzureAPIVersion,
			Timeout:         timeout,
			MaxTokens:       cfg.MaxTokens,
			Temperature:     cfg.Temperature,
			Logger:          log,
		})
		if err != nil {
			return nil, fmt.Errorf("llm: %w", err)
		}
		g.llm = client
		if cfg.EmbeddingModel != "" {
			embedder = client
		}
		log.Info("language model", "model", cfg.Model, "embeddingModel", cfg.EmbeddingModel)
	}
	byFolder := map[string]*kb.Index{}
	for _, b := range bots {
		for _, loc := range b.Locales {
			gs := loc.Generative
			if gs == nil || gs.KnowledgeBase == nil {
				continue
			}
			folder := gs.KnowledgeBase.Folder
			ix := byFolder[folder]
			if ix == nil {
				start := time.Now()
				if ix, err = kb.Load(folder, kb.Options{Embedder: embedder, Logger: log}); err != nil {
					return nil, fmt.Errorf("knowledge base of bot %s locale %s: %w", b.ID, loc.ID, err)
				}
				byFolder[folder] = ix
				log.Info("knowledge base indexed", "bot", b.ID, "locale", loc.ID, "folder", folder, "passages", ix.Len(), "duration", time.Since(start))
			}
			g.indexes[b.ID+"/"+loc.ID] = ix
		}
	}
	return g, nil
}

// llmFromEnv reads the PARLEY_LLM_* variables, for the commands that take
// no configuration file (chat).
func llmFromEnv(env Env) (LLMConfig, error) {
	var cfg Config
	if env == nil {
		return cfg.LLM, nil
	}
	for _, s := range llmSettings() {
		if v, ok := env(s.env); ok && v != "" {
			if err := s.set(&cfg, v); err != nil {
				return LLMConfig{}, fmt.Errorf("config: %s=%q: %w", s.env, v, err)
			}
		}
	}
	return cfg.LLM, errors.Join(cfg.LLM.problems()...)
}
