// Package music is the Go side of the MusicRecommender example bot: it reads
// the artist dataset (data/artists.csv) and renders the Artist slot type
// from it, the way Kakao i Open Builder loads a user entity from a file.
// The bot definition itself is the YAML next to this file and its code hook
// is hooks/lambda_function.py; `go run ./examples/music/gen` (or `go
// generate` here) rewrites locales/ko_KR/slotTypes/Artist.yaml after the
// CSV changes, and the package's tests check that the two agree and run the
// bot end to end, through the engine and through its KakaoTalk channel.
package music

//go:generate go run ./gen -csv data/artists.csv -out locales/ko_KR/slotTypes/Artist.yaml
