package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// nodeVersion checks that Node is on the PATH and says which it is.
func nodeVersion(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "node", "--version").Output()
	if err != nil {
		return "", fmt.Errorf("node is needed for the NLP.js side: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// install puts node-nlp into dst/node_modules with `npm ci` from the
// committed lockfile, unless dst already holds a finished install from that
// same lockfile, and returns the installed node-nlp version.
func install(ctx context.Context, src, dst string, log *slog.Logger) (string, error) {
	lock, err := os.ReadFile(filepath.Join(src, "package-lock.json"))
	if err != nil {
		return "", fmt.Errorf("install node-nlp: %w", err)
	}
	manifest, err := os.ReadFile(filepath.Join(src, "package.json"))
	if err != nil {
		return "", fmt.Errorf("install node-nlp: %w", err)
	}
	installed := filepath.Join(dst, "node_modules", "node-nlp", "package.json")
	// The stamp is written only after npm ci succeeded, so an interrupted
	// install is redone.
	stamp := filepath.Join(dst, "installed-lock.json")
	if have, err := os.ReadFile(stamp); err == nil && bytes.Equal(have, lock) {
		if v, err := packageVersion(installed); err == nil {
			return v, nil
		}
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", fmt.Errorf("install node-nlp: %w", err)
	}
	_ = os.Remove(stamp)
	for name, b := range map[string][]byte{"package.json": manifest, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			return "", fmt.Errorf("install node-nlp: %w", err)
		}
	}
	log.Info("installing node-nlp with npm ci", "dir", dst)
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dst
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("install node-nlp: npm ci: %w", err)
	}
	v, err := packageVersion(installed)
	if err != nil {
		return "", fmt.Errorf("install node-nlp: %w", err)
	}
	if err := os.WriteFile(stamp, lock, 0o644); err != nil {
		return "", fmt.Errorf("install node-nlp: %w", err)
	}
	return v, nil
}

func packageVersion(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var pkg struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return pkg.Version, nil
}

// runNLPJS runs nlpjs.js on one split and reads the JSON line it prints
// last.
func runNLPJS(ctx context.Context, cfg config, lang, train, test string) (*score, error) {
	modules, err := filepath.Abs(filepath.Join(cfg.install, "node_modules"))
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "node", filepath.Join(cfg.src, "nlpjs.js"),
		"--locale", lang, "--train", train, "--test", test)
	// The last NODE_PATH wins over one in the environment (make exports
	// one for the test tools).
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("nlpjs: %w", err)
	}
	return parseNLPJS(out)
}

// parseNLPJS reads the result line of nlpjs.js: the last non-empty line of
// its output (node-nlp may print before it).
func parseNLPJS(out []byte) (*score, error) {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	var s score
	if err := json.Unmarshal([]byte(last), &s); err != nil {
		return nil, fmt.Errorf("nlpjs: result line %q: %w", last, err)
	}
	return &s, nil
}
