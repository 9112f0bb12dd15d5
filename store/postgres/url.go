package postgres

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
)

// DefaultTable is the sessions table when a URL names none.
const DefaultTable = "parley_sessions"

// tableName allows a plain or schema-qualified lower-case identifier, so
// the name can go into SQL without quoting surprises.
var tableName = regexp.MustCompile(`^([a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,62}$`)

// SplitURL takes the store's own table parameter off a
// postgres://user:pass@host:port/db?sslmode=disable&table=NAME URL and
// returns the connection URL pgx reads (the other parameters are pgx's) and
// the table.
func SplitURL(raw string) (conn, table string, err error) {
	u, err := url.Parse(raw)
	if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		err = uerr.Err // the url.Error would quote the URL, password and all
	}
	if err != nil {
		return "", "", fmt.Errorf("postgres: bad URL: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", "", fmt.Errorf("postgres: URL scheme is %q, want postgres://user:pass@host:port/db", u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return "", "", errors.New("postgres: URL has no host; write postgres://user:pass@host:port/db")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", "", fmt.Errorf("postgres: bad URL query: %w", err)
	}
	table = DefaultTable
	if vals, ok := q["table"]; ok {
		if len(vals) != 1 || !tableName.MatchString(vals[0]) {
			return "", "", fmt.Errorf("postgres: table %q must be one lower-case identifier, optionally schema.table", vals)
		}
		table = vals[0]
		q.Del("table")
	}
	u.RawQuery = q.Encode()
	return u.String(), table, nil
}
