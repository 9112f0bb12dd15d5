package lexexport

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/parleybot/parley"
)

// Limits that keep a hostile zip from exhausting memory.
const (
	maxFileBytes  = 16 << 20
	maxTotalBytes = 256 << 20
	maxFiles      = 20000
)

// file is one file of an export, by its slash-separated path.
type file struct {
	name string
	data []byte
}

// IsExport reports whether path looks like a Lex export: a .zip file, or a
// folder with a Manifest.json and a Bot.json somewhere below it.
func IsExport(p string) bool {
	st, err := os.Stat(p)
	if err != nil {
		return false
	}
	if !st.IsDir() {
		return strings.EqualFold(filepath.Ext(p), ".zip")
	}
	// Exports keep Manifest.json and Bot.json at most two folders down (an
	// extra top folder, then the bot's); looking no deeper keeps a bot
	// folder with, say, node_modules under its hooks quick to tell apart.
	var manifest, bot bool
	_ = filepath.WalkDir(p, func(q string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if e.IsDir() {
			if rel, _ := filepath.Rel(p, q); rel != "." && strings.Count(filepath.ToSlash(rel), "/") >= 2 {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(e.Name()) {
		case "manifest.json":
			manifest = true
		case "bot.json":
			bot = true
		}
		return nil
	})
	return manifest && bot
}

// Read reads a Lex V2 export from a .zip file or an unzipped folder.
func Read(p string) (*parley.Bot, []Warning, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("lexexport: read: %w", err)
	}
	var files []file
	if st.IsDir() {
		files, err = dirFiles(p)
	} else {
		var f *os.File
		f, err = os.Open(p)
		if err != nil {
			return nil, nil, fmt.Errorf("lexexport: read: %w", err)
		}
		defer f.Close()
		files, err = zipFiles(f, st.Size())
	}
	if err != nil {
		return nil, nil, err
	}
	b, ws, err := decode(files)
	if b != nil {
		b.Source = p
	}
	return b, ws, err
}

// ReadZip reads a Lex V2 export zip held in r.
func ReadZip(r io.ReaderAt, size int64) (*parley.Bot, []Warning, error) {
	files, err := zipFiles(r, size)
	if err != nil {
		return nil, nil, err
	}
	return decode(files)
}

func dirFiles(root string) ([]file, error) {
	var files []file
	total := 0
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || !strings.EqualFold(filepath.Ext(p), ".json") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		total += len(data)
		if len(data) > maxFileBytes || total > maxTotalBytes || len(files) >= maxFiles {
			return parley.Errorf(parley.ErrValidation, "lexexport: %s: the export is too large", filepath.ToSlash(rel))
		}
		files = append(files, file{name: filepath.ToSlash(rel), data: data})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lexexport: read %s: %w", root, err)
	}
	return files, nil
}

func zipFiles(r io.ReaderAt, size int64) ([]file, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, parley.Errorf(parley.ErrValidation, "lexexport: not a zip file: %v", err)
	}
	var files []file
	total := 0
	for _, zf := range zr.File {
		name := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(zf.Name, "\\", "/")), "/")
		if zf.FileInfo().IsDir() || !strings.EqualFold(path.Ext(name), ".json") || strings.HasPrefix(name, "__MACOSX/") {
			continue
		}
		if zf.Flags&0x1 != 0 {
			return nil, parley.Errorf(parley.ErrValidation, "lexexport: %s: the zip is password-protected; export it again without a password", name)
		}
		if len(files) >= maxFiles {
			return nil, parley.Errorf(parley.ErrValidation, "lexexport: the zip holds more than %d files", maxFiles)
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "lexexport: %s: %v", name, err)
		}
		var buf bytes.Buffer
		n, err := io.Copy(&buf, io.LimitReader(rc, maxFileBytes+1))
		rc.Close()
		if err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "lexexport: %s: %v", name, err)
		}
		total += int(n)
		if n > maxFileBytes || total > maxTotalBytes {
			return nil, parley.Errorf(parley.ErrValidation, "lexexport: %s: the export is too large", name)
		}
		files = append(files, file{name: name, data: buf.Bytes()})
	}
	return files, nil
}
