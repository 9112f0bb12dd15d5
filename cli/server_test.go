package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/cli"
)

// openServer runs a Server in process the way `parley serve` does and
// stops it when the test ends.
func openServer(t *testing.T, cfg cli.Config) *cli.Server {
	t.Helper()
	srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{})
	if err := srv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(startServer(t, srv))
	return srv
}

// startServer runs an opened srv and returns the function that stops and
// closes it, reporting Run's and Close's errors to t.
func startServer(t *testing.T, srv *cli.Server) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}

func TestServerServesBots(t *testing.T) {
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.Bots = []string{"../examples/hello"}
	srv := openServer(t, cfg)

	var banner bytes.Buffer
	srv.WriteBanner(&banner)
	want := "Parley listening on " + srv.URL() + "\n" +
		"bot HELLOBOT01 (HelloWorld) alias TSTALIASID locales ko_KR\n" +
		"  hook TSTALIASID/ko_KR node:hooks/index.js\n" +
		"web chat: " + srv.URL() + "/\n"
	if banner.String() != want {
		t.Errorf("banner:\n%s\nwant:\n%s", banner.String(), want)
	}

	resp, err := http.Get(srv.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %s", resp.Status)
	}

	resp, err = http.Post(srv.URL()+"/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/s1/text",
		"application/json", strings.NewReader(`{"text":"안녕"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var turn struct {
		Messages []struct{ Content string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&turn); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || len(turn.Messages) == 0 || turn.Messages[0].Content != "이름이 뭐예요?" {
		t.Errorf("RecognizeText: %s %+v", resp.Status, turn)
	}

	// GET /bots is the web chat's bot list, not a redirect into the Lex API.
	resp, err = http.Get(srv.URL() + "/bots")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /bots: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
}

func TestServerOpenFailures(t *testing.T) {
	tests := []struct {
		name     string
		bots     []string
		store    string
		problems bool // a botdef.Problems error
		want     string
	}{
		{name: "missing bot", bots: []string{"../examples/nothing"}, store: "memory:", problems: true, want: "nothing"},
		{name: "duplicate bot", bots: []string{"../examples/hello", "../examples/hello"}, store: "memory:", want: "HELLOBOT01"},
		{name: "store in a missing folder", bots: []string{"../examples/hello"}, store: "sqlite:" + t.TempDir() + "/no/such/dir/x.db", want: "store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := cli.DefaultConfig()
			cfg.Addr = "127.0.0.1:0"
			cfg.Store = tt.store
			cfg.Bots = tt.bots
			srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{})
			err := srv.Open()
			if err == nil {
				srv.Close()
				t.Fatal("Open succeeded")
			}
			var ps botdef.Problems
			if errors.As(err, &ps) != tt.problems {
				t.Errorf("error %v: botdef.Problems = %v, want %v", err, !tt.problems, tt.problems)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}
