package parley

import "context"

// Runtime runs conversations: what the Lex API, the web chat, the terminal
// chat and every channel call. All methods are safe for concurrent use and
// return *Error values: ErrNotFound for an unknown bot, alias, locale or
// session, ErrValidation naming the bad field, ErrConflict when a concurrent
// turn on the same session won, ErrDependencyFailed when a code hook failed.
type Runtime interface {
	// RecognizeText runs one turn.
	RecognizeText(ctx context.Context, req *TurnRequest) (*TurnResult, error)
	// PutSession replaces a session's state and returns what to say.
	PutSession(ctx context.Context, req *PutSessionRequest) (*TurnResult, error)
	// GetSession returns the stored session.
	GetSession(ctx context.Context, key SessionKey) (*Session, error)
	// DeleteSession forgets the session.
	DeleteSession(ctx context.Context, key SessionKey) error
}

// BotCatalog lists the bots a server runs.
type BotCatalog interface {
	// Bots returns the served bots sorted by ID. The result must not be
	// modified. Safe for concurrent use.
	Bots() []*Bot
}
