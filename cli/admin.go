package cli

import (
	"encoding/json"
	"net/http"

	"github.com/parleybot/parley"
)

// versionSummary is one entry of the version list, named as Lex's
// ListBotVersions names it.
type versionSummary struct {
	BotName    string `json:"botName"`
	BotVersion string `json:"botVersion"`
	BotStatus  string `json:"botStatus"`
}

// adminHandler serves the bot versions: POST /admin/bots/{botId}/versions
// snapshots the served draft as the next version (as `parley version
// create` does) and serves it at once; GET lists the versions.
func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /admin/bots/{botId}/versions", func(w http.ResponseWriter, r *http.Request) {
		n, err := s.CreateVersion(r.PathValue("botId"))
		if err != nil {
			s.adminError(w, err)
			return
		}
		writeAdminJSON(w, http.StatusOK, map[string]string{"botId": r.PathValue("botId"), "botVersion": n})
	})
	mux.HandleFunc("GET /admin/bots/{botId}/versions", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("botId")
		draft := s.engine.Draft(id)
		if draft == nil {
			s.adminError(w, parley.Errorf(parley.ErrNotFound, "bot %s not found", id))
			return
		}
		list := []versionSummary{}
		for _, n := range s.engine.Versions(id) {
			list = append(list, versionSummary{BotName: draft.Name, BotVersion: n, BotStatus: "Available"})
		}
		writeAdminJSON(w, http.StatusOK, map[string]any{"botId": id, "botVersionSummaries": list})
	})
	return mux
}

// CreateVersion stores the served draft of a bot as its next version
// beside its definition, serves it, and returns its number. The version
// served is the one read back from the stored file, so a restart serves
// the same.
func (s *Server) CreateVersion(botID string) (string, error) {
	s.versionMu.Lock()
	defer s.versionMu.Unlock()
	draft := s.engine.Draft(botID)
	if draft == nil {
		return "", parley.Errorf(parley.ErrNotFound, "bot %s not found", botID)
	}
	path := s.paths[botID]
	n, err := createVersion(path, draft)
	if err != nil {
		return "", err
	}
	v, err := readVersion(path, n)
	if err != nil {
		return "", err
	}
	if err := s.engine.AddVersion(n, v); err != nil {
		return "", err
	}
	s.log.Info("version created", "bot", botID, "version", n)
	return n, nil
}

// adminError answers err with the status of its code, as the Lex API
// does; an uncoded error is logged and answered without its details.
func (s *Server) adminError(w http.ResponseWriter, err error) {
	status, msg := http.StatusInternalServerError, "internal error"
	switch parley.ErrorCodeOf(err) {
	case parley.ErrNotFound:
		status, msg = http.StatusNotFound, parley.ErrorMessageOf(err)
	case parley.ErrConflict:
		status, msg = http.StatusConflict, parley.ErrorMessageOf(err)
	case parley.ErrValidation:
		status, msg = http.StatusBadRequest, parley.ErrorMessageOf(err)
	default:
		s.log.Error("admin", "error", err)
	}
	writeAdminJSON(w, status, map[string]string{"message": msg})
}

func writeAdminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
