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

// menuBot answers its one intent with SSML and two cards, to check how the
// terminal renders them and numbers buttons across cards.
const menuBot = `id: MENUBOT001
name: Menu
locales:
  en_US:
    intents:
      - name: MenuIntent
        sampleUtterances: [show the menu, menu please]
        fulfillment:
          successResponse:
            - ssml: "<speak>Here is <emphasis>the</emphasis> menu &amp; more.</speak>"
            - imageResponseCard:
                title: Drinks
                subtitle: cold ones
                buttons:
                  - {text: Cola, value: cola}
                  - {text: Water, value: water}
            - imageResponseCard:
                title: Food
                buttons:
                  - {text: Soup, value: soup}
      - name: FallbackIntent
        parentIntentSignature: AMAZON.FallbackIntent
        closingResponse:
          - plainText: "I did not get that."
`

func TestChatScript(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.yaml"), []byte(menuBot), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := cli.OpenChat(dir, cli.ChatOptions{Session: "s1", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out, errOut bytes.Buffer
	in := "show the menu\n\n  \n3\n"
	if err := c.Script(context.Background(), strings.NewReader(in), &out, &errOut); err != nil {
		t.Fatalf("Script: %v\n%s", err, errOut.String())
	}
	// "3" is the third button across both cards, whose value "soup" the
	// bot does not understand.
	want := "Here is the menu & more.\n" +
		"[Drinks] cold ones 1) Cola 2) Water\n" +
		"[Food] 3) Soup\n" +
		"\n" +
		"I did not get that.\n" +
		"\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestOpenChatLocale(t *testing.T) {
	tests := []struct {
		name, locale string
		ok           bool
	}{
		{name: "default locale", locale: "", ok: true},
		{name: "named locale", locale: "ko_KR", ok: true},
		{name: "unknown locale", locale: "en_US"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := cli.OpenChat("../examples/hello", cli.ChatOptions{Locale: tt.locale, Session: "s", Logger: slog.New(slog.DiscardHandler)})
			if err == nil {
				c.Close()
			}
			if (err == nil) != tt.ok {
				t.Errorf("OpenChat: %v, want ok %v", err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "ko_KR") {
				t.Errorf("error %q does not list the bot's locales", err)
			}
		})
	}
}
