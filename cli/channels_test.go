package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/cli"
)

// fakeChannel is a connector for the wiring tests: a POST's body is one
// user's text ("USER: TEXT"), answered with the turn's first message.
type fakeChannel struct {
	cfg      connector.Config
	counters connector.Counters

	mu     sync.Mutex
	paths  []string
	closed int
}

var _ connector.Channel = (*fakeChannel)(nil)

func (f *fakeChannel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.paths = append(f.paths, r.URL.Path)
	f.mu.Unlock()
	body, ok := connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"text/plain"}, MaxBytes: 1024}.ReadBody(w, r, &f.counters)
	if !ok {
		return
	}
	user, text, ok := strings.Cut(string(body), ": ")
	if !ok {
		connector.Reject(w, &f.counters, http.StatusBadRequest)
		return
	}
	res, err := f.cfg.Turn(r.Context(), user, text, nil)
	if err != nil {
		f.counters.Fail()
		io.WriteString(w, connector.UserReply(f.cfg.LocaleID, err))
		return
	}
	f.counters.Accept()
	if len(res.Messages) > 0 {
		io.WriteString(w, res.Messages[0].Content)
	}
}

func (f *fakeChannel) Stats() connector.Stats { return f.counters.Stats() }

func (f *fakeChannel) Close(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed++
	return nil
}

// fakeChannels builds fakeChannels for the type "kakao" and records them;
// like a real connector it requires its secret setting.
type fakeChannels struct {
	built []*fakeChannel
}

func (fc *fakeChannels) kinds() map[string]connector.Factory {
	return map[string]connector.Factory{
		"telegram": func(cfg connector.Config) (connector.Channel, error) {
			f := &fakeChannel{cfg: cfg}
			fc.built = append(fc.built, f)
			return f, nil
		},
		"kakao": func(cfg connector.Config) (connector.Channel, error) {
			cfg.Defaults()
			if err := cfg.CheckSettings("skillKey"); err != nil {
				return nil, err
			}
			if _, err := cfg.Setting("skillKey", true); err != nil {
				return nil, err
			}
			f := &fakeChannel{cfg: cfg}
			fc.built = append(fc.built, f)
			return f, nil
		},
	}
}

const channelBot = `id: CHANBOT001
name: Channels
aliases: [{id: PRODALIAS1, name: prod}]
channels:
  - name: talk
    type: kakao
    settings: {skillKey: "${TALK_KEY}"}
  - name: prod-talk
    type: kakao
    alias: PRODALIAS1
    settings: {skillKey: "${TALK_KEY}"}
locales:
  ko_KR:
    intents:
      - name: Hello
        sampleUtterances: [안녕, 안녕하세요]
        fulfillment:
          successResponse: 반가워요!
`

// startChannelServer opens and runs a server; stop shuts it down the way
// serve does and returns Close's error.
func startChannelServer(t *testing.T, cfg cli.Config, env map[string]string, kinds map[string]connector.Factory) (srv *cli.Server, stop func() error) {
	t.Helper()
	srv = cli.NewServerWith(cfg, slog.New(slog.DiscardHandler), cli.ServerOptions{
		Hooks:    cli.HookOptions{Env: mapEnv(env)},
		Channels: cli.ChannelOptions{Kinds: kinds},
	})
	if err := srv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		return srv.Close()
	}
	t.Cleanup(func() { stop() })
	return srv, stop
}

func TestServerChannels(t *testing.T) {
	tests := []struct {
		name      string
		publicURL string // Config.PublicURL; the bound address when empty
	}{
		{name: "default public URL"},
		{name: "configured public URL", publicURL: "https://bot.example.com/parley"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := cli.DefaultConfig()
			cfg.Addr = "127.0.0.1:0"
			cfg.Store = "memory:"
			cfg.APIKey = "test-key"
			cfg.PublicURL = tt.publicURL
			cfg.Bots = []string{writeBot(t, channelBot)}
			fc := &fakeChannels{}
			srv, stop := startChannelServer(t, cfg, map[string]string{"TALK_KEY": "secret-1"}, fc.kinds())
			base := tt.publicURL
			if base == "" {
				base = srv.URL()
			}

			var banner bytes.Buffer
			srv.WriteBanner(&banner)
			for _, want := range []string{
				"\nchannel talk (kakao) for CHANBOT001: POST " + base + "/channels/CHANBOT001/talk/\n",
				"\nchannel prod-talk (kakao) for CHANBOT001: POST " + base + "/channels/CHANBOT001/prod-talk/\n",
			} {
				if !strings.Contains(banner.String(), want) {
					t.Errorf("banner:\n%s\nwant a line %q", banner.String(), strings.TrimSpace(want))
				}
			}

			if len(fc.built) != 2 {
				t.Fatalf("built %d channels, want 2", len(fc.built))
			}
			talk, prod := fc.built[0], fc.built[1]
			if c := talk.cfg; c.Name != "talk" || c.Type != "kakao" || c.Bot.ID != "CHANBOT001" || c.AliasID != parley.DraftAliasID ||
				c.LocaleID != "ko_KR" || c.Settings["skillKey"] != "secret-1" || c.PublicURL != base+"/channels/CHANBOT001/talk" ||
				c.Runtime == nil || c.Client == nil {
				t.Errorf("talk config = %+v", c)
			}
			if prod.cfg.AliasID != "PRODALIAS1" {
				t.Errorf("prod-talk alias = %q", prod.cfg.AliasID)
			}
			if talk.cfg.Client != prod.cfg.Client {
				t.Error("the channels do not share one http.Client")
			}

			// The platform needs no API key; the connector sees its own path.
			post := func(path, body string) (int, string) {
				t.Helper()
				resp, err := http.Post(srv.URL()+path, "text/plain; charset=utf-8", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			if status, reply := post("/channels/CHANBOT001/talk/", "user-1: 안녕"); status != http.StatusOK || reply != "반가워요!" {
				t.Errorf("POST talk = %d %q, want 200 반가워요!", status, reply)
			}
			if status, _ := post("/channels/CHANBOT001/talk/", "no separator"); status != http.StatusBadRequest {
				t.Errorf("POST a bad body = %d, want 400", status)
			}
			if status, _ := post("/channels/CHANBOT001/prod-talk/sub/path", "user-2: 안녕"); status != http.StatusOK {
				t.Errorf("POST prod-talk = %d", status)
			}
			if status, _ := post("/channels/CHANBOT001/nothing/", "user-1: 안녕"); status != http.StatusNotFound {
				t.Errorf("POST an unknown channel = %d, want 404", status)
			}
			talk.mu.Lock()
			paths := strings.Join(talk.paths, " ")
			talk.mu.Unlock()
			if paths != "/ /" {
				t.Errorf("talk saw paths %q, want the prefix stripped", paths)
			}
			prod.mu.Lock()
			if len(prod.paths) != 1 || prod.paths[0] != "/sub/path" {
				t.Errorf("prod-talk saw paths %q", prod.paths)
			}
			prod.mu.Unlock()

			// The counters need the API key.
			get := func(key string) (*http.Response, []byte) {
				t.Helper()
				req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/channels/stats", nil)
				if key != "" {
					req.Header.Set("X-Api-Key", key)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp, b
			}
			if resp, _ := get(""); resp.StatusCode != http.StatusForbidden {
				t.Errorf("GET /channels/stats without a key = %s, want 403", resp.Status)
			}
			resp, body := get("test-key")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("GET /channels/stats = %s %s", resp.Status, resp.Header.Get("Content-Type"))
			}
			var stats map[string]map[string]connector.Stats
			if err := json.Unmarshal(body, &stats); err != nil {
				t.Fatalf("stats %s: %v", body, err)
			}
			want := map[string]map[string]connector.Stats{"CHANBOT001": {
				"talk":      {Accepted: 1, Rejected: 1},
				"prod-talk": {Accepted: 1},
			}}
			if !equalStats(stats, want) {
				t.Errorf("stats = %s, want %+v", body, want)
			}

			if err := stop(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			for _, f := range fc.built {
				if f.closed != 1 {
					t.Errorf("channel %s closed %d times, want 1", f.cfg.Name, f.closed)
				}
			}
		})
	}
}

func equalStats(a, b map[string]map[string]connector.Stats) bool {
	if len(a) != len(b) {
		return false
	}
	for bot, chans := range a {
		if len(chans) != len(b[bot]) {
			return false
		}
		for name, s := range chans {
			if w, ok := b[bot][name]; !ok || w != s {
				return false
			}
		}
	}
	return true
}

func TestServerChannelFailures(t *testing.T) {
	tests := []struct {
		name  string
		bot   string
		env   map[string]string
		want  []string // substrings of Open's error
		built int      // channels built (and then closed) before the failure
	}{
		{
			name: "type not in this build",
			bot:  strings.Replace(channelBot, "type: kakao", "type: line", 1),
			env:  map[string]string{"TALK_KEY": "k"},
			want: []string{"bot.yaml", "channel talk", "channel type line is not available in this build"},
		},
		{
			name:  "missing secret",
			bot:   strings.Replace(channelBot, `"${TALK_KEY}"}`+"\nlocales", `""}`+"\nlocales", 1),
			env:   map[string]string{"TALK_KEY": "k"},
			want:  []string{"bot.yaml: ValidationException: channel prod-talk (kakao): setting \"skillKey\" is required"},
			built: 1,
		},
		{
			name: "unset variable",
			bot:  channelBot,
			want: []string{"bot.yaml:7:", "environment variable TALK_KEY is not set"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := cli.DefaultConfig()
			cfg.Addr = "127.0.0.1:0"
			cfg.Store = "memory:"
			cfg.Bots = []string{writeBot(t, tt.bot)}
			fc := &fakeChannels{}
			srv := cli.NewServerWith(cfg, slog.New(slog.DiscardHandler), cli.ServerOptions{
				Hooks:    cli.HookOptions{Env: mapEnv(tt.env)},
				Channels: cli.ChannelOptions{Kinds: fc.kinds()},
			})
			err := srv.Open()
			if err == nil {
				srv.Close()
				t.Fatal("Open succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if len(fc.built) != tt.built {
				t.Errorf("built %d channels, want %d", len(fc.built), tt.built)
			}
			for _, f := range fc.built {
				if f.closed != 1 {
					t.Errorf("channel %s closed %d times after the failure, want 1", f.cfg.Name, f.closed)
				}
			}
		})
	}
}

// TestChannelKinds checks that every connector in the build is a type the
// bot file accepts, and that validate names the ones that are not in it.
func TestChannelKinds(t *testing.T) {
	kinds := cli.ChannelKinds()
	for _, typ := range []string{"kakao", "messenger", "slack", "telegram", "line", "twilio"} {
		t.Run(typ, func(t *testing.T) {
			bot := writeBot(t, "id: KINDBOT001\nname: Kind\nchannels: [{name: c, type: "+typ+"}]\nlocales: {en_US: {intents: [{name: A, sampleUtterances: [a]}]}}\n")
			var out, errOut bytes.Buffer
			status := cli.Main([]string{"validate", bot}, strings.NewReader(""), &out, &errOut, mapEnv(nil))
			_, built := kinds[typ]
			missing := strings.Contains(out.String(), "channel type "+typ+" is not available in this build")
			if built == missing || (status == 0) != built {
				t.Errorf("in build %v: validate exit %d, output %q", built, status, out.String())
			}
		})
	}
	if len(kinds) > 6 {
		t.Errorf("ChannelKinds has %d entries, more than the bot file's types", len(kinds))
	}
}

// TestServerRealKakaoChannel serves a bot through the real KakaoTalk
// connector of this build: the skill URL serve prints answers a signed
// skill request with the bot's reply and refuses a wrong key.
func TestServerRealKakaoChannel(t *testing.T) {
	if _, ok := cli.ChannelKinds()["kakao"]; !ok {
		t.Skip("no kakao connector in this build")
	}
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.Bots = []string{writeBot(t, channelBot)}
	srv, stop := startChannelServer(t, cfg, map[string]string{"TALK_KEY": "skill-secret"}, nil)
	var banner bytes.Buffer
	srv.WriteBanner(&banner)
	url := srv.URL() + "/channels/CHANBOT001/talk/"
	if !strings.Contains(banner.String(), "channel talk (kakao) for CHANBOT001: POST "+url+"\n") {
		t.Fatalf("banner:\n%s\nlacks the skill URL %s", banner.String(), url)
	}
	post := func(key string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"userRequest":{"utterance":"안녕","user":{"id":"user-1"}}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Skill-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := post("skill-secret"); status != http.StatusOK || !strings.Contains(body, "반가워요!") {
		t.Errorf("skill request = %d %s, want 200 with the bot's answer", status, body)
	}
	if status, _ := post("wrong"); status != http.StatusUnauthorized {
		t.Errorf("wrong skill key = %d, want 401", status)
	}
	resp, err := http.Get(srv.URL() + "/channels/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stats map[string]map[string]connector.Stats
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		t.Fatal(err)
	}
	if got := stats["CHANBOT001"]["talk"]; got != (connector.Stats{Accepted: 1, Rejected: 1}) {
		t.Errorf("talk stats = %+v, want 1 accepted, 1 rejected", got)
	}
	fams := scrape(t, srv.URL(), "")
	for result, want := range map[string]float64{"accepted": 1, "rejected": 1, "failed": 0} {
		labels := map[string]string{"bot": "CHANBOT001", "channel": "talk", "result": result}
		if m := find(fams, "parley_channel_requests_total", labels); m == nil || m.GetCounter().GetValue() != want {
			t.Errorf("parley_channel_requests_total%v = %v, want %v", labels, m.GetCounter().GetValue(), want)
		}
	}
	if err := stop(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestServerBannerPollingChannel(t *testing.T) {
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.PublicURL = "https://bot.example.com"
	cfg.Bots = []string{writeBot(t, `id: POLLBOT001
name: Poll
channels:
  - {name: tg-poll, type: telegram, settings: {mode: poll}}
  - {name: tg-hook, type: telegram}
locales: {en_US: {intents: [{name: A, sampleUtterances: [a]}]}}
`)}
	fc := &fakeChannels{}
	srv, _ := startChannelServer(t, cfg, nil, fc.kinds())
	var banner bytes.Buffer
	srv.WriteBanner(&banner)
	for _, want := range []string{
		"\nchannel tg-poll (telegram) for POLLBOT001: long polling, no webhook\n",
		"\nchannel tg-hook (telegram) for POLLBOT001: POST https://bot.example.com/channels/POLLBOT001/tg-hook/\n",
	} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner:\n%s\nwant a line %q", banner.String(), strings.TrimSpace(want))
		}
	}
}
