package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/url"
	"sort"
	"strings"
)

// Sign returns the X-Twilio-Signature of a request to fullURL (scheme,
// host, port if any, path and query, exactly as requested) carrying the form
// parameters params: base64(HMAC-SHA1(authToken, URL + each parameter's name
// and value, sorted by name)). A name given several times contributes each
// of its values, sorted, as Twilio's Node SDK signs them.
func Sign(authToken, fullURL string, params url.Values) string {
	return sign(authToken, fullURL, signedParams(params))
}

// signedParams is the parameter part of the signed string: each name and
// value, sorted by name, then by value.
func signedParams(params url.Values) []byte {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf []byte
	for _, k := range keys {
		values := params[k]
		if len(values) > 1 {
			values = append([]string(nil), values...)
			sort.Strings(values)
		}
		for _, v := range values {
			buf = append(append(buf, k...), v...)
		}
	}
	return buf
}

func sign(authToken, fullURL string, signedParams []byte) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	mac.Write(signedParams)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// urlVariants returns the URL as Twilio may have signed it: as given, and
// with the scheme's default port added or removed (Twilio is inconsistent
// about :443 and :80, channels.md §5.2). Scheme, host and path must match.
func urlVariants(full string) []string {
	u, err := url.Parse(full)
	if err != nil || u.Host == "" || u.User != nil {
		return []string{full}
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	prefix := u.Scheme + "://" + u.Host
	if def == "" || !strings.HasPrefix(full, prefix) {
		return []string{full}
	}
	// The rest of the URL is kept byte for byte: re-encoding it could change
	// escapes Twilio signed.
	rest := full[len(prefix):]
	switch u.Port() {
	case "":
		return []string{full, u.Scheme + "://" + net.JoinHostPort(u.Hostname(), def) + rest}
	case def:
		return []string{full, prefix[:len(prefix)-len(":"+def)] + rest}
	}
	return []string{full}
}

// verify reports whether signature is Sign's answer for one of the URL's
// variants, comparing in constant time.
func verify(authToken, fullURL string, params url.Values, signature string) bool {
	if signature == "" {
		return false
	}
	ps := signedParams(params)
	ok := 0
	for _, v := range urlVariants(fullURL) {
		ok |= subtle.ConstantTimeCompare([]byte(sign(authToken, v, ps)), []byte(signature))
	}
	return ok == 1
}
