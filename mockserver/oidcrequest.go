package mockserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// oidcRequest is what an OpenID Connect authentication request asks of the
// sign-in (OIDC Core §3.1.2.1): prompt values, max_age, the subject of an
// id_token_hint.
type oidcRequest struct {
	promptNone, promptLogin, promptConsent bool
	// maxAge is max_age in seconds; -1 when the request carried none.
	maxAge int
	// hintSubject is the sub of the id_token_hint; "" for none.
	hintSubject string
}

// hintAlgs are the algorithms an id_token_hint may be signed with: those
// this server signs ID Tokens with.
var hintAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256}

// readOIDCParams reads and validates the OpenID Connect authentication
// request parameters of q for the request p. It returns an error code and
// description for a request to refuse. Parameters that only express a
// preference (display, ui_locales, claims_locales, login_hint, acr_values)
// never cause an error (OIDC Core §3.1.2.1, §5.2, §15.1); a claims
// parameter that is not JSON does.
func (s *Server) readOIDCParams(p *pendingAuth, q url.Values, requestedScopes []string) (string, string) {
	o := oidcRequest{maxAge: -1}
	prompts := strings.Fields(q.Get("prompt"))
	for _, v := range prompts {
		switch v {
		case "none":
			o.promptNone = true
		case "login":
			o.promptLogin = true
		case "consent":
			o.promptConsent = true
		}
	}
	if o.promptNone && len(prompts) > 1 {
		// OIDC Core §3.1.2.1: "If this parameter contains none with any
		// other value, an error is returned."
		return "invalid_request", "prompt none cannot be combined with other values"
	}
	if q.Has("max_age") {
		n, err := strconv.Atoi(q.Get("max_age"))
		if err != nil || n < 0 {
			return "invalid_request", "max_age must be a non-negative integer"
		}
		o.maxAge = n
	}
	if raw := q.Get("id_token_hint"); raw != "" {
		// A hint: the sign-in decision stays the session's. A hint that is
		// not one of this server's ID Tokens is refused.
		sub, ok := s.hintSubject(raw, p.clientID)
		if !ok {
			return "invalid_request", "id_token_hint is not an ID Token this server issued to the client"
		}
		o.hintSubject = sub
	}
	if raw := q.Get("claims"); raw != "" {
		var claims map[string]map[string]*struct {
			Essential bool `json:"essential"`
		}
		if err := json.Unmarshal([]byte(raw), &claims); err != nil {
			return "invalid_request", "the claims parameter is not a JSON object of members id_token and userinfo"
		}
		if s.has(fault.ClaimsEssentialError) {
			for _, member := range claims {
				for _, c := range member {
					if c != nil && c.Essential {
						// The flaw: an essential claim it may not return is an error.
						return "invalid_request", "an essential claim cannot be provided"
					}
				}
			}
		}
	}
	preferences := []struct {
		name string
		f    fault.Name
	}{
		{"display", fault.DisplayRejected}, {"ui_locales", fault.UILocalesRejected}, {"claims_locales", fault.ClaimsLocalesRejected},
		{"login_hint", fault.LoginHintRejected}, {"acr_values", fault.AcrValuesRejected},
	}
	if q.Has("display") && s.has(fault.FlowParamsRejected) && flowRequest(q) {
		// The flaw: the plain code request is tested, the others not.
		return "invalid_request", "display is not supported for this response type or mode"
	}
	for _, pref := range preferences {
		if q.Has(pref.name) && s.has(pref.f) {
			// The flaw: a preference the server does not meet is an error.
			return "invalid_request", pref.name + " is not supported"
		}
	}
	if s.has(fault.ScopeOrderSensitive) && len(requestedScopes) > 1 && contains(requestedScopes, "openid") && requestedScopes[0] != "openid" {
		// The flaw: the order of the scope values matters.
		return "invalid_scope", "openid must be the first scope"
	}
	if s.has(fault.CodeNonceRequired) && p.responseType == "code" && contains(requestedScopes, "openid") && q.Get("nonce") == "" {
		// The flaw: nonce is required in the code flow too.
		return "invalid_request", "nonce is required"
	}
	p.oidc = o
	return "", ""
}

// jwtParse reads the registered claims of a JWS signed with hintAlgs,
// without verifying it.
func jwtParse(raw string) (jwt.Claims, error) {
	var c jwt.Claims
	tok, err := jwt.ParseSigned(raw, hintAlgs)
	if err != nil {
		return c, err
	}
	err = tok.UnsafeClaimsWithoutVerification(&c)
	return c, err
}

// hintSubject returns the sub of an id_token_hint: an ID Token this server
// issued to clientID, its signature verified with a key of the server's
// (an expired one is still a hint: OIDC Core §3.1.2.1, RP-Initiated
// Logout §2).
func (s *Server) hintSubject(raw, clientID string) (string, bool) {
	tok, err := jwt.ParseSigned(raw, hintAlgs)
	if err != nil || len(tok.Headers) != 1 {
		return "", false
	}
	key := s.verifyKeys[tok.Headers[0].KeyID]
	if key == nil {
		key = s.pub
	}
	var c jwt.Claims
	if err := tok.Claims(key, &c); err != nil || c.Subject == "" {
		return "", false
	}
	if c.Issuer != s.issuer || !c.Audience.Contains(clientID) {
		return "", false
	}
	return c.Subject, true
}

// reauthLocked reports whether the request p needs the user of the live
// session sess to sign in again: prompt=login, or a sign-in older than
// max_age seconds (OIDC Core §3.1.2.1). Caller holds s.mu.
func (s *Server) reauthLocked(p *pendingAuth, sess *session) bool {
	if sess == nil {
		return false
	}
	if p.oidc.promptLogin && !s.has(fault.PromptLoginIgnored) && !s.flowFault(p, fault.FlowPromptLoginIgnored) {
		return true
	}
	if p.oidc.maxAge < 0 {
		return false
	}
	if s.has(fault.MaxAgeAlwaysReauthenticates) {
		return true
	}
	return !s.has(fault.MaxAgeIgnored) && s.now().Sub(sess.authTime) > time.Duration(p.oidc.maxAge)*time.Second
}

// forceConsent reports whether the request asks for the consent page
// although the user consented already (prompt=consent).
func (s *Server) forceConsent(p *pendingAuth) bool {
	return p.oidc.promptConsent && !s.has(fault.PromptConsentIgnored)
}

// silentLocked answers a prompt=none request (OIDC Core §3.1.2.1): never a
// page; an error when the browser has no session the request may use or
// the client lacks consent. It returns the error code and description, or
// "" when the request can be answered at once. Caller holds s.mu.
func (s *Server) silentLocked(p *pendingAuth, sess *session) (string, string) {
	switch {
	case sess == nil:
		return "login_required", "the user is not signed in"
	case s.has(fault.PromptNoneSessionIgnored):
		// The flaw: the session is not used.
		return "login_required", "the user is not signed in"
	case s.reauthLocked(p, sess):
		return "login_required", "the user's sign-in is older than max_age"
	case p.oidc.hintSubject != "" && p.oidc.hintSubject != sess.subject:
		return "login_required", "the signed-in user is not the one id_token_hint names"
	case p.oidc.hintSubject != "" && (s.has(fault.IDTokenHintRejected) || s.flowFault(p, fault.FlowIDTokenHintRejected)):
		// The flaw: a hint of the signed-in user is refused.
		return "login_required", "the user is not signed in"
	case !s.consentedLocked(sess, p.clientID, p.scopes):
		return "consent_required", "the user has not consented to this client"
	}
	return "", ""
}

// carryConsentsLocked gives a new session the consents of the browser's
// previous session when the same user signed in again (prompt=login,
// max_age): re-authenticating is not withdrawing consent. Caller holds s.mu.
func (s *Server) carryConsentsLocked(r *http.Request, sess *session) {
	old := s.sessionLocked(r)
	if old == nil || old.subject != sess.subject {
		return
	}
	for client, scopes := range old.consents {
		sess.consents[client] = map[string]bool{}
		for sc, ok := range scopes {
			sess.consents[client][sc] = ok
		}
	}
}

// authTimeFor is the auth_time of the ID Tokens of the request p: the
// session's sign-in time (zero leaves the claim out).
func (s *Server) authTimeFor(p *pendingAuth, sess *session) time.Time {
	if p.oidc.maxAge >= 0 && s.has(fault.MaxAgeAuthTimeMissing) {
		// The flaw: no auth_time although max_age was sent.
		return time.Time{}
	}
	return sess.authTime
}

// flowRequest reports whether q is a request of the Implicit, Hybrid or
// Form Post flows rather than the plain code request answered in the query
// (the faults of those flows break them only).
func flowRequest(q url.Values) bool {
	switch normResponseType(q.Get("response_type")) {
	case "code":
		return q.Get("response_mode") == "form_post"
	case responseIDToken, responseIDTokenToken, responseCodeIDToken, responseCodeToken, "code id_token token":
		return true
	}
	return false
}

// claimValues are a request object's string claims as parameters.
func claimValues(claims map[string]any) url.Values {
	out := url.Values{}
	for k, v := range claims {
		if s, ok := v.(string); ok {
			out.Set(k, s)
		}
	}
	return out
}
