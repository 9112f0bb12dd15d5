package cli_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
)

// shopBot calls its code hook on every turn of its intents and routes
// CheckStatus to another hook. The tests build its go: hooks with fakeKinds.
const shopBot = `id: SHOPBOT001
name: Shop
codeHooks:
  - uri: go:shop
    intents: {CheckStatus: "go:status"}
locales:
  en_US:
    intents:
      - name: OrderPizza
        sampleUtterances: [order a pizza, I want a pizza]
        dialogCodeHook: true
        fulfillment:
          successResponse: The bot's own answer.
      - name: CheckStatus
        sampleUtterances: [where is my order, order status]
        dialogCodeHook: true
        fulfillment:
          successResponse: The bot's own status.
`

func writeBot(t *testing.T, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestChatHooks(t *testing.T) {
	dir := writeBot(t, shopBot)
	tests := []struct {
		name    string
		noHooks bool
		say     string
		want    string
	}{
		{name: "binding hook", say: "order a pizza", want: "shop"},
		{name: "intent routed", say: "where is my order", want: "status"},
		{name: "hooks off", noHooks: true, say: "order a pizza", want: "The bot's own answer."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kinds := &fakeKinds{}
			c, err := cli.OpenChat(dir, cli.ChatOptions{NoHooks: tt.noHooks, Hooks: cli.HookOptions{Kinds: kinds.table()}})
			if err != nil {
				t.Fatalf("OpenChat: %v", err)
			}
			msgs, err := c.Send(context.Background(), tt.say)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if len(msgs) != 1 || msgs[0].Content != tt.want {
				t.Errorf("bot said %+v, want %q", msgs, tt.want)
			}
			if err := c.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if tt.noHooks && len(kinds.built) > 0 {
				t.Errorf("built %d hooks with hooks off", len(kinds.built))
			}
			for _, h := range kinds.built {
				if h.closed != 1 {
					t.Errorf("hook %s closed %d times after Close, want 1", h.name, h.closed)
				}
			}
		})
	}
}

func TestServerHooks(t *testing.T) {
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.Bots = []string{writeBot(t, shopBot)}
	kinds := &fakeKinds{}
	srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{Kinds: kinds.table()})
	if err := srv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	var banner bytes.Buffer
	srv.WriteBanner(&banner)
	if want := "\n  hook TSTALIASID/en_US go:shop (CheckStatus → go:status)\n"; !strings.Contains(banner.String(), want) {
		t.Errorf("banner:\n%s\nwant a line %q", banner.String(), strings.TrimSpace(want))
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if len(kinds.built) != 2 {
		t.Fatalf("built %d hooks, want 2", len(kinds.built))
	}
	for _, h := range kinds.built {
		if h.closed != 1 {
			t.Errorf("hook %s closed %d times at shutdown, want 1", h.name, h.closed)
		}
	}
}

func TestServerNoHooks(t *testing.T) {
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	// Its go:pizza hook is not registered in this program, so the bot
	// only starts with hooks off.
	cfg.Bots = []string{"../examples/pizza-go/bot"}
	srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{})
	if err := srv.Open(); err == nil || !strings.Contains(err.Error(), `"pizza"`) {
		srv.Close()
		t.Fatalf("Open with an unregistered go: hook: %v, want an error naming it", err)
	}
	cfg.NoHooks = true
	srv = openServer(t, cfg)
	var banner bytes.Buffer
	srv.WriteBanner(&banner)
	if !strings.Contains(banner.String(), "hooks off (--no-hooks)") {
		t.Errorf("banner:\n%s\nwant it to say the hooks are off", banner.String())
	}
}

func TestNoHooksFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		file string
		want bool
	}{
		{name: "default", want: false},
		{name: "flag", args: []string{"--no-hooks"}, want: true},
		{name: "config file", file: "noHooks: true\n", want: true},
		{name: "flag over file", args: []string{"--no-hooks=false"}, file: "noHooks: true\n", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := cli.NewConfigFlags()
			args := tt.args
			if tt.file != "" {
				path := filepath.Join(t.TempDir(), "parley.yaml")
				if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--config", path)
			}
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			cfg, err := cli.LoadConfig(fs, nil, mapEnv(nil))
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			if cfg.NoHooks != tt.want {
				t.Errorf("NoHooks = %v, want %v", cfg.NoHooks, tt.want)
			}
		})
	}
}
