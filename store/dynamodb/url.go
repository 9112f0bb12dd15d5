package dynamodb

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
)

// Config is what a dynamodb:// URL says.
type Config struct {
	Table    string // the table name
	Region   string // the AWS region; empty leaves it to the default chain
	Endpoint string // a base endpoint such as http://127.0.0.1:8000; empty for AWS
	Init     bool   // create the table when it is missing
}

// tableName is DynamoDB's rule for table names.
var tableName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)

// ParseURL reads dynamodb://TABLE?region=REGION&endpoint=URL&init=true.
// Every query parameter is optional; unknown ones are refused so that a typo
// does not silently fall back to a default.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("dynamodb: parse url: %w", err)
	}
	if u.Scheme != "dynamodb" {
		return Config{}, fmt.Errorf("dynamodb: url %q: scheme must be dynamodb://", raw)
	}
	if u.User != nil || u.Port() != "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" || u.Opaque != "" {
		return Config{}, fmt.Errorf("dynamodb: url %q: write dynamodb://TABLE?region=REGION&endpoint=URL", raw)
	}
	c := Config{Table: u.Host}
	if !tableName.MatchString(c.Table) {
		return Config{}, fmt.Errorf("dynamodb: url %q: table name %q must be 3-255 letters, digits, '_', '-' or '.'", raw, c.Table)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("dynamodb: url %q: %w", raw, err)
	}
	for name, values := range q {
		if len(values) != 1 {
			return Config{}, fmt.Errorf("dynamodb: url %q: %s given %d times", raw, name, len(values))
		}
		v := values[0]
		switch name {
		case "region":
			c.Region = v
		case "endpoint":
			e, err := url.Parse(v)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				return Config{}, fmt.Errorf("dynamodb: url %q: endpoint %q must be an http:// or https:// URL", raw, v)
			}
			c.Endpoint = v
		case "init":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return Config{}, fmt.Errorf("dynamodb: url %q: init=%q is not true or false", raw, v)
			}
			c.Init = b
		default:
			return Config{}, fmt.Errorf("dynamodb: url %q: unknown parameter %q (use region, endpoint, init)", raw, name)
		}
	}
	return c, nil
}
