package music_test

import (
	"strings"
	"testing"

	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/examples/music"
)

const header = "name,english,synonyms,genre,related,tracks\n"

func TestReadArtists(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		want    []music.Artist
		wantErr string
	}{
		{
			name: "lists split on bars, quoted commas kept",
			csv: header + "아이유,IU,이지은| Lee Ji-eun ,발라드,태연,\"좋은 날|나만, 봄\"\n" +
				"태연,TAEYEON,,발라드,아이유,I\n",
			want: []music.Artist{
				{Name: "아이유", English: "IU", Synonyms: []string{"이지은", "Lee Ji-eun"}, Genre: "발라드", Related: []string{"태연"}, Tracks: []string{"좋은 날", "나만, 봄"}},
				{Name: "태연", English: "TAEYEON", Genre: "발라드", Related: []string{"아이유"}, Tracks: []string{"I"}},
			},
		},
		{name: "wrong header", csv: "name,genre\n", wantErr: "header"},
		{name: "no rows", csv: header, wantErr: "no artists"},
		{name: "short row", csv: header + "아이유,IU\n", wantErr: "wrong number of fields"},
		{name: "empty name", csv: header + ",IU,,발라드,,좋은 날\n", wantErr: "line 2: the name is empty"},
		{name: "no genre", csv: header + "아이유,IU,,,,좋은 날\n", wantErr: "no genre"},
		{name: "no tracks", csv: header + "아이유,IU,,발라드,,\n", wantErr: "no tracks"},
		{name: "not UTF-8", csv: header + "\xff,IU,,발라드,,좋은 날\n", wantErr: "not UTF-8"},
		{
			name:    "spelling of two artists",
			csv:     header + "아이유,IU,,발라드,,좋은 날\n이지은,Lee,iu,발라드,,좋은 날\n",
			wantErr: `"iu" names both 아이유 and 이지은`,
		},
		{name: "spelling twice", csv: header + "아이유,IU,iu,발라드,,좋은 날\n", wantErr: `아이유 lists "iu" twice`},
		{name: "unknown related artist", csv: header + "아이유,IU,,발라드,태연,좋은 날\n", wantErr: `related to "태연", which is not`},
		{name: "related by synonym", csv: header + "아이유,IU,,발라드,태연,좋은 날\n김태연,T,태연,발라드,,I\n", wantErr: `related to "태연", which is not`},
		{name: "related to itself", csv: header + "아이유,IU,,발라드,아이유,좋은 날\n", wantErr: "related to itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := music.ReadArtists(strings.NewReader(tt.csv))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d artists, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !equalArtist(got[i], tt.want[i]) {
					t.Errorf("artist %d: %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func equalArtist(a, b music.Artist) bool {
	j := func(s []string) string { return strings.Join(s, "\x00") }
	return a.Name == b.Name && a.English == b.English && a.Genre == b.Genre &&
		j(a.Synonyms) == j(b.Synonyms) && j(a.Related) == j(b.Related) && j(a.Tracks) == j(b.Tracks)
}

// slotTypeBot wraps a generated slot type in the smallest bot that uses
// it, so botdef reads it as the real bot's locale folder would.
func slotTypeBot(slotType []byte) []byte {
	var b strings.Builder
	b.WriteString("id: GENTEST001\nname: GenTest\nlocales:\n  ko_KR:\n    intents:\n")
	b.WriteString("      - name: Ask\n        sampleUtterances: [\"{Artist} 노래\"]\n")
	b.WriteString("        slots:\n          - {name: Artist, slotTypeName: Artist, slotConstraint: Optional}\n")
	b.WriteString("    slotTypes:\n")
	for i, line := range strings.Split(strings.TrimRight(string(slotType), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		prefix := "        "
		if i == 1 {
			prefix = "      - "
		}
		b.WriteString(prefix + line + "\n")
	}
	return []byte(b.String())
}

// FuzzReadArtists feeds the reader any CSV: it must not panic, and what
// it accepts must render to a slot type that botdef loads with every
// artist and spelling intact, whatever characters the names hold.
func FuzzReadArtists(f *testing.F) {
	f.Add(header + "아이유,IU,이지은|Lee Ji-eun,발라드,태연,\"좋은 날|나만, 봄\"\n태연,TAEYEON,,발라드,아이유,I\n")
	f.Add(header + "2NE1,2NE1,투애니원,K-팝,,Fire\n")
	f.Add(header + "\"a\"\"b\",x: y,\"[1, 2]\"|{k: v}|#c|&a|*b,g,,t\n")
	f.Add(header + "Girls' Generation,'x',\"\\\"q\\\"\",g,,t\n")
	f.Fuzz(func(t *testing.T, src string) {
		artists, err := music.ReadArtists(strings.NewReader(src))
		if err != nil {
			return
		}
		bot, err := botdef.Parse("gen.yaml", slotTypeBot(music.SlotTypeYAML(artists)))
		if err != nil {
			// botdef may refuse values Lex refuses too (length, control
			// characters); the generator must never write broken YAML.
			if strings.Contains(err.Error(), "YAML syntax") {
				t.Fatalf("generated YAML does not parse: %v", err)
			}
			return
		}
		st := bot.Locale("ko_KR").SlotType("Artist")
		if st == nil || len(st.Values) != len(artists) {
			t.Fatalf("slot type %+v, want %d values", st, len(artists))
		}
		for i, a := range artists {
			if st.Values[i].Value != a.Name {
				t.Fatalf("value %d: %q, want %q", i, st.Values[i].Value, a.Name)
			}
		}
	})
}
