package mockserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// requestURIPrefix is the form of the request_uri values the PAR endpoint
// issues (RFC 9126 §2.2).
const requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// defaultPushedLifetime is how long a pushed request can be used by default.
const defaultPushedLifetime = 60 * time.Second

// pushedRequest is an authorization request pushed to the PAR endpoint
// (RFC 9126 §2): its parameters, bound to the client that pushed it.
type pushedRequest struct {
	clientID string
	params   url.Values
	expires  time.Time
	used     bool
}

// clientAuthParams are the parameters of client authentication, which are
// no part of a pushed authorization request (RFC 9126 §2.1).
var clientAuthParams = []string{"client_secret", "client_assertion", "client_assertion_type"}

// handlePAR is the pushed authorization request endpoint (RFC 9126 §2):
// the client authenticates as at the token endpoint, the request is
// validated as at the authorization endpoint (client, redirect URI; the
// rest when it is used), and a single-use request_uri comes back, 201.
func (s *Server) handlePAR(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		s.writeOAuthError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "the PAR endpoint only accepts POST"}, true)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeOAuthError(w, errInvalidRequest("the request body could not be parsed"), true)
		return
	}
	form := r.PostForm
	if n := repeatedAny(form); n != "" {
		s.writeOAuthError(w, errInvalidRequest("the parameter "+n+" was repeated"), true)
		return
	}
	var c *Client
	if s.has(fault.PARUnauthenticated) && noClientCredentials(r, form) {
		// The flaw: the client is whoever client_id names, unauthenticated.
		c = s.clients[form.Get("client_id")]
		if c == nil {
			s.writeOAuthError(w, errInvalidClient("unknown client"), true)
			return
		}
	} else {
		if s.has(fault.PARAssertionAudTokenOnly) && usesAssertion(form) && !assertionForTokenEndpoint(form.Get("client_assertion"), s.endpoint("/token")) {
			// The flaw: only the token endpoint URL is taken as aud here.
			s.writeOAuthError(w, errInvalidClient("the client assertion's aud is not the token endpoint"), true)
			return
		}
		var oe *oauthError
		if c, oe = s.authenticateClient(r, form, true); oe != nil {
			s.writeOAuthError(w, oe, true)
			return
		}
	}
	// RFC 9126 §2.1: client_id is required, and names the client.
	if form.Get("client_id") != c.ID {
		s.writeOAuthError(w, errInvalidRequest("client_id is required and must name the authenticated client"), true)
		return
	}
	// RFC 9126 §2.1: "Reject the request if the request_uri authorization
	// request parameter is provided."
	if form.Has("request_uri") && !s.has(fault.PARRequestURIInPushAccepted) {
		s.writeOAuthError(w, errInvalidRequest("request_uri must not be pushed"), true)
		return
	}
	// RFC 9126 §2.1: validated as at the authorization endpoint — here the
	// redirect URI; the rest is validated when the request is used.
	if form.Has("redirect_uri") && !s.has(fault.PARRedirectURIUnchecked) && !s.redirectURIAllowed(c, form.Get("redirect_uri")) {
		s.writeOAuthError(w, errInvalidRequest("the redirect_uri is not registered for this client"), true)
		return
	}
	params := url.Values{}
	for k, v := range form {
		params[k] = append([]string(nil), v...)
	}
	for _, k := range clientAuthParams {
		delete(params, k)
	}
	lifetime := s.pushedLifetime
	s.mu.Lock()
	ref := randomToken(32)
	if s.has(fault.PARWeakRequestURI) {
		// The flaw: a counter through a multiplicative hash, 32 bits.
		s.parSeq++
		ref = fmt.Sprintf("%08x", s.parSeq*2654435761)
	}
	now := s.now()
	for k, p := range s.pushed {
		if now.After(p.expires.Add(10 * lifetime)) {
			delete(s.pushed, k)
		}
	}
	s.pushed[ref] = &pushedRequest{clientID: c.ID, params: params, expires: now.Add(lifetime)}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusCreated
	if s.has(fault.PARStatus200) {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"request_uri": requestURIPrefix + ref, "expires_in": int(lifetime / time.Second)})
}

// assertionForTokenEndpoint reports whether a client assertion's aud
// (unverified) names the token endpoint (par_assertion_aud_token_only).
func assertionForTokenEndpoint(raw, tokenEP string) bool {
	tok, err := jwt.ParseSigned(raw, assertionParseAlgs)
	if err != nil {
		return false
	}
	var claims jwt.Claims
	return tok.UnsafeClaimsWithoutVerification(&claims) == nil && claims.Audience.Contains(tokenEP)
}

// resolvePushed replaces an authorization request that carries a
// request_uri from the PAR endpoint by the pushed request (RFC 9126 §4):
// the request_uri must be known, unused (single use, §4 SHOULD), unexpired
// (§4 MUST) and bound to the client_id sent (§2.2 MUST); only client_id is
// taken from outside it (RFC 9101 §6.3). It returns the parameters and, on
// failure, the message of the error page (the pushed redirect URI cannot be
// trusted without the request).
func (s *Server) resolvePushed(q url.Values) (url.Values, string) {
	raw := q.Get("request_uri")
	ref, ok := strings.CutPrefix(raw, requestURIPrefix)
	if !ok {
		return nil, "The request_uri was not issued by this server."
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pushed[ref]
	switch {
	case p == nil:
		return nil, "Unknown request_uri."
	case p.clientID != q.Get("client_id") && !s.has(fault.PARRequestURIAnyClient):
		return nil, "The request_uri was pushed by another client."
	case p.used && !s.has(fault.PARRequestURIReusable):
		return nil, "The request_uri has already been used."
	case s.now().After(p.expires) && !s.has(fault.PARRequestURINeverExpires):
		return nil, "The request_uri has expired."
	}
	p.used = true
	out := url.Values{}
	for k, v := range p.params {
		out[k] = append([]string(nil), v...)
	}
	out.Set("client_id", q.Get("client_id"))
	if s.has(fault.PAROutsideParamsUsed) {
		// The flaw: parameters sent beside the request_uri win.
		for k, v := range q {
			if k != "request_uri" {
				out[k] = append([]string(nil), v...)
			}
		}
	}
	return out, ""
}
