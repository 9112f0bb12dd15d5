package connector_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
)

var lexSessionID = regexp.MustCompile(`^[0-9A-Za-z._:-]{2,100}$`)

func TestSessionID(t *testing.T) {
	tests := []struct {
		name, typ, user string
		want            string // "" when the id is hashed
	}{
		{name: "kakao user key", typ: "kakao", user: "0a1b2c3d4e5f", want: "kakao:0a1b2c3d4e5f"},
		{name: "slack ids with a colon", typ: "slack", user: "T123:U456", want: "slack:T123:U456"},
		{name: "twilio phone number", typ: "twilio", user: "+15551230000"},
		{name: "whatsapp address", typ: "twilio", user: "whatsapp:+821012345678"},
		{name: "empty", typ: "line", user: ""},
		{name: "korean", typ: "kakao", user: "사용자"},
		{name: "spaces", typ: "telegram", user: "a b"},
		{name: "slash", typ: "messenger", user: "a/b"},
		{name: "too long", typ: "messenger", user: strings.Repeat("9", 95)},
		{name: "just fits", typ: "line", user: strings.Repeat("U", 95), want: "line:" + strings.Repeat("U", 95)},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := connector.SessionID(tt.typ, tt.user)
			if !lexSessionID.MatchString(got) {
				t.Fatalf("SessionID(%q, %q) = %q, not a Lex session id", tt.typ, tt.user, got)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("SessionID = %q, want %q", got, tt.want)
			}
			if tt.want == "" && !strings.HasPrefix(got, tt.typ+":h") {
				t.Errorf("SessionID = %q, want the hashed form", got)
			}
			if got != connector.SessionID(tt.typ, tt.user) {
				t.Error("SessionID is not stable")
			}
			if other, dup := seen[got]; dup {
				t.Errorf("%q and %q map to one session %q", other, tt.user, got)
			}
			seen[got] = tt.user
		})
	}
	if connector.SessionID("kakao", "+1") == connector.SessionID("kakao", "+2") {
		t.Error("different odd ids share a session")
	}
	if connector.SessionID("kakao", "u1") == connector.SessionID("line", "u1") {
		t.Error("one id on two platforms shares a session")
	}
}

func TestConfigSettings(t *testing.T) {
	cfg := connector.Config{Name: "ops", Type: "slack", Settings: map[string]string{"botToken": "xoxb-secret", "allowUsers": ""}}
	if v, err := cfg.Setting("botToken", true); err != nil || v != "xoxb-secret" {
		t.Errorf("Setting(botToken) = %q %v", v, err)
	}
	if v, err := cfg.Setting("allowUsers", false); err != nil || v != "" {
		t.Errorf("Setting(allowUsers) = %q %v", v, err)
	}
	_, err := cfg.Setting("signingSecret", true)
	if parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.Contains(err.Error(), `channel ops (slack): setting "signingSecret" is required`) {
		t.Errorf("missing required setting: %v", err)
	}
	if _, err := cfg.Setting("allowUsers", true); err == nil {
		t.Error("an empty required setting passed")
	}
	if err := cfg.CheckSettings("botToken", "allowUsers", "signingSecret"); err != nil {
		t.Errorf("CheckSettings: %v", err)
	}
	err = cfg.CheckSettings("botToken")
	if parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.Contains(err.Error(), `unknown setting "allowUsers"`) {
		t.Errorf("CheckSettings with an unknown key: %v", err)
	}
	if strings.Contains(err.Error(), "xoxb-secret") {
		t.Errorf("error %q shows a secret", err)
	}
}

func TestConfigDefaults(t *testing.T) {
	bot := &parley.Bot{ID: "CHANBOT001", Locales: []*parley.Locale{{ID: "ko_KR"}, {ID: "en_US"}}}
	cfg := connector.Config{Name: "c", Type: "kakao", Bot: bot}
	cfg.Defaults()
	if cfg.AliasID != parley.DraftAliasID || cfg.LocaleID != "ko_KR" || cfg.Logger == nil || cfg.Client == nil ||
		cfg.Now == nil || cfg.Sleep == nil || cfg.Dedup == nil {
		t.Errorf("Defaults left %+v", cfg)
	}
	kept := connector.Config{Bot: bot, AliasID: "PRODALIAS1", LocaleID: "en_US"}
	kept.Defaults()
	if kept.AliasID != "PRODALIAS1" || kept.LocaleID != "en_US" {
		t.Errorf("Defaults replaced alias/locale: %+v", kept)
	}
}

func TestConfigTurn(t *testing.T) {
	tests := []struct{ typ, platform string }{
		{"kakao", "Kakao"}, {"messenger", "Facebook"}, {"slack", "Slack"},
		{"telegram", "Telegram"}, {"line", "Line"}, {"twilio", "Twilio"},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			rt := &channeltest.Runtime{}
			cfg := connector.Config{Name: "c", Type: tt.typ, Bot: &parley.Bot{ID: "CHANBOT001", Locales: []*parley.Locale{{ID: "ko_KR"}}}, Runtime: rt}
			cfg.Defaults()
			res, err := cfg.Turn(context.Background(), "user 1", "안녕", map[string]string{"x-extra": "1"})
			if err != nil || len(res.Messages) != 1 || res.Messages[0].Content != "you said: 안녕" {
				t.Fatalf("Turn = %+v %v", res, err)
			}
			turns := rt.Turns()
			if len(turns) != 1 {
				t.Fatalf("runtime saw %d turns", len(turns))
			}
			req := turns[0]
			want := parley.SessionKey{BotID: "CHANBOT001", AliasID: parley.DraftAliasID, LocaleID: "ko_KR", SessionID: connector.SessionID(tt.typ, "user 1")}
			if req.Key != want || req.Text != "안녕" {
				t.Errorf("request = %+v", req)
			}
			if req.RequestAttributes["x-amz-lex:channels:platform"] != tt.platform || req.RequestAttributes["x-extra"] != "1" {
				t.Errorf("attributes = %v", req.RequestAttributes)
			}
		})
	}
}

func TestUserReply(t *testing.T) {
	failed := parley.Errorf(parley.ErrDependencyFailed, "hook exploded: secret detail")
	busy := parley.Errorf(parley.ErrThrottling, "slow down")
	tests := []struct {
		locale string
		err    error
		has    string
	}{
		{"ko_KR", failed, "죄송해요"},
		{"ko_KR", busy, "메시지가 너무 많아요"},
		{"zh_CN", failed, "抱歉"},
		{"zh_CN", busy, "消息太多了"},
		{"en_US", failed, "Sorry, something went wrong"},
		{"en_GB", busy, "Too many messages"},
		{"", failed, "Sorry"},
	}
	for _, tt := range tests {
		got := connector.UserReply(tt.locale, tt.err)
		if !strings.Contains(got, tt.has) || strings.Contains(got, "secret") || strings.Contains(got, "Exception") {
			t.Errorf("UserReply(%s, %v) = %q, want it to contain %q and no detail", tt.locale, tt.err, got, tt.has)
		}
	}
}

func TestCounters(t *testing.T) {
	var c connector.Counters
	c.Accept()
	c.Accept()
	c.Reject()
	c.Fail()
	if s := c.Stats(); s != (connector.Stats{Accepted: 2, Rejected: 1, Failed: 1}) {
		t.Errorf("Stats = %+v", s)
	}
}

func TestDrain(t *testing.T) {
	t.Run("turns finish", func(t *testing.T) {
		var wg sync.WaitGroup
		wg.Add(1)
		release := make(chan struct{})
		go func() { <-release; wg.Done() }()
		cancelled := false
		close(release)
		if err := connector.Drain(context.Background(), &wg, func() { cancelled = true }); err != nil || !cancelled {
			t.Fatalf("Drain = %v, cancelled %v; want nil and the turns' context cancelled", err, cancelled)
		}
	})
	t.Run("the caller stops waiting", func(t *testing.T) {
		var wg sync.WaitGroup
		wg.Add(1)
		defer wg.Done()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		cancelled := false
		if err := connector.Drain(ctx, &wg, func() { cancelled = true }); !errors.Is(err, context.Canceled) || !cancelled {
			t.Fatalf("Drain = %v, cancelled %v; want context.Canceled and the turns' context cancelled", err, cancelled)
		}
	})
}
