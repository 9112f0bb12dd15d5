package convlog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// File names are turns-YYYY-MM-DD.jsonl, one per UTC day, so that a day's
// records are found, followed and pruned by name alone.
const (
	filePrefix = "turns-"
	fileSuffix = ".jsonl"
	dayLayout  = "2006-01-02"
)

// FileName returns the name of the file that holds the records of day t.
func FileName(t time.Time) string { return filePrefix + t.UTC().Format(dayLayout) + fileSuffix }

// fileDay parses a log file name; ok is false for any other file.
func fileDay(name string) (time.Time, bool) {
	day, found := strings.CutPrefix(name, filePrefix)
	if !found {
		return time.Time{}, false
	}
	if day, found = strings.CutSuffix(day, fileSuffix); !found {
		return time.Time{}, false
	}
	t, err := time.Parse(dayLayout, day)
	return t, err == nil
}

// SinkOptions tune a Sink; the zero value keeps records forever with
// DefaultBuffer queued lines.
type SinkOptions struct {
	// Retention, when positive, is how long a record is kept: a day's
	// file is deleted once all of that day is older than Retention.
	Retention time.Duration
	// Buffer is how many records may wait for the writer; a turn that
	// finds it full drops its record rather than wait.
	Buffer int
	// Now is the clock retention is judged by; time.Now when nil.
	Now func() time.Time
	// PruneEvery is how often retention is checked after the start;
	// once an hour when zero, so a day's file goes within the hour it
	// expires.
	PruneEvery time.Duration
	// Logger hears write and prune failures; nothing is logged when nil.
	Logger *slog.Logger
}

// DefaultBuffer absorbs a burst of a few thousand turns while the disk is
// slow, at a few KiB a record.
const DefaultBuffer = 4096

// line is one encoded record and the day file it belongs to.
type line struct {
	day  string
	data []byte
}

// Sink writes records as JSON lines to daily files in a directory. Write
// never blocks the turn: the record is encoded and queued, and one writer
// goroutine appends the queue to the files, flushing whenever it has
// caught up, so that a follower sees each turn soon after it ends. Close
// writes what is queued. A Sink is safe for concurrent use.
type Sink struct {
	dir  string
	opts SinkOptions
	log  *slog.Logger

	// mu guards closed against a Write racing Close's close(queue).
	mu      sync.RWMutex
	closed  bool
	queue   chan line
	done    chan struct{}
	dropped atomic.Int64
	written atomic.Int64

	// The writer goroutine's own state.
	day    string
	file   *os.File
	buf    *bufio.Writer
	failed bool // the last write failed; logged once until one succeeds
}

// NewSink opens a sink writing under dir, creating the directory, and
// deletes the files older than the retention before it returns.
func NewSink(dir string, opts SinkOptions) (*Sink, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("convlog: open %s: %w", dir, err)
	}
	if opts.Buffer <= 0 {
		opts.Buffer = DefaultBuffer
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PruneEvery <= 0 {
		opts.PruneEvery = time.Hour
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Sink{dir: dir, opts: opts, log: log, queue: make(chan line, opts.Buffer), done: make(chan struct{})}
	if err := s.prune(); err != nil {
		return nil, err
	}
	go s.run()
	return s, nil
}

// Write queues r and reports whether it was queued; false means the
// record was dropped (queue full or sink closed) and counted in Dropped.
// r is encoded before Write returns, so the caller may reuse it.
func (s *Sink) Write(r *Record) bool {
	data, err := json.Marshal(r)
	if err != nil {
		// Only a NaN or infinite score could get here; losing the one
		// record beats failing the turn.
		s.dropped.Add(1)
		s.log.Warn("conversation log: encode record", "err", err)
		return false
	}
	l := line{day: r.Timestamp.UTC().Format(dayLayout), data: append(data, '\n')}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		s.dropped.Add(1)
		return false
	}
	select {
	case s.queue <- l:
		return true
	default:
		s.dropped.Add(1)
		return false
	}
}

// Dropped returns how many records were lost: dropped because the queue
// was full or the sink closed, or not written because the disk failed.
func (s *Sink) Dropped() int64 { return s.dropped.Load() }

// Written returns how many records reached the files.
func (s *Sink) Written() int64 { return s.written.Load() }

// Dir returns the directory the sink writes to.
func (s *Sink) Dir() string { return s.dir }

// Close writes the queued records, closes the file and stops the writer.
// Records written after Close are dropped. Close may be called again.
func (s *Sink) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.queue)
	}
	s.mu.Unlock()
	<-s.done
	return nil
}

// run is the writer goroutine.
func (s *Sink) run() {
	defer close(s.done)
	tick := time.NewTicker(s.opts.PruneEvery)
	defer tick.Stop()
	for {
		select {
		case l, ok := <-s.queue:
			if !ok {
				s.closeFile()
				return
			}
			s.write(l)
			if len(s.queue) == 0 {
				s.flush()
			}
		case <-tick.C:
			if err := s.prune(); err != nil {
				s.log.Warn("conversation log: prune", "err", err)
			}
		}
	}
}

// write appends one line to its day's file, switching files (and pruning)
// when the day changes.
func (s *Sink) write(l line) {
	if l.day != s.day || s.file == nil {
		s.closeFile()
		f, err := os.OpenFile(filepath.Join(s.dir, filePrefix+l.day+fileSuffix), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			s.fail(err)
			return
		}
		s.day, s.file, s.buf = l.day, f, bufio.NewWriterSize(f, 64<<10)
		if err := s.prune(); err != nil {
			s.log.Warn("conversation log: prune", "err", err)
		}
	}
	if _, err := s.buf.Write(l.data); err != nil {
		s.fail(err)
		return
	}
	s.written.Add(1)
}

func (s *Sink) flush() {
	if s.buf == nil {
		return
	}
	if err := s.buf.Flush(); err != nil {
		s.fail(err)
		return
	}
	s.failed = false
}

func (s *Sink) closeFile() {
	if s.file == nil {
		return
	}
	s.flush()
	if err := s.file.Close(); err != nil {
		s.fail(err)
	}
	s.file, s.buf, s.day = nil, nil, ""
}

// fail counts a lost record and logs the first failure of a run of them,
// so a full disk does not flood the server log. The file is dropped so the
// next record tries to open it afresh.
func (s *Sink) fail(err error) {
	s.dropped.Add(1)
	if !s.failed {
		s.log.Error("conversation log: write failed; records are lost until it recovers", "dir", s.dir, "err", err)
		s.failed = true
	}
	if s.file != nil {
		s.file.Close()
		s.file, s.buf, s.day = nil, nil, ""
	}
}

// prune deletes the day files wholly older than the retention, but not
// the one being written (a record that old is still kept until its file
// is closed); it does nothing without a retention. The sink prunes at the
// start, when a new day's file opens and every PruneEvery, always from
// one goroutine at a time.
func (s *Sink) prune() error {
	if s.opts.Retention <= 0 {
		return nil
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("convlog: prune: %w", err)
	}
	cutoff := s.opts.Now().Add(-s.opts.Retention)
	for _, e := range entries {
		day, ok := fileDay(e.Name())
		if !ok || e.IsDir() || e.Name() == filePrefix+s.day+fileSuffix || !day.Add(24*time.Hour).Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("convlog: prune: %w", err)
		}
	}
	return nil
}
