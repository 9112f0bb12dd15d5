package convlog_test

import (
	"encoding/json"
	"testing"

	"github.com/parleybot/parley/convlog"
)

// BenchmarkSinkWrite measures what logging adds to a turn: encoding the
// record and queuing it, from one turn goroutine and from many. The
// writer goroutine's disk work runs beside and shares the CPUs; a
// dropped/op above 0 means the writer fell behind.
func BenchmarkSinkWrite(b *testing.B) {
	r := rec(day1, "session-1234", "OrderPizza", "라지 페퍼로니 피자 두 판 주문할게요")
	b.Run("encode only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&r); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, bc := range []struct {
		name     string
		parallel bool
	}{{"serial", false}, {"parallel", true}} {
		b.Run(bc.name, func(b *testing.B) {
			s, err := convlog.NewSink(b.TempDir(), convlog.SinkOptions{Buffer: 1 << 16})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			if bc.parallel {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						s.Write(&r)
					}
				})
			} else {
				for b.Loop() {
					s.Write(&r)
				}
			}
			b.StopTimer()
			s.Close()
			b.ReportMetric(float64(s.Dropped())/float64(b.N), "dropped/op")
		})
	}
}
