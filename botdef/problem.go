package botdef

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/parleybot/parley"
)

// Problem is one thing wrong with a bot definition, at a place in a file.
// Line and Col are 1-based; both are 0 for a problem with a whole file or
// folder (a missing file, an unexpected folder).
type Problem struct {
	File    string
	Line    int
	Col     int
	Message string
}

// String formats the problem as "file:line:col: message", the form editors
// and terminals turn into links.
func (p Problem) String() string {
	if p.Line <= 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
}

// Problems is every problem found in a definition, sorted by file, line and
// column. A non-empty Problems is the error Load returns.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives the problems the ErrValidation code, so that callers that map
// errors by parley.ErrorCodeOf treat a broken definition as bad input.
func (ps Problems) Unwrap() error {
	return parley.Errorf(parley.ErrValidation, "bot definition has %d problem(s)", len(ps))
}

func (ps Problems) sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
