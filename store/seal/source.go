package seal

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// The environment variables a keyring may come from.
const (
	// EnvKeys holds the keys themselves: ID:BASE64KEY[,ID:BASE64KEY…],
	// the current key first.
	EnvKeys = "PARLEY_STORE_KEY"
	// EnvKeyFile names a key file (see ParseKeyFile).
	EnvKeyFile = "PARLEY_STORE_KEY_FILE"
)

// LoadFile reads the key file at path (see ParseKeyFile).
func LoadFile(path string) (*Keyring, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seal: read key file: %w", err)
	}
	return ParseKeyFile(path, data)
}

// ParseKeyFile reads a key file: one key a line as `ID BASE64KEY`, the
// first key the current one; blank lines and lines starting with '#' are
// skipped. Errors name name:line and what is wrong, never the key itself.
func ParseKeyFile(name string, data []byte) (*Keyring, error) {
	var (
		keys  []Key
		lines = map[string]int{} // id → line, to name both lines of a duplicate
	)
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("seal: %s:%d: want `ID BASE64KEY`, got %d fields", name, n, len(fields))
		}
		key, err := parseKey(fields[0], fields[1])
		if err != nil {
			return nil, fmt.Errorf("seal: %s:%d: %w", name, n, err)
		}
		if first, dup := lines[key.ID]; dup {
			return nil, fmt.Errorf("seal: %s:%d: key id %q is already given on line %d", name, n, key.ID, first)
		}
		lines[key.ID] = n
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("seal: %s: no keys; write one `ID BASE64KEY` line, e.g. from: echo \"k1 $(openssl rand -base64 32)\"", name)
	}
	return New(keys...)
}

// ParseKeys reads the value of PARLEY_STORE_KEY:
// ID:BASE64KEY[,ID:BASE64KEY…], the first key the current one.
func ParseKeys(value string) (*Keyring, error) {
	var keys []Key
	seen := map[string]bool{}
	for i, entry := range strings.Split(value, ",") {
		id, secret, ok := strings.Cut(strings.TrimSpace(entry), ":")
		if !ok {
			return nil, fmt.Errorf("seal: %s entry %d: want ID:BASE64KEY", EnvKeys, i+1)
		}
		key, err := parseKey(id, secret)
		if err != nil {
			return nil, fmt.Errorf("seal: %s entry %d: %w", EnvKeys, i+1, err)
		}
		if seen[key.ID] {
			return nil, fmt.Errorf("seal: %s entry %d: key id %q is given twice", EnvKeys, i+1, key.ID)
		}
		seen[key.ID] = true
		keys = append(keys, key)
	}
	return New(keys...)
}

func parseKey(id, text string) (Key, error) {
	if err := checkID(id); err != nil {
		return Key{}, err
	}
	secret, err := decodeSecret(text)
	if err != nil {
		return Key{}, fmt.Errorf("key %q: %w", id, err)
	}
	if len(secret) != KeySize {
		return Key{}, fmt.Errorf("key %q: key must be %d bytes after base64, got %d", id, KeySize, len(secret))
	}
	return Key{ID: id, Secret: secret}, nil
}

// Load returns the keyring a key file or a keys value gives, nil when both
// are empty (stored sessions stay plain), and an error when both are set:
// which one wins would be a guess.
func Load(keyFile, keys string) (*Keyring, error) {
	switch {
	case keyFile != "" && keys != "":
		return nil, errors.New("seal: both a key file and " + EnvKeys + " are set; use one")
	case keyFile != "":
		return LoadFile(keyFile)
	case keys != "":
		return ParseKeys(keys)
	}
	return nil, nil
}
