package cli

import (
	"fmt"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/seal"
)

// checkStoreKey reports a store key setting that cannot work, without
// reading the key file: Validate stays free of I/O, and the file is read
// once, when the store opens. Errors never show key material.
func (c Config) checkStoreKey() error {
	if c.StoreKeyFile != "" && c.StoreKey != "" {
		return fmt.Errorf("storeKeyFile %q and %s are both set; keep one", c.StoreKeyFile, seal.EnvKeys)
	}
	if c.StoreKey != "" {
		if _, err := seal.ParseKeys(c.StoreKey); err != nil {
			return err
		}
	}
	return nil
}

// openConfiguredStore opens the store cfg names with the keys its
// storeKeyFile or PARLEY_STORE_KEY give, so sessions are sealed at rest
// whenever a key is configured.
func openConfiguredStore(cfg Config, now func() time.Time) (parley.SessionStore, error) {
	keys, err := seal.Load(cfg.StoreKeyFile, cfg.StoreKey)
	if err != nil {
		return nil, fmt.Errorf("store key: %w", err)
	}
	return openStore(cfg.Store, now, cfg.StoreInit, keys)
}
