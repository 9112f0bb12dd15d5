package gofunc_test

import (
	"slices"
	"testing"

	"github.com/parleybot/parley/hook/gofunc"
)

func TestNamesSorted(t *testing.T) {
	gofunc.Register("names-test-b", gofunc.NewRouter())
	gofunc.Register("names-test-a", gofunc.NewRouter())
	names := gofunc.Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %v, not sorted", names)
	}
	for _, want := range []string{"names-test-a", "names-test-b"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %v, missing %s", names, want)
		}
	}
}
