package nlu_test

import (
	"reflect"
	"testing"

	"github.com/parleybot/parley"
)

// musicBot has ORIGINAL_VALUE slots whose values at run time are mostly
// names no sample or slot type lists, in phrasings no sample uses.
func musicBot() *parley.Bot {
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: 0.40,
		SlotTypes: []*parley.SlotType{
			{Name: "SongType", ResolutionStrategy: parley.ResolutionOriginalValue, Values: []parley.SlotTypeValue{
				{Value: "yellow submarine"}, {Value: "hey jude"}, {Value: "bohemian rhapsody"}, {Value: "imagine"}, {Value: "hotel california"}}},
			{Name: "PlaylistType", ResolutionStrategy: parley.ResolutionOriginalValue, Values: []parley.SlotTypeValue{
				{Value: "road trip"}, {Value: "chill vibes"}, {Value: "workout"}, {Value: "sunday morning"}, {Value: "party mix"}}},
		},
		Intents: []*parley.Intent{
			{Name: "AddToPlaylist", SampleUtterances: []string{
				"add {Song} to my {Playlist} playlist",
				"add {Song} to {Playlist}",
				"put {Song} on my {Playlist} playlist",
				"please add the song {Song} to the {Playlist} playlist",
				"i want {Song} in my {Playlist} list",
				"add {Song} to the playlist {Playlist}",
				"can you put {Song} onto {Playlist}",
				"add the track {Song} to my {Playlist} playlist",
				"{Song} should go on my {Playlist} playlist",
				"save {Song} to {Playlist}",
				"add a song to my playlist",
			}, Slots: []*parley.Slot{
				{Name: "Song", SlotTypeName: "SongType"},
				{Name: "Playlist", SlotTypeName: "PlaylistType"},
			}},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
		}}
	return &parley.Bot{ID: "MUSICBOT01", Locales: []*parley.Locale{loc}}
}

// TestTaggerUnlistedValues checks that values no slot type lists are read
// from their context, with the text as said and nothing resolved.
func TestTaggerUnlistedValues(t *testing.T) {
	ip := train(t, musicBot())
	tests := []struct {
		name           string
		text           string
		song, playlist *wantValue
	}{
		{name: "both unlisted", text: "add Blue Velvet to my Rainy Days playlist",
			song:     &wantValue{"Blue Velvet", "Blue Velvet", []string{}},
			playlist: &wantValue{"Rainy Days", "Rainy Days", []string{}}},
		{name: "unlisted song, listed playlist", text: "put Purple Rain on my workout playlist",
			song:     &wantValue{"Purple Rain", "Purple Rain", []string{}},
			playlist: &wantValue{"workout", "workout", []string{"workout"}}},
		{name: "new phrasing", text: "please add the song Wonderwall to the Late Night playlist",
			song:     &wantValue{"Wonderwall", "Wonderwall", []string{}},
			playlist: &wantValue{"Late Night", "Late Night", []string{}}},
		{name: "no values", text: "add a song to my playlist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := interpret(t, ip, parley.Query{Text: tc.text})
			if u.Intents[0].Name != "AddToPlaylist" {
				t.Fatalf("top intent %s, want AddToPlaylist", u.Intents[0].Name)
			}
			checkValue(t, slotOf(u, "AddToPlaylist", "Song"), tc.song)
			checkValue(t, slotOf(u, "AddToPlaylist", "Playlist"), tc.playlist)
		})
	}
}

// TestTaggerDeterministic trains the same bot twice: the slots read must
// not differ.
func TestTaggerDeterministic(t *testing.T) {
	texts := []string{"add Blue Velvet to my Rainy Days playlist", "can you put Roxanne onto Gym Time", "save Africa to sunday morning"}
	a, b := train(t, musicBot()), train(t, musicBot())
	for _, text := range texts {
		ua, ub := interpret(t, a, parley.Query{Text: text}), interpret(t, b, parley.Query{Text: text})
		if !reflect.DeepEqual(ua.Intents, ub.Intents) {
			t.Errorf("%q: %+v and %+v differ", text, ua.Intents, ub.Intents)
		}
	}
}
