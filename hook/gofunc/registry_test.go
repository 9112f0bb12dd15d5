package gofunc_test

import (
	"crypto/rand"
	"testing"

	"github.com/parleybot/parley/hook/gofunc"
)

// unique returns a registry name no other run of the test has used: the
// registry lives as long as the test binary, and -count runs tests again.
func unique(t *testing.T) string { return t.Name() + "-" + rand.Text() }

func TestRegisterLookup(t *testing.T) {
	name := unique(t)
	r := gofunc.NewRouter()
	gofunc.Register(name, r)
	got, ok := gofunc.Lookup(name)
	if !ok || got != r {
		t.Fatalf("Lookup(%q) = %v, %t; want the registered router", name, got, ok)
	}
	if got, ok := gofunc.Lookup(name + "-missing"); ok || got != nil {
		t.Errorf("Lookup of an unknown name = %v, %t; want nil, false", got, ok)
	}
}

func TestRegisterMistakesPanic(t *testing.T) {
	taken := unique(t)
	gofunc.Register(taken, gofunc.NewRouter())
	tests := []struct {
		name   string
		as     string
		router *gofunc.Router
	}{
		{"duplicate name", taken, gofunc.NewRouter()},
		{"empty name", "", gofunc.NewRouter()},
		{"nil router", unique(t), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("did not panic")
				}
			}()
			gofunc.Register(tt.as, tt.router)
		})
	}
	if _, ok := gofunc.Lookup(""); ok {
		t.Error("the empty name was registered")
	}
}
