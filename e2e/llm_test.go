package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleybot/parley/llm/llmtest"
)

// The served binary talks to llmtest's loopback fake of the OpenAI API, as
// it would to OpenAI, Ollama or llama.cpp's server.
const (
	assistantModel = "assistant-test-model"
	assistantKey   = "sk-assistant-test"
)

// assistantAnswer is what the fake model says; it streams it word by word.
const assistantAnswer = "Lex는 Amazon의 대화형 AI 서비스이고, Parley는 그 API를 Go로 다시 구현한 오픈 소스 엔진입니다."

// llmEnv is this process's environment with the fake model configured.
func llmEnv(fake *llmtest.Server, extra ...string) []string {
	return append(os.Environ(), append([]string{
		"PARLEY_LLM_BASE_URL=" + fake.URL,
		"PARLEY_LLM_API_KEY=" + assistantKey,
		"PARLEY_LLM_MODEL=" + assistantModel,
		"PARLEY_LOG_LEVEL=debug",
	}, extra...)...)
}

// TestLLMWebChatStreaming asks examples/assistant a question no intent
// covers in headless Chromium: the model's answer, grounded in the
// knowledge base, grows in the page while it streams, and ends with its
// sources.
func TestLLMWebChatStreaming(t *testing.T) {
	chromium := requireTool(t, "chromium")
	fake := llmtest.New(t, llmtest.Options{Model: assistantModel, APIKey: assistantKey, ChunkDelay: 100 * time.Millisecond,
		Answer: func(llmtest.Request) string { return assistantAnswer }})
	base, _ := startServerEnv(t, llmEnv(fake), "../examples/assistant")
	ctx, problems := newBrowser(t, chromium)

	step(t, ctx, "open the page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("input")))
	step(t, ctx, "ask about Lex",
		chromedp.SendKeys(chromedp.ID("input"), "Lex에 대해 설명해줘"),
		pressEnter(chromedp.ID("input")),
	)
	// Two observations of the answer while it streams, the second longer:
	// tokens reach the page before the turn is done.
	sctx, cancel := context.WithTimeout(ctx, browserStepLimit)
	defer cancel()
	grew, err := chromedp.Run(sctx, chromedp.PollFunction[int](`() => {
		const live = document.querySelector(".bubble.streaming");
		if (!live) return 0;
		const n = live.textContent.length;
		if (n === 0) return 0;
		if (window.__firstSeen === undefined) { window.__firstSeen = n; return 0; }
		return n > window.__firstSeen ? n : 0;
	}`, chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(browserStepLimit)))
	if err != nil || grew == 0 {
		t.Fatalf("the streamed answer never grew in the page: %v", err)
	}
	first := evaluate[int](t, ctx, `window.__firstSeen`)
	if first >= len([]rune(assistantAnswer)) {
		t.Fatalf("the first observation already held the whole answer (%d characters)", first)
	}
	waitContains(t, ctx, ".row-bot .bubble:not(.streaming)", assistantAnswer)
	waitContains(t, ctx, ".row-bot .bubble:not(.streaming)", "출처: ")
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".bubble.streaming").length`); n != 0 {
		t.Errorf("%d streaming bubbles left after the turn", n)
	}

	var chats []llmtest.Request
	for _, r := range fake.Requests() {
		if r.Kind == llmtest.KindChat {
			chats = append(chats, r)
		}
	}
	if len(chats) != 1 {
		t.Fatalf("%d chat requests, want 1", len(chats))
	}
	req := chats[0]
	if !req.Stream || req.Model != assistantModel || req.Messages[0].Role != "system" {
		t.Errorf("request stream=%v model=%q first role %q", req.Stream, req.Model, req.Messages[0].Role)
	}
	if !strings.Contains(req.Messages[0].Content, "Parley의 한국어 도우미") || strings.Contains(req.Messages[0].Content, "Lex에 대해 설명해줘") {
		t.Errorf("system message %q: want the bot's prompt without the user's text", req.Messages[0].Content)
	}
	if q := req.LastUser(); !strings.Contains(q, "<question>\nLex에 대해 설명해줘\n</question>") || !strings.Contains(q, "<documents>") {
		t.Errorf("user message %q: want the documents and the question as data", q)
	}
	for _, p := range problems() {
		t.Errorf("browser reported: %s", p)
	}
}

// waitContains waits until an element matching selector contains text.
func waitContains(t *testing.T, ctx context.Context, selector, text string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepLimit)
	defer cancel()
	if _, err := chromedp.Run(sctx, chromedp.PollFunction[bool](
		`(sel, text) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))`,
		chromedp.WithPollingArgs(selector, text), chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(browserStepLimit),
	)); err != nil {
		shown, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("log").innerText`))
		t.Fatalf("waiting for %q in %s: %v\nthe chat shows:\n%s", text, selector, err, shown)
	}
}

// TestLLMLexAPI: over the Lex runtime API the model's answer is a plain
// PlainText message of FallbackIntent, and a model that fails leaves the
// bot's own fallback response.
func TestLLMLexAPI(t *testing.T) {
	fake := llmtest.New(t, llmtest.Options{Model: assistantModel, APIKey: assistantKey,
		Answer: func(llmtest.Request) string { return "좋은 하루 보내고 계시길 바라요!" }})
	base, _ := startServerEnv(t, llmEnv(fake), "../examples/assistant")
	s := lexSession{base: base, bot: "ASSISTBOT1", locale: "ko_KR", id: "lex-llm-1"}

	r := s.say(t, "오늘 기분 좋아요")
	wantMessage(t, r, 0, "좋은 하루 보내고 계시길 바라요!")
	wantAt(t, r, "PlainText", "messages", 0, "contentType")
	wantAt(t, r, "FallbackIntent", "sessionState", "intent", "name")
	wantAt(t, r, "ElicitIntent", "sessionState", "dialogAction", "type")
	for _, req := range fake.Requests() {
		if req.Kind == llmtest.KindChat && req.Stream {
			t.Errorf("the Lex API asked for a stream")
		}
	}

	// The conversation goes on with the intents.
	wantMessage(t, s.say(t, "안녕"), 0, "이름이 뭐예요?")

	fake.FailAlways(llmtest.Fault{Status: http.StatusInternalServerError})
	s2 := lexSession{base: base, bot: "ASSISTBOT1", locale: "ko_KR", id: "lex-llm-2"}
	r = s2.say(t, "오늘 기분 좋아요")
	wantMessage(t, r, 0, "죄송해요, 지금은 답할 수 없어요. '안녕'이라고 인사해 주시거나 다른 질문을 해 주세요.")
}

// TestLLMKakaoCallback: a model that takes six seconds misses KakaoTalk's
// five-second rule, so the skill answers with useCallback and the model's
// answer reaches the block's callback URL, once.
func TestLLMKakaoCallback(t *testing.T) {
	fake := llmtest.New(t, llmtest.Options{Model: assistantModel, APIKey: assistantKey, Latency: 6 * time.Second,
		Answer: func(llmtest.Request) string { return "천천히 생각해 봤어요. Parley는 Lex를 대신해요." }})
	dir := t.TempDir()
	bot := `id: SLOWLLMBOT
name: SlowLLM
channels:
  - name: kakao
    type: kakao
    settings:
      skillKey: ${SLOW_KAKAO_SKILL_KEY}
locales:
  ko_KR:
    generative:
      fallback:
        systemPrompt: 짧게 답하세요.
    intents:
      - name: HelloIntent
        sampleUtterances: [안녕, 안녕하세요]
        fulfillment:
          successResponse: 안녕하세요!
      - name: FallbackIntent
        parentIntentSignature: AMAZON.FallbackIntent
        closingResponse: 잘 모르겠어요.
`
	if err := os.WriteFile(filepath.Join(dir, "bot.yaml"), []byte(bot), 0o644); err != nil {
		t.Fatal(err)
	}
	const skillKey = "slow-skill-key"
	base, _ := startServerEnv(t, llmEnv(fake, "SLOW_KAKAO_SKILL_KEY="+skillKey), filepath.Join(dir, "bot.yaml"))

	var (
		mu        sync.Mutex
		callbacks []string
	)
	arrived := make(chan struct{}, 4)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		callbacks = append(callbacks, string(body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"taskId":"t1","status":"SUCCESS","message":"","timestamp":1}`)
		arrived <- struct{}{}
	}))
	defer cb.Close()

	skill := base + "/channels/SLOWLLMBOT/kakao/"
	resp := postSkill(t, skill, skillKey, "user-1", "인생의 의미가 뭘까요", cb.URL+"/callback/1")
	if resp["useCallback"] != true {
		t.Fatalf("a six-second answer did not take the callback path: %v", resp)
	}
	select {
	case <-arrived:
	case <-time.After(startupLimit):
		t.Fatal("no callback arrived")
	}
	// A fast turn of the same user afterwards is answered directly and
	// brings no second callback.
	fast := postSkill(t, skill, skillKey, "user-1", "안녕", "")
	if !strings.Contains(mustJSON(t, fast), "안녕하세요!") {
		t.Fatalf("the next turn answered %v", fast)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(callbacks) != 1 {
		t.Fatalf("%d callbacks, want 1: %q", len(callbacks), callbacks)
	}
	if !strings.Contains(callbacks[0], "천천히 생각해 봤어요. Parley는 Lex를 대신해요.") || !strings.Contains(callbacks[0], `"simpleText"`) {
		t.Fatalf("callback %s lacks the model's answer as simpleText", callbacks[0])
	}
}

// postSkill sends Open Builder's request for one utterance and returns the
// decoded SkillResponse.
func postSkill(t *testing.T, url, key, user, utterance, callbackURL string) map[string]any {
	t.Helper()
	ur := map[string]any{
		"timezone": "Asia/Seoul", "utterance": utterance, "lang": "ko",
		"user":   map[string]any{"id": user, "type": "botUserKey", "properties": map[string]string{"botUserKey": user}},
		"params": map[string]string{"surface": "Kakaotalk.plusfriend"},
		"block":  map[string]string{"id": "blk_1", "name": "폴백 블록"},
	}
	if callbackURL != "" {
		ur["callbackUrl"] = callbackURL
	}
	body, err := json.Marshal(map[string]any{
		"intent":      map[string]any{"id": "blk_1", "name": "폴백 블록"},
		"userRequest": ur,
		"bot":         map[string]string{"id": "bot_slow", "name": "slow"},
		"action":      map[string]any{"id": "sk_1", "name": "parley", "params": map[string]string{}, "detailParams": map[string]any{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startupLimit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Skill-Key", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if res.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil {
		t.Fatalf("skill answered %d %s", res.StatusCode, raw)
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
