package driver_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/parleybot/parley/bench/load/driver"
)

func TestParseMetrics(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]float64
		wantErr bool
	}{
		{"picks unlabelled named series", "# HELP a x\n# TYPE a gauge\na 1.5e+06\nb 2\na_total 9\n", map[string]float64{"a": 1.5e6, "b": 2}, false},
		{"skips labelled series", "a{x=\"1\"} 3\nb 4\n", map[string]float64{"b": 4}, false},
		{"takes a timestamp column", "a 5 1700000000000\n", map[string]float64{"a": 5}, false},
		{"empty", "", map[string]float64{}, false},
		{"bad value", "a zero\n", map[string]float64{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := driver.ParseMetrics(strings.NewReader(tt.in), "a", "b")
			if (err != nil) != tt.wantErr || !maps.Equal(got, tt.want) {
				t.Errorf("ParseMetrics = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseProcStatus(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    uint64
		wantErr bool
	}{
		{"linux layout", "Name:\tparley\nVmHWM:\t  50000 kB\nVmRSS:\t   41236 kB\nThreads:\t9\n", 41236 << 10, false},
		{"no VmRSS", "Name:\tparley\n", 0, true},
		{"no unit", "VmRSS: 12\n", 0, true},
		{"not a number", "VmRSS: x kB\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := driver.ParseProcStatus(strings.NewReader(tt.in))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseProcStatus = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func FuzzParseMetrics(f *testing.F) {
	f.Add("# TYPE go_goroutines gauge\ngo_goroutines 12\nprocess_resident_memory_bytes 4.1e+07\n")
	f.Add("a{b=\"c\"} NaN\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := driver.ParseMetrics(strings.NewReader(in), "go_goroutines", "process_resident_memory_bytes")
		if err == nil && len(got) > 2 {
			t.Errorf("ParseMetrics returned %d series for 2 names", len(got))
		}
	})
}

func FuzzParseProcStatus(f *testing.F) {
	f.Add("Name:\tparley\nVmRSS:\t   41236 kB\n")
	f.Add("VmRSS: 99999999999999999999 kB\n")
	f.Fuzz(func(t *testing.T, in string) {
		if got, err := driver.ParseProcStatus(strings.NewReader(in)); err != nil && got != 0 {
			t.Errorf("ParseProcStatus = %d with error %v", got, err)
		}
	})
}
