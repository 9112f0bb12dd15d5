package sigv4

import (
	"strings"
)

// Algorithm is the only signing algorithm accepted: SigV4 with HMAC-SHA256.
// (SigV4a's ECDSA signatures are for multi-region endpoints, which a
// Parley server is not.)
const Algorithm = "AWS4-HMAC-SHA256"

// terminator ends every credential scope.
const terminator = "aws4_request"

// Authorization is a parsed `Authorization: AWS4-HMAC-SHA256 …` header.
type Authorization struct {
	// AccessKeyID, Date (YYYYMMDD), Region and Service are the parts of
	// Credential=AKID/DATE/REGION/SERVICE/aws4_request.
	AccessKeyID, Date, Region, Service string
	// SignedHeaders is the header list as sent, e.g. "host;x-amz-date":
	// the canonical request repeats it verbatim.
	SignedHeaders string
	// Signature is the hex HMAC the client computed.
	Signature string
}

// scope is the credential scope line of the string to sign.
func (a Authorization) scope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/" + terminator
}

// headerNames splits SignedHeaders into its lowercase names.
func (a Authorization) headerNames() []string {
	return strings.Split(a.SignedHeaders, ";")
}

// ParseAuthorization reads an Authorization header value. A malformed value
// is an *Error with code IncompleteSignature whose message says what is
// missing, as AWS words it.
func ParseAuthorization(h string) (Authorization, error) {
	var a Authorization
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if scheme != Algorithm {
		return a, fail(IncompleteSignature, "Unsupported Authorization Type: want %s.", Algorithm)
	}
	var credential string
	var haveCred, haveHeaders, haveSig bool
	// AWS splits the parameters at commas and at spaces alike, so a
	// space pasted into a key shows up as a part without "=".
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return a, fail(IncompleteSignature, "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, h)
		}
		switch k {
		case "Credential":
			credential, haveCred = v, true
		case "SignedHeaders":
			a.SignedHeaders, haveHeaders = v, true
		case "Signature":
			a.Signature, haveSig = v, true
		}
	}
	var missing []string
	for _, p := range []struct {
		name string
		ok   bool
	}{{"Credential", haveCred}, {"Signature", haveSig}, {"SignedHeaders", haveHeaders}} {
		if !p.ok {
			missing = append(missing, "Authorization header requires '"+p.name+"' parameter.")
		}
	}
	if len(missing) > 0 {
		return a, fail(IncompleteSignature, "%s", strings.Join(missing, " "))
	}
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[0] == "" || len(parts[1]) != len("20060102") || parts[2] == "" || parts[3] == "" {
		return a, fail(IncompleteSignature, "Credential '%s' is malformed: want ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.", credential)
	}
	a.AccessKeyID, a.Date, a.Region, a.Service = parts[0], parts[1], parts[2], parts[3]
	if parts[4] != terminator {
		return a, fail(InvalidSignature, "Credential should be scoped with a valid terminator: '%s', not '%s'.", terminator, parts[4])
	}
	if a.SignedHeaders == "" || a.Signature == "" {
		return a, fail(IncompleteSignature, "Authorization header has an empty SignedHeaders or Signature.")
	}
	return a, nil
}
