package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserStepLimit only stops a broken page from hanging the run; the test
// asserts what the page shows, never how fast.
const browserStepLimit = 60 * time.Second

// TestWebChatBrowser holds the HelloWorld conversation in headless Chromium:
// Korean typed into the page, Enter and the send button, and a click on the
// confirmation card's button.
func TestWebChatBrowser(t *testing.T) {
	chromium := requireTool(t, "chromium")
	base := startServer(t, "../examples/hello")
	ctx, problems := newBrowser(t, chromium)

	// A phone-sized viewport: the page is meant for phones first.
	step(t, ctx, "open the page on a phone viewport",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("input")),
	)
	if title, err := chromedp.Run(ctx, chromedp.Title()); err != nil || !strings.Contains(title, "HelloWorld") {
		t.Errorf("page title = %q, %v; want it to name the bot HelloWorld (one bot: straight to chat)", title, err)
	}

	// Type 안녕 as a Korean IME does. Enter while the syllable is still being
	// composed only commits it; it must not send.
	step(t, ctx, "compose 안녕 and press Enter while composing",
		chromedp.Focus(chromedp.ID("input")),
		imeCompose("안"), imeCompose("안녀"), imeCompose("안녕"),
		pressEnter(chromedp.ID("input")),
		imeCommit("안녕"),
	)
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".row-user").length`); n != 0 {
		t.Fatalf("Enter during IME composition sent a message (%d user bubbles)", n)
	}
	if v := evaluate[string](t, ctx, `document.getElementById("input").value`); v != "안녕" {
		t.Fatalf("input after composing = %q, want 안녕", v)
	}
	step(t, ctx, "press Enter after the composition ended", pressEnter(chromedp.ID("input")))
	waitText(t, ctx, ".row-user .bubble", "안녕")
	waitText(t, ctx, ".row-bot .bubble", "이름이 뭐예요?")

	step(t, ctx, "type 홍길동이에요 and click send",
		chromedp.SendKeys(chromedp.ID("input"), "홍길동이에요"),
		chromedp.Click(chromedp.ID("send")),
	)
	waitText(t, ctx, ".row-bot .bubble", "홍길동님이 맞으세요?")
	waitText(t, ctx, ".row-bot .card .card-title", "확인해 주세요")
	waitText(t, ctx, ".row-bot .card .card-button", "아니요")

	step(t, ctx, "click the 네 card button",
		chromedp.Click(`//div[contains(@class,"row-bot")][last()]//button[contains(@class,"card-button")][normalize-space(.)="네"]`),
	)
	waitText(t, ctx, ".row-bot .bubble", "반가워요, 홍길동님! 좋은 하루 보내세요.")

	// The button's text shows as the user's bubble, and the answered card
	// no longer takes clicks.
	users := evaluate[[]string](t, ctx, `[...document.querySelectorAll(".row-user .bubble")].map(e => e.textContent)`)
	if want := []string{"안녕", "홍길동이에요", "네"}; strings.Join(users, "|") != strings.Join(want, "|") {
		t.Errorf("user bubbles = %q, want %q", users, want)
	}
	if enabled := evaluate[int](t, ctx, `[...document.querySelectorAll(".card-button")].filter(b => !b.disabled).length`); enabled != 0 {
		t.Errorf("%d card buttons still enabled after the card was answered", enabled)
	}
	if chosen := evaluate[[]string](t, ctx, `[...document.querySelectorAll(".card-button-chosen")].map(b => b.textContent)`); len(chosen) != 1 || chosen[0] != "네" {
		t.Errorf("buttons marked as the card's answer = %q, want [네]", chosen)
	}
	if session := evaluate[string](t, ctx, `sessionStorage.getItem("parley:HELLOBOT01:ko_KR:session") || ""`); session == "" {
		t.Errorf("no session id kept in sessionStorage for HELLOBOT01/ko_KR")
	}
	if input := evaluate[string](t, ctx, `document.getElementById("input").value`); input != "" {
		t.Errorf("input holds %q after sending, want it empty", input)
	}

	dir := t.TempDir()
	screenshot(t, ctx, filepath.Join(dir, "webchat-phone.png"))
	step(t, ctx, "switch to a desktop viewport", chromedp.EmulateViewport(1280, 800))
	screenshot(t, ctx, filepath.Join(dir, "webchat-desktop.png"))

	for _, p := range problems() {
		t.Errorf("browser reported: %s", p)
	}
}

// TestWebChatPicker serves two bots: the page lists them, a locale button
// opens that bot's chat, and a card button sends its value while showing
// its text.
func TestWebChatPicker(t *testing.T) {
	chromium := requireTool(t, "chromium")
	base := startServer(t, "../examples/hello", "../examples/pizza")
	ctx, problems := newBrowser(t, chromium)

	step(t, ctx, "open the picker",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("picker-list")),
	)
	waitText(t, ctx, ".bot-card h2", "HelloWorld")
	waitText(t, ctx, ".bot-card h2", "PizzaShop")
	step(t, ctx, "choose PizzaShop in en_US",
		chromedp.Click(`//li[contains(@class,"bot-card")][.//h2[.="PizzaShop"]]//a[contains(., "en_US")]`),
		chromedp.WaitVisible(chromedp.ID("input")),
	)
	if loc := evaluate[string](t, ctx, `location.search`); loc != "?bot=PIZZABOT01&locale=en_US" {
		t.Errorf("the picker opened %q, want ?bot=PIZZABOT01&locale=en_US", loc)
	}
	waitText(t, ctx, "#title", "PizzaShop")

	step(t, ctx, "ask for a pizza",
		chromedp.SendKeys(chromedp.ID("input"), "order a pizza"),
		pressEnter(chromedp.ID("input")),
	)
	waitText(t, ctx, ".row-bot .bubble", "What size would you like: small, medium or large?")
	step(t, ctx, "click the Medium card button",
		chromedp.Click(`//div[contains(@class,"row-bot")][last()]//button[contains(@class,"card-button")][normalize-space(.)="Medium"]`),
	)
	waitText(t, ctx, ".row-bot .bubble", "Which crust: thin, thick or stuffed?")
	waitText(t, ctx, ".row-user .bubble", "Medium")

	step(t, ctx, "start a new chat", chromedp.Click(chromedp.ID("new-chat")))
	if rows := evaluate[int](t, ctx, `document.querySelectorAll("#log .row").length`); rows != 0 {
		t.Errorf("%d messages left after New chat, want none", rows)
	}
	if session := evaluate[string](t, ctx, `sessionStorage.getItem("parley:PIZZABOT01:en_US:session") || ""`); session != "" {
		t.Errorf("New chat kept session %q", session)
	}
	for _, p := range problems() {
		t.Errorf("browser reported: %s", p)
	}
}

// newBrowser starts headless Chromium with a fresh profile and returns its
// tab and a function listing the errors the page logged or threw.
func newBrowser(t *testing.T, execPath string) (context.Context, func() []string) {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	// Cleanups run last-in first-out: the browser exits before its profile
	// folder (an earlier t.TempDir) is removed.
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first Do starts the browser and ties its life to ctx, so ctx
	// carries no timeout; each step derives its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", execPath, err)
	}

	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		var p string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			p = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				p += " " + e.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				p = fmt.Sprintf("%s error: %s (%s)", e.Entry.Source, e.Entry.Text, e.Entry.URL)
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// step runs browser actions with a hang guard and fails the test on error.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepLimit)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepLimit)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitText waits until an element matching the CSS selector has exactly the
// text, and fails with what the chat shows when it never appears.
func waitText(t *testing.T, ctx context.Context, selector, text string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepLimit)
	defer cancel()
	_, err := chromedp.Run(sctx, chromedp.PollFunction[bool](
		`(sel, text) => [...document.querySelectorAll(sel)].some(e => e.textContent.trim() === text)`,
		chromedp.WithPollingArgs(selector, text),
		chromedp.WithPollingMutation(),
		chromedp.WithPollingTimeout(browserStepLimit),
	))
	if err != nil {
		shown, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("log") ? document.getElementById("log").innerText : document.body.innerText`))
		t.Fatalf("waiting for %q in %s: %v\nthe chat shows:\n%s", text, selector, err, shown)
	}
}

// pressEnter focuses the element and presses Enter outside any IME
// composition. It sends keydown and keyup without a separate character
// event: the page handles Enter on keydown, as with a real keyboard, where
// cancelling keydown also cancels the newline.
func pressEnter(sel chromedp.ID) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Focus(sel),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
					Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
				}); err != nil {
					return fmt.Errorf("dispatch Enter %s: %w", typ, err)
				}
			}
			return nil
		}),
	)
}

// imeCompose shows text as an IME's uncommitted composition in the focused
// element.
func imeCompose(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		n := int64(len([]rune(text)))
		_, err := cdp.Call(ctx, t, input.ImeSetComposition, input.ImeSetCompositionParams{Text: text, SelectionStart: n, SelectionEnd: n})
		return err
	})
}

// imeCommit ends the composition with the committed text.
func imeCommit(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepLimit)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("write screenshot: %v", err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}
