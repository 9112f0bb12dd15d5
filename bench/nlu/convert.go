package nlubench

import (
	"context"
	"log/slog"
	"path/filepath"
)

// Dataset is one benchmark: its folder under the shared data directory
// and its converter.
type Dataset struct {
	Benchmark, Folder string
	Convert           func(dir string) ([]*Split, error)
}

// Datasets lists every benchmark in conversion order.
func Datasets() []Dataset {
	return []Dataset{
		{"hwu64", "hwu64", HWU64},
		{"clinc150", "clinc150", CLINC150},
		{"snips2017", "snips-2017", Snips2017},
		{"parakqc", "korean-parakqc", ParaKQC},
		{"xsid", "chinese-xsid", XSID},
	}
}

// ConvertAll converts every dataset under data and writes the splits
// under out, logging one line per benchmark.
func ConvertAll(ctx context.Context, data, out string, log *slog.Logger) error {
	for _, d := range Datasets() {
		if err := ctx.Err(); err != nil {
			return err
		}
		splits, err := d.Convert(filepath.Join(data, d.Folder))
		if err != nil {
			return err
		}
		for _, s := range splits {
			if err := s.Write(out); err != nil {
				return err
			}
		}
		log.Info("converted", "benchmark", d.Benchmark, "splits", len(splits))
	}
	return nil
}
