package cli

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/parleybot/parley"
)

// readyProbe is the session key /readyz reads to see that the store
// answers; no bot has this id, so the read finds nothing.
var readyProbe = parley.SessionKey{BotID: "PARLEYPROBE", AliasID: parley.DraftAliasID, LocaleID: "en_US", SessionID: "readyz"}

// storeCheckTimeout bounds the store check of one /readyz request, so a
// hung store answers the probe with 503 rather than never.
const storeCheckTimeout = 2 * time.Second

// pinger is a store that can check its connection more cheaply than a
// read.
type pinger interface {
	Ping(ctx context.Context) error
}

// pingStore reports whether the store answers: its Ping when it has one,
// else a read of readyProbe, for which NotFound is the healthy answer.
func pingStore(ctx context.Context, st parley.SessionStore) error {
	ctx, cancel := context.WithTimeout(ctx, storeCheckTimeout)
	defer cancel()
	if p, ok := st.(pinger); ok {
		return p.Ping(ctx)
	}
	_, err := st.Get(ctx, readyProbe)
	if parley.ErrorCodeOf(err) == parley.ErrNotFound {
		return nil
	}
	return err
}

// readyz answers 200 "ready" once the bots are trained and while the store
// answers and the server is not shutting down, else 503 with the reason,
// so a load balancer sends turns only to instances that can take them.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	notReady := func(reason string) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready: "+reason+"\n")
	}
	switch {
	case s.draining.Load():
		notReady("shutting down")
		return
	case !s.ready.Load():
		notReady("bots not loaded yet")
		return
	}
	if err := pingStore(r.Context(), s.store); err != nil {
		// The error may name hosts or users: it goes to the log, not to
		// whoever probes.
		s.log.WarnContext(r.Context(), "readyz: session store unreachable", "error", err)
		notReady("session store unreachable")
		return
	}
	io.WriteString(w, "ready\n")
}
