package convlog_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/parleybot/parley/convlog"
)

// FuzzScanRecords feeds arbitrary files to the log reader: it must never
// panic, every record it returns must carry a timestamp and encode again,
// and it must account for every non-blank line as a record or a skip.
func FuzzScanRecords(f *testing.F) {
	f.Add([]byte(`{"timestamp":"2026-11-23T10:00:00Z","sessionId":"a","bot":{"id":"B","aliasId":"TSTALIASID","localeId":"ko_KR"},"inputTranscript":"피자","interpretations":[{"intent":"X","score":0.9}],"slots":{"S":{"value":{"interpretedValue":"{S}","resolvedValues":[]}}},"latency":{"totalMs":1},"missedUtterance":true}` + "\n"))
	f.Add([]byte("{\"timestamp\":\"2026-11-23T10:00:00Z\"}\n\nnot json\n{\"timestamp\":1}\n{\"timest"))
	f.Add([]byte(`{"timestamp":"2026-11-23T10:00:00Z","messages":[{"contentType":"ImageResponseCard","imageResponseCard":{"title":"t","buttons":[{"text":"a","value":"b"}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		records := 0
		skipped, err := convlog.ScanRecords(bytes.NewReader(data), func(r convlog.Record) error {
			records++
			if r.Timestamp.IsZero() {
				t.Errorf("record without a timestamp: %+v", r)
			}
			if _, err := json.Marshal(r); err != nil && !strings.Contains(err.Error(), "unsupported value") {
				t.Errorf("record does not encode: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for l := range bytes.SplitSeq(data, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines++
			}
		}
		if records+skipped != lines {
			t.Errorf("%d records + %d skipped != %d lines", records, skipped, lines)
		}
	})
}
