package lambda

import (
	"strconv"
	"strings"

	"github.com/parleybot/parley"
)

// Scheme is the URI scheme of Lambda code hooks.
const Scheme = "lambda"

// Function names one Lambda function version or alias, as parsed from a
// code hook URI.
type Function struct {
	// Name is what Invoke's FunctionName gets: the bare name, the partial
	// ARN (ACCOUNT:function:NAME) or the full ARN, without the qualifier,
	// which travels separately as the Qualifier query parameter.
	Name string
	// Qualifier is the version or alias, or "" for $LATEST.
	Qualifier string
	// Region is the region of a full ARN, or "".
	Region string
}

// ParseURI parses `lambda:FUNCTION[:QUALIFIER]`, where FUNCTION is a
// function name, a partial ARN (ACCOUNT:function:NAME) or a full ARN
// (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME). A malformed URI is an
// ErrValidation error that names it and the part that is wrong.
func ParseURI(uri string) (Function, error) {
	rest, ok := strings.CutPrefix(uri, Scheme+":")
	if !ok {
		return Function{}, invalid(uri, "it does not start with "+Scheme+":")
	}
	parts := strings.Split(rest, ":")
	var f Function
	switch {
	case parts[0] == "arn":
		// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
		if len(parts) != 7 && len(parts) != 8 {
			return Function{}, invalid(uri, "a function ARN has the form arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]")
		}
		if !strings.HasPrefix(parts[1], "aws") || parts[2] != "lambda" || parts[5] != "function" {
			return Function{}, invalid(uri, "a function ARN has the form arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]")
		}
		if !validRegion(parts[3]) {
			return Function{}, invalid(uri, "bad region "+strconv.Quote(parts[3]))
		}
		if !validAccount(parts[4]) {
			return Function{}, invalid(uri, "bad account id "+strconv.Quote(parts[4])+" (want 12 digits)")
		}
		f = Function{Name: strings.Join(parts[:7], ":"), Region: parts[3]}
		parts = parts[6:]
	case len(parts) >= 3 && parts[1] == "function":
		// ACCOUNT:function:NAME[:QUALIFIER]
		if len(parts) > 4 {
			return Function{}, invalid(uri, "a partial ARN has the form ACCOUNT:function:NAME[:QUALIFIER]")
		}
		if !validAccount(parts[0]) {
			return Function{}, invalid(uri, "bad account id "+strconv.Quote(parts[0])+" (want 12 digits)")
		}
		f = Function{Name: strings.Join(parts[:3], ":")}
		parts = parts[2:]
	default:
		if len(parts) > 2 {
			return Function{}, invalid(uri, "want lambda:FUNCTION[:QUALIFIER]")
		}
		f = Function{Name: parts[0]}
	}
	// parts is now NAME[, QUALIFIER].
	if !validName(parts[0]) {
		return Function{}, invalid(uri, "bad function name "+strconv.Quote(parts[0])+" (1 to 64 letters, digits, '-' or '_')")
	}
	if len(parts) == 2 {
		if !validQualifier(parts[1]) {
			return Function{}, invalid(uri, "bad qualifier "+strconv.Quote(parts[1])+" (a version number, an alias or $LATEST)")
		}
		f.Qualifier = parts[1]
	}
	return f, nil
}

func invalid(uri, why string) *parley.Error {
	return parley.Errorf(parley.ErrValidation, "Invalid Lambda code hook URI %q: %s", uri, why)
}

// validName follows Lambda's FunctionName rule for bare names.
func validName(s string) bool {
	return len(s) >= 1 && len(s) <= 64 && all(s, func(r rune) bool { return isAlnum(r) || r == '-' || r == '_' })
}

// validQualifier accepts versions, aliases and $LATEST, as Lambda does.
func validQualifier(s string) bool {
	return len(s) >= 1 && len(s) <= 128 && all(s, func(r rune) bool { return isAlnum(r) || r == '-' || r == '_' || r == '$' })
}

func validAccount(s string) bool {
	return len(s) == 12 && all(s, func(r rune) bool { return r >= '0' && r <= '9' })
}

// validRegion accepts region names such as us-east-1 and us-gov-west-1:
// lower-case words joined by '-', the last one a number.
func validRegion(s string) bool {
	words := strings.Split(s, "-")
	if len(words) < 3 {
		return false
	}
	for i, w := range words {
		last := i == len(words)-1
		if w == "" || !all(w, func(r rune) bool {
			if last {
				return r >= '0' && r <= '9'
			}
			return r >= 'a' && r <= 'z'
		}) {
			return false
		}
	}
	return true
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func all(s string, ok func(rune) bool) bool {
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}
