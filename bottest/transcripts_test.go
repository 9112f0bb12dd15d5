package bottest_test

import (
	"flag"
	"testing"

	"github.com/parleybot/parley/bottest"
)

// update is read by bottest.Run through the flag package.
var _ = flag.Bool("update", false, "rewrite the expected lines of the golden transcripts")

// TestTranscripts replays every golden conversation of the example bots.
func TestTranscripts(t *testing.T) {
	bottest.Run(t, "../testdata/transcripts")
}
