package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/channel/webchat"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/lexapi"
	"github.com/parleybot/parley/nlu"
)

// shutdownGrace bounds how long a stopping server waits for requests in
// flight.
const shutdownGrace = 10 * time.Second

// Server is `parley serve`: bots, session store, engine and HTTP server.
// Open acquires everything, Run serves until its context ends, Close
// releases what Open acquired; the tests drive the same steps.
type Server struct {
	cfg    Config
	log    *slog.Logger
	hopts  HookOptions
	hooks  *Hooks
	store  parley.SessionStore
	engine *engine.Engine
	ln     net.Listener
	http   *http.Server
}

// NewServer returns a server for cfg that logs to logger and builds the
// bots' code hooks with hooks (unless cfg.NoHooks); nothing is opened until
// Open.
func NewServer(cfg Config, logger *slog.Logger, hooks HookOptions) *Server {
	if hooks.Logger == nil {
		hooks.Logger = logger
	}
	return &Server{cfg: cfg, log: logger, hopts: hooks}
}

// Open loads and trains the bots, builds their code hooks, opens the
// session store and starts listening on cfg.Addr. Bot definition problems come back as one
// botdef.Problems listing all of them. On failure nothing stays open.
func (s *Server) Open() (err error) {
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	bots, err := loadBots(s.cfg.Bots)
	if err != nil {
		return err
	}
	if !s.cfg.NoHooks {
		if s.hooks, err = BuildHooks(bots, s.hopts); err != nil {
			return err
		}
	}
	if s.store, err = openStore(s.cfg.Store, time.Now); err != nil {
		return err
	}
	s.engine, err = engine.New(engine.Options{Store: s.store, Trainer: nlu.New(), CodeHook: s.hooks.For, Now: time.Now, Logger: s.log}, bots...)
	if err != nil {
		return fmt.Errorf("start engine: %w", err)
	}
	if s.ln, err = net.Listen("tcp", s.cfg.Addr); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The AWS JavaScript SDK speaks HTTP/2 with prior knowledge to http://
	// endpoints, so cleartext HTTP/2 is served beside HTTP/1.1.
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	s.http = &http.Server{
		Handler:           s.Handler(),
		Protocols:         &protocols,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("serving", "addr", s.ln.Addr().String(), "store", s.cfg.Store, "bots", len(bots), "apiKey", s.cfg.APIKey != "")
	return nil
}

// loadBots loads every bot definition and gathers the problems of all of
// them, so one run shows everything to fix.
func loadBots(paths []string) ([]*parley.Bot, error) {
	var bots []*parley.Bot
	var problems botdef.Problems
	for _, p := range paths {
		bot, err := botdef.Load(p)
		var ps botdef.Problems
		switch {
		case errors.As(err, &ps):
			problems = append(problems, ps...)
		case err != nil:
			return nil, fmt.Errorf("load %s: %w", p, err)
		default:
			bots = append(bots, bot)
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return bots, nil
}

// Handler returns the server's routes: the Lex V2 runtime API under
// /bots/, the web chat everywhere else and GET /healthz. With an API key,
// the Lex API, POST /chat and the bot list require it; the page and its
// assets do not, and opening the page with ?key=KEY lets that browser in.
func (s *Server) Handler() http.Handler {
	var lex, chat http.Handler
	lex = lexapi.NewHandler(s.engine, lexapi.Options{Logger: s.log})
	chat = webchat.NewHandler(s.engine, s.engine, webchat.Options{Logger: s.log})
	page := chat
	if s.cfg.APIKey != "" {
		lex = RequireAPIKey(s.cfg.APIKey, s.log, DenyLex, lex)
		chat = RequireAPIKey(s.cfg.APIKey, s.log, DenyChat, chat)
		page = RememberAPIKey(s.cfg.APIKey, page)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.Handle("/bots/", lex)
	// Registered on its own so that ServeMux does not redirect it to the
	// /bots/ subtree.
	mux.Handle("/bots", chat)
	mux.Handle("/chat", chat)
	mux.Handle("/", page)
	return mux
}

// URL returns the base URL of the bound address, e.g. http://127.0.0.1:8080.
func (s *Server) URL() string {
	return "http://" + s.ln.Addr().String()
}

// WriteBanner tells the user where the server listens and what it serves.
func (s *Server) WriteBanner(w io.Writer) {
	fmt.Fprintf(w, "Parley listening on %s\n", s.URL())
	bots := s.engine.Bots()
	for _, b := range bots {
		aliases := []string{parley.DraftAliasID}
		for _, a := range b.Aliases {
			aliases = append(aliases, a.ID)
		}
		var locales []string
		for _, l := range b.Locales {
			locales = append(locales, l.ID)
		}
		fmt.Fprintf(w, "bot %s (%s) alias %s locales %s\n", b.ID, b.Name, strings.Join(aliases, ","), strings.Join(locales, ","))
		Describe(w, b, s.cfg.NoHooks)
	}
	if len(bots) == 0 {
		fmt.Fprintln(w, "no bots: pass bot definition paths, e.g. parley serve examples/hello")
		return
	}
	if s.cfg.APIKey != "" {
		fmt.Fprintf(w, "web chat: %s/ (open it once as %s/?key=API_KEY)\n", s.URL(), s.URL())
		return
	}
	fmt.Fprintf(w, "web chat: %s/\n", s.URL())
}

// Run serves until ctx ends, then stops accepting connections and waits up
// to shutdownGrace for requests in flight.
func (s *Server) Run(ctx context.Context) error {
	served := make(chan error, 1)
	go func() { served <- s.http.Serve(s.ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	stop, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := s.http.Shutdown(stop); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-served
	return nil
}

// Close releases the listener, the session store and the code hooks (their
// worker processes).
func (s *Server) Close() error {
	var errs []error
	if s.http != nil {
		s.http.Close()
	}
	if s.ln != nil {
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close store: %w", err))
		}
	}
	if err := s.hooks.Close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
