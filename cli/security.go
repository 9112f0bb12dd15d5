package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// AccessKey is an AWS-style key pair a client signs Lex API requests with
// (SigV4, signing name "lex"), as the AWS SDKs and CLI do.
type AccessKey struct {
	AccessKeyID     string `yaml:"accessKeyId"`
	SecretAccessKey string `yaml:"secretAccessKey"`
}

// CORSConfig lets browsers on other origins call the Lex API and /chat:
// the web chat embedded in another site, or the AWS JavaScript SDK in a
// page.
type CORSConfig struct {
	// AllowedOrigins are origins such as https://shop.example.com, or "*"
	// for any.
	AllowedOrigins []string `yaml:"allowedOrigins"`
}

// RateLimitConfig bounds the request rate per session and per client with
// token buckets kept in each instance's memory: N instances behind a load
// balancer allow up to N times the rate.
type RateLimitConfig struct {
	// PerSession is the rate of one Lex or web chat session, e.g. "5/s",
	// "100/m"; empty or "0" for no limit.
	PerSession string `yaml:"perSession"`
	// PerClient is the rate of one client: its access key id, API key, or
	// remote address when it has neither.
	PerClient string `yaml:"perClient"`
	// SessionBurst and ClientBurst are how many requests may come at once
	// before the rate applies; the per-second rate rounded up (at least
	// 1) when zero.
	SessionBurst int `yaml:"sessionBurst"`
	ClientBurst  int `yaml:"clientBurst"`
}

// securitySettings are the environment variables and flags of the
// security settings that fit one string each.
func securitySettings() []setting {
	str := func(f func(c *Config) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *f(c) = v; return nil }
	}
	atoi := func(f func(c *Config) *int) func(*Config, string) error {
		return func(c *Config, v string) (err error) {
			*f(c), err = strconv.Atoi(v)
			return err
		}
	}
	return []setting{
		{"PARLEY_API_KEY_FILE", "api-key-file", str(func(c *Config) *string { return &c.APIKeyFile })},
		{"PARLEY_ACCESS_KEYS", "", func(c *Config, v string) error {
			c.accessKeysEnv = v
			return nil
		}},
		{"PARLEY_ACCESS_KEYS_FILE", "access-keys-file", str(func(c *Config) *string { return &c.AccessKeysFile })},
		{"PARLEY_CORS_ORIGINS", "", func(c *Config, v string) error {
			c.CORS.AllowedOrigins = nil
			for o := range strings.SplitSeq(v, ",") {
				if o = strings.TrimSpace(o); o != "" {
					c.CORS.AllowedOrigins = append(c.CORS.AllowedOrigins, o)
				}
			}
			return nil
		}},
		{"PARLEY_RATE_LIMIT_SESSION", "rate-limit-session", str(func(c *Config) *string { return &c.RateLimit.PerSession })},
		{"PARLEY_RATE_LIMIT_CLIENT", "rate-limit-client", str(func(c *Config) *string { return &c.RateLimit.PerClient })},
		{"PARLEY_RATE_LIMIT_SESSION_BURST", "rate-limit-session-burst", atoi(func(c *Config) *int { return &c.RateLimit.SessionBurst })},
		{"PARLEY_RATE_LIMIT_CLIENT_BURST", "rate-limit-client-burst", atoi(func(c *Config) *int { return &c.RateLimit.ClientBurst })},
	}
}

// addSecurityFlags adds the security flags to fs.
func addSecurityFlags(fs *pflag.FlagSet) {
	fs.String("api-key-file", "", "read the API key from this file (env PARLEY_API_KEY_FILE)")
	fs.String("access-keys-file", "", "require SigV4 on the Lex API with the key pairs in this file, one `ACCESS_KEY_ID SECRET` per line (env PARLEY_ACCESS_KEYS_FILE; PARLEY_ACCESS_KEYS=ID:SECRET,… gives them inline)")
	fs.StringArray("cors-origin", nil, "let browser pages from this origin call the Lex API and /chat, e.g. https://shop.example.com or * (repeatable; env PARLEY_CORS_ORIGINS, comma separated)")
	fs.String("rate-limit-session", "", "most requests per session, e.g. 5/s or 60/m (env PARLEY_RATE_LIMIT_SESSION)")
	fs.String("rate-limit-client", "", "most requests per client (access key, API key or address), e.g. 100/s (env PARLEY_RATE_LIMIT_CLIENT)")
	fs.Int("rate-limit-session-burst", 0, "requests a session may send at once (default: the per-second rate, at least 1)")
	fs.Int("rate-limit-client-burst", 0, "requests a client may send at once (default: the per-second rate, at least 1)")
}

// applySecurity finishes the security settings once every source is read:
// the repeatable --cors-origin flag, then the secrets in files.
func applySecurity(cfg *Config, fs *pflag.FlagSet) error {
	if f := fs.Lookup("cors-origin"); f != nil && f.Changed {
		origins, err := fs.GetStringArray("cors-origin")
		if err != nil {
			return fmt.Errorf("config: --cors-origin: %w", err)
		}
		cfg.CORS.AllowedOrigins = origins
	}
	return cfg.loadSecrets()
}

// loadSecrets reads the API key file and the access keys file into APIKey
// and AccessKeys, so that secrets can live in files (Kubernetes or Docker
// secrets) instead of the command line or the config file.
func (c *Config) loadSecrets() error {
	if c.accessKeysEnv != "" {
		// The environment's pairs replace the config file's, as every
		// other variable replaces its key.
		keys, err := parseAccessKeys(strings.NewReader(strings.ReplaceAll(c.accessKeysEnv, ",", "\n")), "PARLEY_ACCESS_KEYS")
		if err != nil {
			return err
		}
		c.AccessKeys, c.accessKeysEnv = keys, ""
	}
	if c.APIKeyFile != "" {
		if c.APIKey != "" {
			return fmt.Errorf("config: both apiKey and apiKeyFile (%s) are set: keep one", c.APIKeyFile)
		}
		key, err := readAPIKeyFile(c.APIKeyFile)
		if err != nil {
			return err
		}
		c.APIKey = key
	}
	if c.AccessKeysFile != "" {
		f, err := os.Open(c.AccessKeysFile)
		if err != nil {
			return fmt.Errorf("config: accessKeysFile: %w", err)
		}
		defer f.Close()
		keys, err := parseAccessKeys(f, c.AccessKeysFile)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			return fmt.Errorf("config: accessKeysFile %s holds no key pairs", c.AccessKeysFile)
		}
		c.AccessKeys = append(c.AccessKeys, keys...)
	}
	return nil
}

// readAPIKeyFile reads a file holding the API key alone (a trailing newline
// is fine).
func readAPIKeyFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("config: apiKeyFile: %w", err)
	}
	key := string(bytes.TrimSpace(data))
	switch {
	case key == "":
		return "", fmt.Errorf("config: apiKeyFile %s is empty", path)
	case strings.ContainsAny(key, "\r\n"):
		return "", fmt.Errorf("config: apiKeyFile %s:2: want the key alone on one line", path)
	}
	return key, nil
}

// parseAccessKeys reads key pairs, one a line as `ACCESS_KEY_ID SECRET` or
// `ACCESS_KEY_ID:SECRET`; blank lines and lines starting with # are
// skipped. Errors name the source and line, never the secret.
func parseAccessKeys(r io.Reader, source string) ([]AccessKey, error) {
	var keys []AccessKey
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var k AccessKey
		if f := strings.Fields(line); len(f) > 1 {
			if len(f) != 2 {
				return nil, fmt.Errorf("config: %s:%d: want ACCESS_KEY_ID SECRET or ACCESS_KEY_ID:SECRET, got %d fields", source, n, len(f))
			}
			k = AccessKey{f[0], f[1]}
		} else {
			id, secret, ok := strings.Cut(line, ":")
			if !ok {
				return nil, fmt.Errorf("config: %s:%d: want ACCESS_KEY_ID SECRET or ACCESS_KEY_ID:SECRET", source, n)
			}
			k = AccessKey{id, secret}
		}
		if k.AccessKeyID == "" || k.SecretAccessKey == "" {
			return nil, fmt.Errorf("config: %s:%d: empty access key id or secret", source, n)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: %s: %w", source, err)
	}
	return keys, nil
}

// securityProblems lists the invalid security settings.
func (c Config) securityProblems() []error {
	var errs []error
	seen := map[string]bool{}
	for i, k := range c.AccessKeys {
		switch {
		case k.AccessKeyID == "" || k.SecretAccessKey == "":
			errs = append(errs, fmt.Errorf("accessKeys[%d]: want both accessKeyId and secretAccessKey", i))
		case strings.ContainsAny(k.AccessKeyID, "/, \t="):
			errs = append(errs, fmt.Errorf("accessKeys[%d]: access key id %q: no '/', ',', '=' or spaces", i, k.AccessKeyID))
		case seen[k.AccessKeyID]:
			errs = append(errs, fmt.Errorf("accessKeys: access key id %q is given twice", k.AccessKeyID))
		}
		seen[k.AccessKeyID] = true
	}
	for _, o := range c.CORS.AllowedOrigins {
		if o == "*" {
			continue
		}
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf("cors.allowedOrigins %q: want * or an origin such as https://shop.example.com", o))
		}
	}
	for _, r := range []struct {
		name, spec string
		burst      int
	}{{"rateLimit.perSession", c.RateLimit.PerSession, c.RateLimit.SessionBurst}, {"rateLimit.perClient", c.RateLimit.PerClient, c.RateLimit.ClientBurst}} {
		if _, err := parseRate(r.spec); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", r.name, r.spec, err))
		}
		if r.burst < 0 {
			errs = append(errs, fmt.Errorf("%s: burst %d: want 0 (default) or more", r.name, r.burst))
		}
	}
	return errs
}

// parseRate reads "N/UNIT" (UNIT s, m, h or a duration such as 10s) as
// requests per second; "" and "0" are no limit (0).
func parseRate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	num, unit, ok := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !ok || err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, errors.New("want a rate such as 5/s, 100/m or 1000/h")
	}
	var per time.Duration
	switch unit = strings.TrimSpace(unit); unit {
	case "s":
		per = time.Second
	case "m":
		per = time.Minute
	case "h":
		per = time.Hour
	default:
		if per, err = time.ParseDuration(unit); err != nil || per <= 0 {
			return 0, errors.New("want a rate such as 5/s, 100/m or 1000/h")
		}
	}
	return n / per.Seconds(), nil
}
