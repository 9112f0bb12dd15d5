package webhook_test

import (
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/webhook"
)

func TestConformance(t *testing.T) {
	secret := []byte("conformance secret")
	hooktest.Run(t, func(t *testing.T) parley.CodeHook {
		srv := scenarioServer(t, secret)
		h, err := webhook.New(srv.URL+"/hook", webhook.Options{Timeout: time.Second, Secret: secret, Logger: slogt(t)})
		if err != nil {
			t.Fatal(err)
		}
		return h
	})
}
