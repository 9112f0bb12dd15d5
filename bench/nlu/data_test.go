package nlubench_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedData finds ../shared/nlu beside the module root (or
// $PARLEY_NLU_DATA). Without it the caller is skipped, except under
// CI=true, where the data must be present and its absence fails.
func sharedData(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("PARLEY_NLU_DATA")
	if dir == "" {
		root, err := filepath.Abs(".")
		if err != nil {
			tb.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				tb.Fatal("no go.mod above the test's folder")
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "nlu")
	}
	if _, err := os.Stat(filepath.Join(dir, "benchmarks.md")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared NLU data missing under CI: %v", err)
		}
		tb.Skipf("shared NLU data not available: %v", err)
	}
	return dir
}
