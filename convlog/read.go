package convlog

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Filter selects records; a zero field selects all.
type Filter struct {
	SessionID string
	Intent    string
	BotID     string
	// Since and Until bound the turn's Timestamp: Since <= t < Until.
	Since, Until time.Time
	// Missed keeps only the missed utterances.
	Missed bool
}

// Match reports whether f selects r.
func (f Filter) Match(r *Record) bool {
	switch {
	case f.SessionID != "" && r.SessionID != f.SessionID,
		f.Intent != "" && r.Intent != f.Intent,
		f.BotID != "" && r.Bot.ID != f.BotID,
		!f.Since.IsZero() && r.Timestamp.Before(f.Since),
		!f.Until.IsZero() && !r.Timestamp.Before(f.Until),
		f.Missed && !r.MissedUtterance:
		return false
	}
	return true
}

// wantsDay reports whether the file of day may hold records f selects.
func (f Filter) wantsDay(day time.Time) bool {
	return (f.Since.IsZero() || day.Add(24*time.Hour).After(f.Since)) && (f.Until.IsZero() || day.Before(f.Until))
}

// Files returns the paths of the log files in dir that may hold records f
// selects, oldest day first.
func Files(dir string, f Filter) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("convlog: list %s: %w", dir, err)
	}
	var paths []string
	for _, e := range entries {
		if day, ok := fileDay(e.Name()); ok && !e.IsDir() && f.wantsDay(day) {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	// The names sort by day: the date is zero-padded ISO 8601.
	slices.Sort(paths)
	return paths, nil
}

// maxLine bounds one line; a longer one is skipped as not a record, so a
// corrupt file cannot make a reader hold it all in memory.
const maxLine = 4 << 20

// ScanRecords reads JSON lines from r and calls fn with each record,
// oldest first. Lines that are not records (torn by a crash, foreign, too
// long) are skipped and counted. It stops at the first error of fn or of
// r.
func ScanRecords(r io.Reader, fn func(Record) error) (skipped int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		data, tooLong, rerr := readLine(br)
		switch rec, derr := DecodeLine(data); {
		case tooLong || (derr != nil && len(bytes.TrimSpace(data)) > 0):
			skipped++
		case derr == nil:
			if err := fn(rec); err != nil {
				return skipped, err
			}
		}
		if rerr == io.EOF {
			return skipped, nil
		}
		if rerr != nil {
			return skipped, fmt.Errorf("convlog: read: %w", rerr)
		}
	}
}

// readLine returns the next line without its newline; a line longer than
// maxLine is consumed and reported as tooLong with no data.
func readLine(br *bufio.Reader) (data []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(data)+len(chunk) > maxLine {
				tooLong, data = true, nil
			} else {
				data = append(data, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(data, []byte("\n")), tooLong, err
	}
}

// Read calls fn with every record in dir that f selects, oldest file
// first and in file order within a day. It returns how many lines were
// skipped as not records.
func Read(dir string, f Filter, fn func(Record) error) (skipped int, err error) {
	paths, err := Files(dir, f)
	if err != nil {
		return 0, err
	}
	for _, p := range paths {
		n, err := readFile(p, f, fn)
		skipped += n
		if err != nil {
			return skipped, err
		}
	}
	return skipped, nil
}

func readFile(path string, f Filter, fn func(Record) error) (int, error) {
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil // pruned while we listed
	}
	if err != nil {
		return 0, fmt.Errorf("convlog: %w", err)
	}
	defer file.Close()
	return ScanRecords(file, func(r Record) error {
		if f.Match(&r) {
			return fn(r)
		}
		return nil
	})
}

// Follow calls fn with the records f selects that dir holds and then with
// each one appended later, moving on to the next day's file when it
// appears, every poll interval, until ctx ends (which returns nil) or fn
// fails. A line is only read once its newline is there, so a record being
// written is never seen torn.
func Follow(ctx context.Context, dir string, f Filter, poll time.Duration, fn func(Record) error) error {
	t := &tail{filter: f, fn: fn}
	for {
		progressed, err := t.step(dir)
		if err != nil {
			return err
		}
		if progressed {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(poll):
		}
	}
}

// tail is Follow's place: the file being read, how far, and the start of
// a line whose newline has not been written yet.
type tail struct {
	filter  Filter
	fn      func(Record) error
	path    string
	off     int64
	partial []byte
}

// step reads what was appended to the current file, or moves to the next
// file once the current one has nothing new; it reports whether it did
// either.
func (t *tail) step(dir string) (bool, error) {
	paths, err := Files(dir, Filter{Since: t.filter.Since, Until: t.filter.Until})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	if t.path == "" {
		if len(paths) == 0 {
			return false, nil
		}
		t.path = paths[0]
	}
	n, err := t.readMore()
	if err != nil || n > 0 {
		return n > 0, err
	}
	// Nothing new here: a later day's file means this one is finished.
	if i := slices.IndexFunc(paths, func(p string) bool { return p > t.path }); i >= 0 {
		t.path, t.off, t.partial = paths[i], 0, nil
		return true, nil
	}
	return false, nil
}

// readMore reads the bytes appended since the last call and hands on the
// complete lines; it returns how many bytes it read.
func (t *tail) readMore() (int64, error) {
	file, err := os.Open(t.path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("convlog: %w", err)
	}
	defer file.Close()
	if fi, err := file.Stat(); err == nil && fi.Size() < t.off {
		t.off, t.partial = 0, nil // replaced by a new file of the same name
	}
	if _, err := file.Seek(t.off, io.SeekStart); err != nil {
		return 0, fmt.Errorf("convlog: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(file, 16<<20))
	if err != nil {
		return 0, fmt.Errorf("convlog: %w", err)
	}
	t.off += int64(len(data))
	buf := append(t.partial, data...)
	end := bytes.LastIndexByte(buf, '\n')
	if end < 0 {
		t.partial = buf
		if len(t.partial) > maxLine {
			t.partial = nil // never a record; skip to the next newline
		}
		return int64(len(data)), nil
	}
	t.partial = slices.Clone(buf[end+1:])
	_, err = ScanRecords(bytes.NewReader(buf[:end+1]), func(r Record) error {
		if t.filter.Match(&r) {
			return t.fn(r)
		}
		return nil
	})
	return int64(len(data)), err
}
