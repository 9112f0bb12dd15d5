package webchat

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/parleybot/parley"
)

// Options configures the handler. The zero value is ready to use.
type Options struct {
	// Logger receives failed turns and encoding errors; nil discards them.
	Logger *slog.Logger
}

//go:embed assets
var assetFS embed.FS

//go:embed page.html
var pageSource string

// contentSecurityPolicy allows only the page's own script, style and fetches.
// Card images may come from any https host (bots link them), and the page may
// be framed by its own origin only.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' https:; connect-src 'self'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'self'"

// asset is one embedded static file, prepared once at start-up.
type asset struct {
	body        []byte
	contentType string
	version     string // short content hash, also the ETag
}

type handler struct {
	rt     parley.Runtime
	bots   parley.BotCatalog
	log    *slog.Logger
	page   []byte
	assets map[string]*asset
	// started is the modification time given to http.ServeContent; the
	// embedded files carry none, and ETags do the real revalidation.
	started time.Time
}

// NewHandler returns the web chat: GET / and /chat.html (the page),
// GET /assets/{name}, GET /bots and POST /chat. Paths in the page are
// relative, so the handler also works under http.StripPrefix.
func NewHandler(rt parley.Runtime, bots parley.BotCatalog, opts Options) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &handler{rt: rt, bots: bots, log: log, assets: loadAssets(), started: time.Now()}
	h.page = renderPage(h.assets)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.servePage)
	mux.HandleFunc("GET /chat.html", h.servePage)
	mux.HandleFunc("GET /assets/{name}", h.serveAsset)
	mux.HandleFunc("GET /bots", h.serveBots)
	mux.HandleFunc("POST /chat", h.serveChat)
	return mux
}

// loadAssets reads every embedded asset and fixes its type and version.
// The files are compiled in, so a read failure is a build defect.
func loadAssets() map[string]*asset {
	out := map[string]*asset{}
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		panic(fmt.Sprintf("webchat: embedded assets: %v", err))
	}
	for _, e := range entries {
		body, err := assetFS.ReadFile("assets/" + e.Name())
		if err != nil {
			panic(fmt.Sprintf("webchat: embedded asset %s: %v", e.Name(), err))
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(e.Name()))
		switch path.Ext(e.Name()) {
		// The system MIME table may lack these or name JavaScript oddly.
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		}
		out[e.Name()] = &asset{body: body, contentType: ct, version: hex.EncodeToString(sum[:6])}
	}
	return out
}

// renderPage fills the asset versions into the page so that browsers may
// cache assets forever and still see a new release at once.
func renderPage(assets map[string]*asset) []byte {
	tmpl := template.Must(template.New("page").Parse(pageSource))
	versions := map[string]string{}
	for name, a := range assets {
		versions[name] = a.version
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, versions); err != nil {
		panic(fmt.Sprintf("webchat: page template: %v", err))
	}
	return buf.Bytes()
}

func setSecurityHeaders(w http.ResponseWriter) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

func (h *handler) servePage(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w)
	w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The page is small and names the current asset versions: always revalidate.
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "chat.html", h.started, bytes.NewReader(h.page))
}

func (h *handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	setSecurityHeaders(w)
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("ETag", `"`+a.version+`"`)
	if r.URL.Query().Get("v") == a.version {
		// A versioned URL never changes content.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=0, must-revalidate")
	}
	http.ServeContent(w, r, "", h.started, bytes.NewReader(a.body))
}

// botInfo is one entry of GET /bots.
type botInfo struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Locales     []string `json:"locales"`
}

func (h *handler) serveBots(w http.ResponseWriter, r *http.Request) {
	bots := h.bots.Bots()
	out := make([]botInfo, 0, len(bots))
	for _, b := range bots {
		info := botInfo{ID: b.ID, Name: b.Name, Description: b.Description, Locales: make([]string, 0, len(b.Locales))}
		for _, l := range b.Locales {
			info.Locales = append(info.Locales, l.ID)
		}
		out = append(out, info)
	}
	h.writeJSON(w, http.StatusOK, out)
}

func (h *handler) writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		h.log.Error("webchat: encode response", "err", err)
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"InternalServerException","message":"Internal server error."}}`)
	}
	setSecurityHeaders(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	body = append(body, '\n')
	if _, err := w.Write(body); err != nil {
		// The client went away; nothing is left to tell it.
		h.log.Debug("webchat: write response", "err", err)
	}
}
