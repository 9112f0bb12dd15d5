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
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/channel/webchat"
	"github.com/parleybot/parley/convlog"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/lexapi"
	"github.com/parleybot/parley/nlu"
)

// Server is `parley serve`: bots, session store, engine and HTTP server.
// Open acquires everything, Run serves until its context ends, Close
// releases what Open acquired; the tests drive the same steps.
type Server struct {
	cfg      Config
	log      *slog.Logger
	hopts    HookOptions
	copts    ChannelOptions
	hooks    *Hooks
	store    parley.SessionStore
	engine   *engine.Engine
	ln       net.Listener
	channels []*mountedChannel
	http     *http.Server
	gen      *generativeParts
	// paths maps each bot id to its definition, where its versions are
	// stored and from where --watch reloads it.
	paths map[string]string
	// versionMu serializes version creation through the admin API.
	versionMu sync.Mutex
	metrics   *metrics
	// convlog records every turn when Config.ConversationLog is set.
	convlog *convlog.Sink
	// ready is set once Open has trained the bots and opened everything;
	// draining once Run starts shutting down (both for /readyz).
	ready, draining atomic.Bool
	// ownStore is a store given in ServerOptions, used instead of Config.Store.
	ownStore parley.SessionStore
	// edge guards the routes: credentials, rate limits, CORS (edge.go);
	// edgeErr is its invalid setting, which Open reports.
	edge    *edge
	edgeErr error
	// noListen is ServerOptions.NoListen.
	noListen bool
}

// ServerOptions configure how a Server builds the bots' parts.
type ServerOptions struct {
	// Hooks builds the code hooks (unless Config.NoHooks); its Env also
	// gives the ${VAR} values of the bot files' channel settings.
	Hooks HookOptions
	// Channels builds the messaging channels.
	Channels ChannelOptions
	// Store, when set, is the session store instead of the one
	// Config.Store names; Close closes it all the same.
	Store parley.SessionStore
	// NoListen opens everything but a listener: requests reach Handler
	// some other way (AWS Lambda invocations), Run and URL are not used,
	// and without Config.PublicURL the channels know no webhook URL.
	NoListen bool
}

// NewServer returns a server for cfg that logs to logger and builds the
// bots' code hooks with hooks (unless cfg.NoHooks); nothing is opened until
// Open.
func NewServer(cfg Config, logger *slog.Logger, hooks HookOptions) *Server {
	return NewServerWith(cfg, logger, ServerOptions{Hooks: hooks})
}

// NewServerWith is NewServer with options for every part.
func NewServerWith(cfg Config, logger *slog.Logger, opts ServerOptions) *Server {
	if opts.Hooks.Logger == nil {
		opts.Hooks.Logger = logger
	}
	s := &Server{cfg: cfg, log: logger, hopts: opts.Hooks, copts: opts.Channels, ownStore: opts.Store, noListen: opts.NoListen}
	s.metrics = newMetrics(func() []*mountedChannel { return s.channels })
	s.edge, s.edgeErr = newEdge(cfg, s.metrics.reg)
	return s
}

// Open loads and trains the bots, builds their code hooks, opens the
// session store, starts listening on cfg.Addr and builds the bots'
// channels. Bot definition problems come back as one botdef.Problems
// listing all of them. On failure nothing stays open.
func (s *Server) Open() (err error) {
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	bots, err := loadBots(s.cfg.Bots, botOptions(s.hopts.Env), s.log)
	if err != nil {
		return err
	}
	if !s.cfg.NoHooks {
		if s.hooks, err = BuildHooks(bots, s.hopts); err != nil {
			return err
		}
	}
	if s.store = s.ownStore; s.store == nil {
		if s.store, err = openConfiguredStore(s.cfg, time.Now); err != nil {
			return err
		}
	}
	if s.gen, err = buildGenerative(s.cfg.LLM, bots, s.log); err != nil {
		return err
	}
	served, err := servedBots(s.cfg.Bots, bots)
	if err != nil {
		return err
	}
	s.paths = make(map[string]string, len(bots))
	for i, b := range bots {
		s.paths[b.ID] = s.cfg.Bots[i]
	}
	if s.convlog, err = s.openConversationLog(); err != nil {
		return err
	}
	s.engine, err = engine.NewServed(s.gen.engineOptions(engine.Options{Store: s.store, Trainer: nlu.New(), CodeHook: s.hooks.For, Now: time.Now, Logger: s.log, Observer: s.observer(bots)}), served...)
	if err != nil {
		return fmt.Errorf("start engine: %w", err)
	}
	if !s.noListen {
		if s.ln, err = net.Listen("tcp", s.cfg.Addr); err != nil {
			return fmt.Errorf("listen: %w", err)
		}
	}
	publicURL := s.cfg.PublicURL
	if publicURL == "" && s.ln != nil {
		publicURL = s.URL()
	}
	if s.channels, err = buildChannels(bots, s.engine, publicURL, s.copts, s.log); err != nil {
		return err
	}
	if s.edgeErr != nil {
		return s.edgeErr
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
	s.ready.Store(true)
	addr := "none"
	if s.ln != nil {
		addr = s.ln.Addr().String()
	}
	s.log.Info("serving", "addr", addr, "store", s.cfg.Store, "bots", len(bots), "channels", len(s.channels), "apiKey", s.cfg.APIKey != "")
	return nil
}

// botOptions reads bot files with env giving the ${VAR} values of channel
// settings; nothing is set when env is nil.
func botOptions(env Env) botdef.Options {
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	return botdef.Options{LookupEnv: env}
}

// channellessBotOptions reads bot files for commands that serve no channels
// (chat, eval): every variable of a channel setting counts as set and
// empty, so that a platform secret missing here does not stop them.
func channellessBotOptions() botdef.Options {
	return botdef.Options{LookupEnv: func(string) (string, bool) { return "", true }}
}

// loadBots loads every bot definition (or Lex export, whose warnings go to
// log) and gathers the problems of all of them, so one run shows everything
// to fix.
func loadBots(paths []string, opts botdef.Options, log *slog.Logger) ([]*parley.Bot, error) {
	var bots []*parley.Bot
	var problems botdef.Problems
	for _, p := range paths {
		bot, err := loadBot(p, opts, log)
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
// /bots/, each bot's channels under /channels/{botId}/{name}/, their
// counters at GET /channels/stats, the bot versions under /admin/, the web
// chat everywhere else, GET /healthz, GET /readyz and the Prometheus GET
// /metrics. With an API key, the Lex API, the admin API, the counters,
// /metrics, POST /chat and the bot list require it; the page and its assets do not, and opening the
// page with ?key=KEY lets that browser in. The channels never do: each
// platform authenticates its own requests.
func (s *Server) Handler() http.Handler {
	var lex, chat, stats, admin, metrics http.Handler
	lex = lexapi.NewHandler(s.engine, lexapi.Options{Logger: s.log})
	admin = s.adminHandler()
	chat = webchat.NewHandler(s.engine, s.engine, webchat.Options{Logger: s.log})
	stats = channelStats(s.channels)
	metrics = s.metrics.handler()
	page := chat
	rt := s.edge.protect(routes{lex: lex, admin: admin, chat: chat, stats: stats, metrics: metrics, page: page}, s.cfg.APIKey, s.log)
	lex, admin, chat, stats, metrics, page = rt.lex, rt.admin, rt.chat, rt.stats, rt.metrics, rt.page
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", metrics)
	mux.Handle("/bots/", lex)
	mux.Handle("/admin/", admin)
	mountChannels(mux, s.channels)
	mux.Handle("GET /channels/stats", stats)
	// Registered on its own so that ServeMux does not redirect it to the
	// /bots/ subtree.
	mux.Handle("/bots", chat)
	mux.Handle("/chat", chat)
	mux.Handle("/", page)
	return mux
}

// shutdownTimeout is Config.ShutdownTimeout, or its default when unset.
func (s *Server) shutdownTimeout() time.Duration {
	if s.cfg.ShutdownTimeout > 0 {
		return s.cfg.ShutdownTimeout
	}
	return defaultShutdownTimeout
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
		writeVersions(w, b, s.engine.Versions(b.ID))
		Describe(w, b, s.cfg.NoHooks)
	}
	if len(bots) == 0 {
		fmt.Fprintln(w, "no bots: pass bot definition paths, e.g. parley serve examples/hello")
		return
	}
	writeChannels(w, s.channels)
	if s.cfg.APIKey != "" {
		fmt.Fprintf(w, "web chat: %s/ (open it once as %s/?key=API_KEY)\n", s.URL(), s.URL())
		return
	}
	fmt.Fprintf(w, "web chat: %s/\n", s.URL())
}

// Run serves until ctx ends, then reports not ready, stops accepting
// connections and waits up to Config.ShutdownTimeout for the requests in
// flight (their turns) to be answered and stored. Close then waits for the
// channels' turns and closes the store.
func (s *Server) Run(ctx context.Context) error {
	served := make(chan error, 1)
	go func() { served <- s.http.Serve(s.ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down", "timeout", s.shutdownTimeout())
	stop, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout())
	defer cancel()
	if err := s.http.Shutdown(stop); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-served
	return nil
}

// Close releases the listener, the channels (waiting for their turns in
// flight), the session store and the code hooks (their worker processes).
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
	// Channels first: their last turns still need the store and the hooks.
	if err := closeChannels(s.channels, s.shutdownTimeout(), s.log); err != nil {
		errs = append(errs, err)
	}
	s.channels = nil
	if err := s.closeConversationLog(); err != nil {
		errs = append(errs, err)
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
