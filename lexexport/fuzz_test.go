package lexexport_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/parleybot/parley/lexexport"
)

// FuzzRead feeds the parser zips whose Bot.json, Intent.json, Slot.json and
// SlotType.json are arbitrary bytes, and arbitrary bytes as a whole zip: it
// must return a bot or an error, never panic, and a bot it reads must write
// and read back unchanged.
func FuzzRead(f *testing.F) {
	f.Add([]byte(botJSON), []byte(`{"name":"I","sampleUtterances":[{"utterance":"hi"}]}`), []byte(`{"name":"S","slotTypeName":"T"}`), []byte(`{"name":"T","slotTypeValues":[{"sampleValue":{"value":"a"}}]}`))
	f.Add([]byte(`{"botName":"X","idleSessionTTLInSeconds":60,"dataPrivacy":{"childDirected":true}}`), []byte(`{"name":"I","initialResponseSetting":{"conditional":{"conditionalBranches":[{"condition":{"expressionString":"x"}}]},"nextStep":{"dialogAction":{"type":"StartIntent"}}}}`), []byte(`null`), []byte(`[]`))
	f.Add([]byte(`{}`), []byte(`{"intentConfirmationSetting":{"promptSpecification":{"messageGroupsList":[{"message":{"imageResponseCard":{"title":"t","buttons":[{"text":"a","value":"b"}]}}}]}}}`), []byte(`{"valueElicitationSetting":{"slotConstraint":"Required"}}`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, bot, intent, slot, slotType []byte) {
		var zips [][]byte
		zips = append(zips, zipBytes(t, [][2]string{
			{"Manifest.json", manifest}, {"B/Bot.json", string(bot)}, {"B/BotLocales/ko_KR/BotLocale.json", localeJSON},
			{"B/BotLocales/ko_KR/Intents/I/Intent.json", string(intent)},
			{"B/BotLocales/ko_KR/Intents/I/Slots/S/Slot.json", string(slot)},
			{"B/BotLocales/ko_KR/SlotTypes/T/SlotType.json", string(slotType)},
		}), intent)
		for _, data := range zips {
			b, _, err := lexexport.ReadZip(bytes.NewReader(data), int64(len(data)))
			if err == nil && (b == nil || len(b.Locales) == 0) {
				t.Fatalf("no error and no bot: %+v", b)
			}
			if err != nil {
				continue
			}
			// What reads writes and reads back to the same bot.
			var buf bytes.Buffer
			if err := lexexport.Write(b, &buf); err != nil {
				t.Fatalf("Write: %v", err)
			}
			again, _, err := lexexport.ReadZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatalf("ReadZip(Write(bot)): %v", err)
			}
			if !reflect.DeepEqual(again, b) {
				t.Fatalf("Read(Write(bot)) differs from bot")
			}
		}
	})
}
