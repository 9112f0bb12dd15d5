package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parleybot/parley/botdef"
)

// WatchEvery is how often `parley serve --watch` looks at the bot files.
const WatchEvery = time.Second

// Watch polls the bot definitions every interval until ctx ends and
// reloads a changed one into its draft: it is loaded, checked and trained
// beside the served one and then swapped in, so turns in flight finish on
// the old draft and sessions are kept. A definition with problems is
// logged and the old draft stays. Versions never change and are not
// watched; code hook bindings and channels are built at start, so changes
// to them need a restart.
func (s *Server) Watch(ctx context.Context, interval time.Duration) {
	seen := make(map[string]string, len(s.paths))
	for id, p := range s.paths {
		seen[id] = fingerprint(p)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	s.log.Info("watching bot files", "bots", len(s.paths), "every", interval)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for id, p := range s.paths {
			fp := fingerprint(p)
			if fp == seen[id] {
				continue
			}
			seen[id] = fp
			s.reload(id, p)
		}
	}
}

// reload loads the definition at path and serves it as the draft of bot
// id, or logs why not.
func (s *Server) reload(id, path string) {
	bot, err := loadBot(path, botOptions(s.hopts.Env), s.log)
	var ps botdef.Problems
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			s.log.Warn("reload: "+p.String(), "bot", id, "path", path)
		}
		s.log.Warn("reload failed: the served draft stays", "bot", id, "path", path, "problems", len(ps))
		return
	case err != nil:
		s.log.Warn("reload failed: the served draft stays", "bot", id, "path", path, "error", err)
		return
	case bot.ID != id:
		s.log.Warn("reload failed: the served draft stays", "bot", id, "path", path,
			"error", fmt.Sprintf("the bot id changed to %s; restart to serve it", bot.ID))
		return
	}
	if err := s.engine.ReplaceDraft(bot); err != nil {
		s.log.Warn("reload failed: the served draft stays", "bot", id, "path", path, "error", err)
		return
	}
	s.log.Info("reloaded", "bot", id, "path", path)
}

// fingerprint describes the files of a bot definition by name, size and
// modification time; it changes when any of them does. A folder's
// versions are left out: they never change. A bot file given by itself
// brings its locale folders, as loading it does.
func fingerprint(path string) string {
	var sb strings.Builder
	walk := func(root string, skipVersions bool) {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(&sb, "%s !%v\n", p, err)
				return nil
			}
			if e.IsDir() {
				if skipVersions && p == filepath.Join(root, versionsFolder) {
					return filepath.SkipDir
				}
				return nil
			}
			if info, err := e.Info(); err == nil {
				fmt.Fprintf(&sb, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	st, err := os.Stat(path)
	if err != nil {
		return "!" + err.Error()
	}
	if st.IsDir() {
		walk(path, true)
		return sb.String()
	}
	walk(path, false)
	if botdef.BotFile(filepath.Dir(path)) == path {
		walk(filepath.Join(filepath.Dir(path), "locales"), false)
	}
	return sb.String()
}
