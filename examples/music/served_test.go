package music_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
)

// TestServed runs the bot as `parley serve examples/music` does (the
// server of the parley command, on loopback, with the bot file's code hook
// and channels) and talks to it through the web chat and through the
// KakaoTalk skill URL the banner prints.
func TestServed(t *testing.T) {
	requirePython(t)
	srv := cli.NewServerWith(cli.Config{Addr: "127.0.0.1:0", Store: "memory:", Bots: []string{"."}},
		slog.New(slog.DiscardHandler), cli.ServerOptions{Hooks: cli.HookOptions{Env: servedEnv}})
	if err := srv.Open(); err != nil {
		t.Fatalf("open: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-ran; err != nil {
			t.Error(err)
		}
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	})
	base := srv.URL()

	var banner strings.Builder
	srv.WriteBanner(&banner)
	skillURL := base + "/channels/MUSICBOT01/kakao/"
	if want := "channel kakao (kakao) for MUSICBOT01: POST " + skillURL; !strings.Contains(banner.String(), want) {
		t.Errorf("banner\n%s\nlacks %q", banner.String(), want)
	}

	// The web chat: the same reply as Lex messages, its cards with images.
	// (It also starts the hook's worker before Kakao's clock runs.)
	var web struct {
		Messages []struct {
			ContentType       string `json:"contentType"`
			Content           string `json:"content"`
			ImageResponseCard *struct {
				Title, Subtitle, ImageURL string
			} `json:"imageResponseCard"`
		} `json:"messages"`
		Intent string `json:"intent"`
		State  string `json:"state"`
	}
	postJSON(t, base+"/chat", nil, `{"text": "아이유 노래 추천해줘", "sessionId": "web-music"}`, &web)
	if web.Intent != "RecommendMusic" || web.State != "Fulfilled" || len(web.Messages) != 5 {
		t.Fatalf("web chat: %+v", web)
	}
	if c := web.Messages[1].ImageResponseCard; c == nil || c.Title != "아이유 대표곡" || !strings.HasPrefix(c.ImageURL, "https://") {
		t.Errorf("web chat's first card %+v, want 아이유 대표곡 with an image", c)
	}

	// KakaoTalk, at the URL the banner printed, with the skill key from
	// the environment.
	var sr skillResponse
	postJSON(t, skillURL, map[string]string{"X-Skill-Key": testSkillKey},
		string(skillRequest{user: "u_served", utterance: "뉴진스 좋아해"}.payload()), &sr)
	if problems := kakaoLimits(&sr); len(problems) > 0 {
		t.Fatalf("Kakao would refuse the response: %s", strings.Join(problems, "; "))
	}
	wantRecommendation(t, &sr, "뉴진스", "K-팝 / R&B", "Attention · Hype Boy · Ditto · OMG · Super Shy", []string{"르세라핌", "아이브", "에스파"})

	resp, err := http.Get(base + "/channels/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stats map[string]map[string]struct{ Accepted, Rejected, Failed int64 }
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		t.Fatal(err)
	}
	if got := stats["MUSICBOT01"]["kakao"]; got.Accepted != 1 || got.Rejected != 0 || got.Failed != 0 {
		t.Errorf("kakao counters %+v, want 1 accepted", got)
	}
}

func postJSON(t *testing.T, url string, headers map[string]string, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("POST %s: %v in %s", url, err, b)
	}
}
