package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/pflag"
)

// Config is every setting of `parley serve`. LoadConfig fills it from, in
// order, the defaults, a YAML file, PARLEY_* environment variables and
// flags; a later source wins over an earlier one.
type Config struct {
	// Addr is the HOST:PORT to listen on; port 0 picks a free port.
	Addr string `yaml:"addr"`
	// Store names the session store as SCHEME:ARG: "memory:" or
	// "sqlite:PATH". In YAML, quote "memory:": a trailing colon would
	// start a mapping.
	Store string `yaml:"store"`
	// StoreInit lets the store create its table or keys where they are
	// missing; without it a missing table is an error that says how to
	// create it, so schema changes stay an operator's decision.
	StoreInit bool `yaml:"storeInit"`
	// StoreKeyFile names the key file that encrypts stored session bodies
	// (cli/storekey.go); with neither it nor StoreKey they stay plain.
	StoreKeyFile string `yaml:"storeKeyFile"`
	// StoreKey is the keys themselves, ID:BASE64KEY[,…], from
	// PARLEY_STORE_KEY only: a secret belongs in neither a config file
	// nor a command line.
	StoreKey string `yaml:"-"`
	// APIKey, when set, is required on the Lex API and on POST /chat.
	APIKey string `yaml:"apiKey"`
	// APIKeyFile names a file holding the API key (cli/security.go).
	APIKeyFile string `yaml:"apiKeyFile"`
	// AccessKeys, when set, make the Lex API require a SigV4 signature
	// made with one of them; AccessKeysFile adds pairs from a file.
	AccessKeys     []AccessKey `yaml:"accessKeys"`
	AccessKeysFile string      `yaml:"accessKeysFile"`
	// accessKeysEnv is PARLEY_ACCESS_KEYS, parsed by loadSecrets rather
	// than by its setting, whose errors would print the secrets.
	accessKeysEnv string
	// CORS lets browser pages on other origins call the Lex API and /chat.
	CORS CORSConfig `yaml:"cors"`
	// RateLimit bounds requests per session and per client.
	RateLimit RateLimitConfig `yaml:"rateLimit"`
	// Insecure allows a non-loopback Addr without an APIKey.
	Insecure bool `yaml:"insecure"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"logLevel"`
	// NoHooks turns the bots' code hooks off: every code hook step
	// delegates, so a bot can be tried without its Lambda.
	NoHooks bool `yaml:"noHooks"`
	// PublicURL is the externally visible base URL of the server, e.g.
	// https://bot.example.com, under which the messaging platforms reach
	// the channels' webhooks; "http://" and the bound address when empty.
	PublicURL string `yaml:"publicURL"`
	// Bots are the bot definition paths to serve, relative to the working
	// directory. Paths given on the command line replace these.
	Bots []string `yaml:"bots"`
	// LLM is the language model of the bots' generative settings
	// (cli/llm.go); PARLEY_LLM_* variables set it too.
	LLM LLMConfig `yaml:"llm"`
	// ShutdownTimeout is how long a stopping server waits for the turns in
	// flight, e.g. "20s"; defaultShutdownTimeout when zero.
	ShutdownTimeout time.Duration `yaml:"shutdownTimeout"`
	// ConversationLog, when set, is the directory where every turn is
	// recorded as a JSON line, one file a day (package convlog), for
	// `parley logs` and `parley stats`.
	ConversationLog string `yaml:"conversationLog"`
	// ConversationLogRetention is how long the records are kept, e.g.
	// "30d" or "72h"; forever when empty.
	ConversationLogRetention string `yaml:"conversationLogRetention"`
}

// defaultShutdownTimeout is below Kubernetes' default 30s grace period, so
// the turns in flight finish before the kubelet's SIGKILL.
const defaultShutdownTimeout = 20 * time.Second

// DefaultConfig returns the settings used where nothing else is given:
// loopback only, and sessions in an SQLite file in the working directory so
// that they survive a restart.
func DefaultConfig() Config {
	return Config{
		Addr:     "127.0.0.1:8080",
		Store:    "sqlite:parley.db",
		LogLevel: "info",
	}
}

// setting ties one Config field to its environment variable and flag.
type setting struct {
	env, flag string
	set       func(c *Config, v string) error
}

// settings lists the Config fields that the environment and flags can set.
func settings() []setting {
	str := func(f func(c *Config) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *f(c) = v; return nil }
	}
	return append([]setting{
		{"PARLEY_ADDR", "addr", str(func(c *Config) *string { return &c.Addr })},
		{"PARLEY_STORE", "store", str(func(c *Config) *string { return &c.Store })},
		{"PARLEY_API_KEY", "api-key", str(func(c *Config) *string { return &c.APIKey })},
		{"PARLEY_LOG_LEVEL", "log-level", str(func(c *Config) *string { return &c.LogLevel })},
		{"PARLEY_PUBLIC_URL", "public-url", str(func(c *Config) *string { return &c.PublicURL })},
		{"PARLEY_SHUTDOWN_TIMEOUT", "shutdown-timeout", func(c *Config, v string) (err error) {
			c.ShutdownTimeout, err = time.ParseDuration(v)
			return err
		}},
		{"PARLEY_CONVERSATION_LOG", "conversation-log", str(func(c *Config) *string { return &c.ConversationLog })},
		{"PARLEY_CONVERSATION_LOG_RETENTION", "conversation-log-retention", str(func(c *Config) *string { return &c.ConversationLogRetention })},
		{"", "insecure", boolSetting(func(c *Config) *bool { return &c.Insecure })},
		{"", "no-hooks", boolSetting(func(c *Config) *bool { return &c.NoHooks })},
		{"", "store-init", boolSetting(func(c *Config) *bool { return &c.StoreInit })},
		{"PARLEY_STORE_KEY_FILE", "store-key-file", str(func(c *Config) *string { return &c.StoreKeyFile })},
		{"PARLEY_STORE_KEY", "", str(func(c *Config) *string { return &c.StoreKey })},
	}, append(llmSettings(), securitySettings()...)...)
}

// boolSetting sets a bool field from its flag's text.
func boolSetting(f func(c *Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		*f(c) = b
		return err
	}
}

// NewConfigFlags returns the flags LoadConfig reads. Their defaults are
// only shown in help: LoadConfig uses a flag's value only when it was
// given, so that a default cannot hide the file or the environment.
func NewConfigFlags() *pflag.FlagSet {
	def := DefaultConfig()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	fs.String("config", "", "YAML configuration file (keys: addr, store, storeInit, storeKeyFile, apiKey, apiKeyFile, accessKeys, accessKeysFile, cors, rateLimit, insecure, logLevel, noHooks, publicURL, bots, llm, shutdownTimeout, conversationLog, conversationLogRetention)")
	fs.String("addr", def.Addr, "address to listen on, HOST:PORT (env PARLEY_ADDR); port 0 picks a free port")
	fs.String("store", def.Store, "session store: "+storeUsage()+" (env PARLEY_STORE)")
	fs.Bool("store-init", false, "create the session store's table or keys where they are missing")
	fs.String("store-key-file", "", "encrypt stored sessions with the keys in this file, one `ID BASE64KEY` a line, the first for writing (env PARLEY_STORE_KEY_FILE, or the keys themselves in PARLEY_STORE_KEY=ID:BASE64KEY,…)")
	fs.String("api-key", "", "require this key on the Lex API and /chat (env PARLEY_API_KEY)")
	fs.Bool("insecure", false, "allow a non-loopback --addr without an API key")
	fs.Bool("no-hooks", false, "run without the bots' code hooks: every code hook step delegates to the dialog")
	fs.String("public-url", "", "the server's external base URL for the channels' webhooks, e.g. https://bot.example.com (env PARLEY_PUBLIC_URL); default http://ADDR")
	fs.Duration("shutdown-timeout", defaultShutdownTimeout, "how long a stopping server waits for turns in flight (env PARLEY_SHUTDOWN_TIMEOUT)")
	fs.String("log-level", def.LogLevel, "log level: debug, info, warn or error (env PARLEY_LOG_LEVEL)")
	fs.String("conversation-log", "", "record every turn as JSON lines in daily files in this directory, for parley logs and parley stats (env PARLEY_CONVERSATION_LOG)")
	fs.String("conversation-log-retention", "", "delete conversation log records older than this, e.g. 30d or 72h; default keep (env PARLEY_CONVERSATION_LOG_RETENTION)")
	addSecurityFlags(fs)
	return fs
}

// LoadConfig builds the configuration from the defaults, the YAML file
// named by the --config flag (if any), env and the flags that were given on
// fs, in that order, and validates it. Bot paths in args replace the
// file's.
func LoadConfig(fs *pflag.FlagSet, args []string, env Env) (Config, error) {
	cfg := DefaultConfig()
	if f := fs.Lookup("config"); f != nil && f.Value.String() != "" {
		if err := readConfigFile(f.Value.String(), &cfg); err != nil {
			return Config{}, err
		}
	}
	for _, s := range settings() {
		if s.env != "" {
			if v, ok := env(s.env); ok && v != "" {
				if err := s.set(&cfg, v); err != nil {
					return Config{}, fmt.Errorf("config: %s=%q: %w", s.env, v, err)
				}
			}
		}
		if f := fs.Lookup(s.flag); f != nil && f.Changed {
			if err := s.set(&cfg, f.Value.String()); err != nil {
				return Config{}, fmt.Errorf("config: --%s: %w", s.flag, err)
			}
		}
	}
	if err := applySecurity(&cfg, fs); err != nil {
		return Config{}, err
	}
	if len(args) > 0 {
		cfg.Bots = args
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// readConfigFile merges the YAML file at path into cfg; keys the file does
// not name keep their value, unknown keys are an error.
func readConfigFile(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := unmarshalStrict(data, cfg); err != nil {
		return fmt.Errorf("config: %s: %s", path, yaml.FormatError(err, false, true))
	}
	return nil
}

// unmarshalStrict decodes YAML strictly, turning a panic inside the
// decoder (goccy/go-yaml panics on some malformed tags, such as
// "bots: !000") into an error: a config file is outside input.
func unmarshalStrict(data []byte, cfg *Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML decoder failed: %v", r)
		}
	}()
	return yaml.UnmarshalWithOptions(data, cfg, yaml.Strict())
}

// Validate reports every invalid setting at once, one per line.
func (c Config) Validate() error {
	var errs []error
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("addr %q: port must be a number from 0 to 65535", c.Addr))
	}
	if err := checkStore(c.Store); err != nil {
		errs = append(errs, err)
	}
	if err := c.checkStoreKey(); err != nil {
		errs = append(errs, err)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("publicURL %q: want an http(s) URL with a host and no query, e.g. https://bot.example.com", c.PublicURL))
		}
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("shutdownTimeout %s: want a positive duration, e.g. 20s", c.ShutdownTimeout))
	}
	if _, err := parseRetention(c.ConversationLogRetention); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.LLM.problems()...)
	errs = append(errs, c.securityProblems()...)
	for _, b := range c.Bots {
		if b == "" {
			errs = append(errs, errors.New("bots: empty bot path"))
		}
	}
	if err == nil && !isLoopback(host) && c.APIKey == "" && len(c.AccessKeys) == 0 && !c.Insecure {
		errs = append(errs, fmt.Errorf("refusing to listen on %s without an API key: it is not a loopback address, "+
			"so anyone who can reach it could use the bots; add --api-key KEY (or PARLEY_API_KEY, --api-key-file) "+
			"or access keys (--access-keys-file) to require credentials, or --insecure to serve without them", c.Addr))
	}
	return errors.Join(errs...)
}

// isLoopback reports whether host only accepts connections from this
// machine. An empty host means every interface.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	host, _, _ = strings.Cut(host, "%") // an IPv6 zone
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// parseLevel reads a log level name.
func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// newJSONLogger returns the server's logger: JSON lines on w at level.
func newJSONLogger(w io.Writer, level string) (*slog.Logger, error) {
	l, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}
