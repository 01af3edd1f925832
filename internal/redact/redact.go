// Package redact keeps secrets out of every artifact. Known values (the
// profile's secrets, every code and token the harness saw) are replaced by a
// short fingerprint, so a reader can still tell two tokens apart; values in
// well-known parameter positions are replaced even when they were never
// registered (a token from another process, say).
package redact

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Redactor replaces secrets in text. The zero value is ready; it is safe for
// concurrent use.
type Redactor struct {
	mu     sync.RWMutex
	values map[string]string // secret -> replacement
}

// Fingerprint is the stand-in for a secret: a hash prefix, stable across a run.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "[redacted:" + hex.EncodeToString(sum[:4]) + "]"
}

// minSecretLen keeps short, common strings (a "1", a scope) out of the list:
// replacing them would garble evidence without protecting anything.
const minSecretLen = 6

// Add registers secret values.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.values == nil {
		r.values = map[string]string{}
	}
	for _, s := range secrets {
		if len(s) >= minSecretLen {
			r.values[s] = Fingerprint(s)
		}
	}
}

// parameters carries secrets by name in URLs, form bodies, JSON and headers:
// besides codes, tokens and credentials, client assertions (RFC 7521
// client_assertion, assertion), request objects (RFC 9101 request) and
// their references (request_uri, RFC 9126: it stands for the pushed
// request until it is used) and Logout Tokens (OpenID Connect Back-Channel
// Logout 1.0 logout_token).
var parameters = []*regexp.Regexp{
	regexp.MustCompile(`((?:^|[?#&\s"'])(?:code|access_token|refresh_token|id_token|client_secret|client_assertion|assertion|request|request_uri|password|token|code_verifier|logout_token)=)([^&#\s"'<]+)`),
	regexp.MustCompile(`("(?:code|access_token|refresh_token|id_token|client_secret|client_assertion|assertion|request|request_uri|password|token|code_verifier|logout_token)"\s*:\s*")([^"]+)`),
	regexp.MustCompile(`(?i)((?:authorization|proxy-authorization)\s*[:=]\s*"?(?:basic|bearer)\s+)([A-Za-z0-9._~+/=-]+)`),
}

// privateKey is a PEM private key (PKCS #8, PKCS #1, SEC 1), whole: a key
// that reaches evidence (a profile value, a response that leaks one) is
// replaced even when nobody registered it.
var privateKey = regexp.MustCompile(`-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )*PRIVATE KEY-----`)

// String returns s with every secret replaced.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	r.mu.RLock()
	keys := make([]string, 0, len(r.values))
	for k := range r.values {
		keys = append(keys, k)
	}
	// Longest first, so a secret that contains another is replaced whole.
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		s = strings.ReplaceAll(s, k, r.values[k])
	}
	r.mu.RUnlock()
	s = privateKey.ReplaceAllStringFunc(s, Fingerprint)
	for _, re := range parameters {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if strings.HasPrefix(sub[2], "[redacted:") {
				return m
			}
			return sub[1] + Fingerprint(sub[2])
		})
	}
	return redactMore(s)
}
