package dynamodb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/internal/testserver"
	"github.com/parleybot/parley/store/dynamodb"
	"github.com/parleybot/parley/store/storetest"
)

// server is the throwaway server TestMain starts for the whole package.
var server testserver.Shared

func TestMain(m *testing.M) { server.Main(m, testserver.StartDynalite) }

// needDynalite returns dynalite's endpoint. Without dynalite the test is
// skipped, except under CI=true, where it fails.
func needDynalite(t testing.TB) string {
	t.Helper()
	return server.Require(t).URL
}

var tables atomic.Int64

// newTable names a table no other test uses.
func newTable() string {
	return fmt.Sprintf("parley-test-%d", tables.Add(1))
}

var testCreds = credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", "")

func storeURL(endpoint, table string, extra string) string {
	return "dynamodb://" + table + "?region=us-east-1&endpoint=" + endpoint + extra
}

func TestConformance(t *testing.T) {
	endpoint := needDynalite(t)
	storetest.Run(t, func(t *testing.T, now func() time.Time) parley.SessionStore {
		s, err := dynamodb.Open(context.Background(), storeURL(endpoint, newTable(), ""), dynamodb.Options{Now: now, Init: true, Credentials: testCreds})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

func BenchmarkGetPut(b *testing.B) {
	endpoint := needDynalite(b)
	s, err := dynamodb.Open(context.Background(), storeURL(endpoint, newTable(), ""), dynamodb.Options{Init: true, Credentials: testCreds})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchGetPut(b, s)
}

func TestMissingTable(t *testing.T) {
	endpoint := needDynalite(t)
	table := newTable()
	_, err := dynamodb.Open(context.Background(), storeURL(endpoint, table, ""), dynamodb.Options{Credentials: testCreds})
	var missing *dynamodb.MissingTableError
	if !errors.As(err, &missing) {
		t.Fatalf("Open of a missing table: err = %v, want a *MissingTableError", err)
	}
	if missing.Table != table || missing.Region != "us-east-1" {
		t.Errorf("MissingTableError = %+v, want table %s in us-east-1", missing, table)
	}
	for _, want := range []string{table, "--store-init", "aws dynamodb create-table --table-name " + table, "AttributeName=pk,KeyType=HASH", "update-time-to-live"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// Open must not have created it behind the caller's back.
	if _, err := dynamodb.Open(context.Background(), storeURL(endpoint, table, ""), dynamodb.Options{Credentials: testCreds}); !errors.As(err, &missing) {
		t.Errorf("second Open: err = %v, want a *MissingTableError still", err)
	}
}

func TestInitCreatesTable(t *testing.T) {
	endpoint := needDynalite(t)
	tests := []struct {
		name  string
		extra string
		opts  dynamodb.Options
	}{
		{"option", "", dynamodb.Options{Init: true}},
		{"url", "&init=true", dynamodb.Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			table := newTable()
			u := storeURL(endpoint, table, tc.extra)
			tc.opts.Credentials = testCreds
			s, err := dynamodb.Open(context.Background(), u, tc.opts)
			if err != nil {
				t.Fatalf("Open with init: %v", err)
			}
			key := parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: "세션"}
			sess := storetest.Sample(key, time.Now())
			if err := s.Put(context.Background(), sess); err != nil {
				t.Fatalf("Put: %v", err)
			}
			s.Close()

			// The table is there now: a second instance opens it without
			// init, and with init again (as every instance of a fleet
			// started with --store-init does), and sees the session.
			for _, opts := range []dynamodb.Options{{}, {Init: true}} {
				opts.Credentials = testCreds
				again, err := dynamodb.Open(context.Background(), storeURL(endpoint, table, ""), opts)
				if err != nil {
					t.Fatalf("reopen (init %v): %v", opts.Init, err)
				}
				got, err := again.Get(context.Background(), key)
				if err != nil {
					t.Fatalf("Get after reopen: %v", err)
				}
				if d := storetest.Diff(got, sess); len(d) > 0 {
					t.Errorf("Get after reopen differs:\n%s", strings.Join(d, "\n"))
				}
			}
		})
	}
}

func TestForeignTableRefused(t *testing.T) {
	endpoint := needDynalite(t)
	table := newTable()
	client := awsdynamodb.New(awsdynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  testCreds,
	})
	_, err := client.CreateTable(context.Background(), &awsdynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeN}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dynamodb.Open(context.Background(), storeURL(endpoint, table, ""), dynamodb.Options{Credentials: testCreds})
	if err == nil || !strings.Contains(err.Error(), "not a Parley session table") {
		t.Errorf("Open of a table with another key: err = %v, want it refused", err)
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		want    dynamodb.Config
		wantErr string
	}{
		{"table only", "dynamodb://sessions", dynamodb.Config{Table: "sessions"}, ""},
		{"trailing slash", "dynamodb://sessions/", dynamodb.Config{Table: "sessions"}, ""},
		{"region", "dynamodb://parley.sessions?region=ap-northeast-2", dynamodb.Config{Table: "parley.sessions", Region: "ap-northeast-2"}, ""},
		{"all", "dynamodb://my_table-1?region=us-east-1&endpoint=http://127.0.0.1:8000&init=true",
			dynamodb.Config{Table: "my_table-1", Region: "us-east-1", Endpoint: "http://127.0.0.1:8000", Init: true}, ""},
		{"escaped endpoint", "dynamodb://t01?endpoint=https%3A%2F%2Fdynamodb.local%3A443", dynamodb.Config{Table: "t01", Endpoint: "https://dynamodb.local:443"}, ""},
		{"init false", "dynamodb://t01?init=false", dynamodb.Config{Table: "t01"}, ""},
		{"wrong scheme", "redis://sessions", dynamodb.Config{}, "scheme"},
		{"no table", "dynamodb://?region=us-east-1", dynamodb.Config{}, "table name"},
		{"short table", "dynamodb://ab", dynamodb.Config{}, "table name"},
		{"bad table", "dynamodb://a%20b", dynamodb.Config{}, ""},
		{"path", "dynamodb://sessions/extra", dynamodb.Config{}, "dynamodb://TABLE"},
		{"port", "dynamodb://sessions:8000", dynamodb.Config{}, "dynamodb://TABLE"},
		{"user", "dynamodb://key@sessions", dynamodb.Config{}, "dynamodb://TABLE"},
		{"unknown parameter", "dynamodb://sessions?regoin=us-east-1", dynamodb.Config{}, `unknown parameter "regoin"`},
		{"repeated parameter", "dynamodb://sessions?region=a&region=b", dynamodb.Config{}, "2 times"},
		{"bad endpoint", "dynamodb://sessions?endpoint=127.0.0.1:8000", dynamodb.Config{}, "endpoint"},
		{"bad init", "dynamodb://sessions?init=maybe", dynamodb.Config{}, "init"},
		{"opaque", "dynamodb:sessions", dynamodb.Config{}, "dynamodb://TABLE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dynamodb.ParseURL(tc.url)
			if tc.wantErr == "" && tc.want == (dynamodb.Config{}) {
				// An error of any wording is expected.
				if err == nil {
					t.Fatalf("ParseURL(%q) = %+v, want an error", tc.url, got)
				}
				return
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseURL(%q) error = %v, want one mentioning %q", tc.url, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tc.url, err)
			}
			if got != tc.want {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tc.url, got, tc.want)
			}
		})
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"dynamodb://sessions", "dynamodb://t01?region=us-east-1&endpoint=http://127.0.0.1:8000&init=true", "dynamodb:x", "dynamodb://a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := dynamodb.ParseURL(raw)
		if err != nil {
			return
		}
		if len(c.Table) < 3 || len(c.Table) > 255 {
			t.Errorf("ParseURL(%q) accepted table %q", raw, c.Table)
		}
		if c.Endpoint != "" && !strings.HasPrefix(c.Endpoint, "http") {
			t.Errorf("ParseURL(%q) accepted endpoint %q", raw, c.Endpoint)
		}
	})
}
