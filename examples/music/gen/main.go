// Command gen writes the MusicRecommender bot's Artist slot type from its
// artist dataset:
//
//	go run ./examples/music/gen
//
// run from the repository root (or `go generate ./examples/music`). With
// -check it writes nothing and exits 1 when the committed file is stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/parleybot/parley/examples/music"
)

func main() {
	csvPath := flag.String("csv", "examples/music/data/artists.csv", "the artist dataset")
	out := flag.String("out", "examples/music/locales/ko_KR/slotTypes/Artist.yaml", "the slot type file to write")
	check := flag.Bool("check", false, "only check that -out matches the dataset")
	flag.Parse()
	if err := run(*csvPath, *out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(csvPath, out string, check bool) error {
	f, err := os.Open(csvPath)
	if err != nil {
		return err
	}
	defer f.Close()
	artists, err := music.ReadArtists(f)
	if err != nil {
		return err
	}
	want := music.SlotTypeYAML(artists)
	if check {
		got, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%s is out of date with %s: run go run ./examples/music/gen", out, csvPath)
		}
		return nil
	}
	if err := os.WriteFile(out, want, 0o644); err != nil {
		return err
	}
	fmt.Printf("gen: wrote %s (%d artists)\n", out, len(artists))
	return nil
}
