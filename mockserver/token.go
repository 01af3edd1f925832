package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type oauthError struct {
	status int
	code   string
	desc   string
}

func errInvalidRequest(desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_request", desc}
}
func errInvalidGrant(desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_grant", desc}
}
func errInvalidClient(desc string) *oauthError {
	return &oauthError{http.StatusUnauthorized, "invalid_client", desc}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (s *Server) tokenType() string {
	if s.has("token_type_wrong") {
		return "mac"
	}
	return "Bearer"
}

// writeOAuthError writes a JSON error response (RFC 6749 §5.2). cacheHeaders
// controls Cache-Control / Pragma.
func (s *Server) writeOAuthError(w http.ResponseWriter, e *oauthError, cacheHeaders bool) {
	status := e.status
	if e.code == "invalid_client" {
		if s.has("invalid_client_status_400") {
			status = http.StatusBadRequest
		} else {
			status = http.StatusUnauthorized
			w.Header().Set("WWW-Authenticate", `Basic realm="mockserver"`)
		}
	}
	if cacheHeaders {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	body := map[string]string{"error": e.code}
	if e.desc != "" {
		body["error_description"] = e.desc
	}
	writeJSON(w, status, body)
}

// parsePostForm parses an application/x-www-form-urlencoded body, ignoring the
// query string, and rejects repeated parameters (RFC 6749 §3.2).
func parsePostForm(r *http.Request) (url.Values, *oauthError) {
	if err := r.ParseForm(); err != nil {
		return nil, errInvalidRequest("the request body could not be parsed")
	}
	for k, vs := range r.PostForm {
		if len(vs) > 1 {
			return nil, errInvalidRequest("the parameter " + k + " was repeated")
		}
	}
	return r.PostForm, nil
}

func secretEqual(a, b string) bool {
	// Hash first so the comparison is constant time regardless of length.
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// authenticateClient implements client authentication for the token,
// revocation and introspection endpoints: client_secret_basic (RFC 6749
// §2.3.1, with form-url-decoding of id and secret), client_secret_post, or a
// bare client_id for public clients. Using two methods at once is refused.
func (s *Server) authenticateClient(r *http.Request, form url.Values) (*Client, *oauthError) {
	authz := r.Header.Get("Authorization")
	if len(authz) >= 6 && strings.EqualFold(authz[:6], "basic ") {
		rawID, rawSecret, ok := r.BasicAuth()
		if !ok {
			return nil, errInvalidClient("malformed HTTP Basic credentials")
		}
		if form.Has("client_secret") {
			return nil, errInvalidRequest("more than one client authentication method was used")
		}
		id, secret := rawID, rawSecret
		if !s.has("basic_auth_not_form_decoded") {
			var err1, err2 error
			id, err1 = url.QueryUnescape(rawID)
			secret, err2 = url.QueryUnescape(rawSecret)
			if err1 != nil || err2 != nil {
				return nil, errInvalidClient("HTTP Basic credentials are not form-url-encoded")
			}
		}
		if form.Has("client_id") && form.Get("client_id") != id {
			return nil, errInvalidRequest("client_id does not match the authenticated client")
		}
		c := s.clients[id]
		if c == nil || c.public() {
			return nil, errInvalidClient("client authentication failed")
		}
		if !s.has("accept_wrong_secret") && !secretEqual(secret, c.Secret) {
			return nil, errInvalidClient("client authentication failed")
		}
		return c, nil
	}
	if authz != "" {
		return nil, errInvalidClient("unsupported Authorization scheme for client authentication")
	}

	id := form.Get("client_id")
	if id == "" {
		return nil, errInvalidClient("client authentication is required")
	}
	c := s.clients[id]
	if c == nil {
		return nil, errInvalidClient("client authentication failed")
	}
	if form.Has("client_secret") {
		if c.public() {
			return nil, errInvalidClient("client authentication failed")
		}
		if !s.has("accept_wrong_secret") && !secretEqual(form.Get("client_secret"), c.Secret) {
			return nil, errInvalidClient("client authentication failed")
		}
		return c, nil
	}
	if !c.public() {
		return nil, errInvalidClient("confidential clients must authenticate")
	}
	return c, nil
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	cache := !s.has("no_cache_headers")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		s.writeOAuthError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "the token endpoint only accepts POST"}, cache)
		return
	}
	form, oe := parsePostForm(r)
	if oe != nil {
		s.writeOAuthError(w, oe, cache)
		return
	}
	client, oe := s.authenticateClient(r, form)
	if oe != nil {
		s.writeOAuthError(w, oe, cache)
		return
	}
	var resp map[string]any
	switch gt := form.Get("grant_type"); gt {
	case "":
		oe = errInvalidRequest("grant_type is required")
	case "authorization_code":
		resp, oe = s.grantAuthorizationCode(client, form)
	case "refresh_token":
		resp, oe = s.grantRefreshToken(client, form)
	case "client_credentials":
		resp, oe = s.grantClientCredentials(client, form)
	default:
		oe = &oauthError{http.StatusBadRequest, "unsupported_grant_type", "unsupported grant_type"}
	}
	if oe != nil {
		s.writeOAuthError(w, oe, cache)
		return
	}
	if cache {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	writeJSON(w, http.StatusOK, resp)
}

func unauthorizedClient(grant string) *oauthError {
	return &oauthError{http.StatusBadRequest, "unauthorized_client", "the client is not allowed to use the " + grant + " grant"}
}

// tokenResponse builds the RFC 6749 §5.1 success body.
func (s *Server) tokenResponse(access string, scopes []string, refresh string) map[string]any {
	resp := map[string]any{
		"access_token": access,
		"token_type":   s.tokenType(),
		"scope":        strings.Join(scopes, " "),
	}
	if !s.has("no_expires_in") {
		resp["expires_in"] = int64(s.accessLifetime / time.Second)
	}
	if refresh != "" {
		resp["refresh_token"] = refresh
	}
	return resp
}

// verifyPKCE compares the verifier with the stored challenge. The verifier's
// syntax is checked by the caller.
func verifyPKCE(method, challenge, verifier string) bool {
	switch method {
	case "S256":
		sum := sha256.Sum256([]byte(verifier))
		return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
	case "plain":
		return subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) == 1
	}
	return false
}

func (s *Server) grantAuthorizationCode(c *Client, form url.Values) (map[string]any, *oauthError) {
	if !c.allowsGrant("authorization_code") {
		return nil, unauthorizedClient("authorization_code")
	}
	code := form.Get("code")
	if code == "" {
		return nil, errInvalidRequest("code is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.codes[code]
	if rec == nil {
		return nil, errInvalidGrant("unknown authorization code")
	}
	if rec.clientID != c.ID && !s.has("code_not_client_bound") {
		return nil, errInvalidGrant("the authorization code was issued to another client")
	}
	if rec.used && !s.has("code_reuse") {
		// RFC 6749 §4.1.2: revoke everything issued from this code.
		if !s.has("code_reuse_keeps_tokens") {
			for _, gid := range rec.grantIDs {
				s.revokeGrantLocked(gid)
			}
		}
		return nil, errInvalidGrant("the authorization code has already been used")
	}
	if !s.now().Before(rec.expires) {
		return nil, errInvalidGrant("the authorization code has expired")
	}
	if !s.has("redirect_uri_not_checked_at_token") {
		got, sent := form.Get("redirect_uri"), form.Has("redirect_uri")
		if rec.redirectGiven && !sent {
			return nil, errInvalidGrant("redirect_uri is required because it was in the authorization request")
		}
		if sent && got != rec.redirectURI {
			return nil, errInvalidGrant("redirect_uri does not match the authorization request")
		}
	}
	verifier, verifierSent := form.Get("code_verifier"), form.Has("code_verifier")
	if rec.challenge != "" {
		if !s.has("pkce_not_verified") {
			method := rec.method
			if s.has("pkce_method_ignored") {
				method = "plain"
			}
			switch {
			case !verifierSent:
				if !s.has("pkce_verifier_optional") {
					return nil, errInvalidGrant("code_verifier is required")
				}
			case !s.has("pkce_short_verifier_accepted") && !validPKCEString(verifier):
				// RFC 7636 §4.1: 43-128 characters of [A-Za-z0-9-._~].
				return nil, errInvalidGrant("malformed code_verifier")
			case !verifyPKCE(method, rec.challenge, verifier):
				return nil, errInvalidGrant("code_verifier does not match the code_challenge")
			}
		}
	} else if verifierSent && !s.has("pkce_downgrade_accepted") {
		// RFC 9700 §2.1.1: a verifier without a challenge is a downgrade.
		return nil, errInvalidGrant("code_verifier sent but no code_challenge was used")
	}

	if !s.has("code_reuse") {
		rec.used = true
	}
	g := s.newGrantLocked(c.ID, rec.subject, rec.scopes)
	rec.grantIDs = append(rec.grantIDs, g.id)
	at, err := s.issueAccessLocked(g, rec.scopes)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	var rt string
	if c.allowsGrant("refresh_token") {
		rt = s.issueRefreshLocked(g, rec.scopes)
	}
	return s.tokenResponse(at, rec.scopes, rt), nil
}

func (s *Server) grantRefreshToken(c *Client, form url.Values) (map[string]any, *oauthError) {
	if !c.allowsGrant("refresh_token") {
		return nil, unauthorizedClient("refresh_token")
	}
	token := form.Get("refresh_token")
	if token == "" {
		return nil, errInvalidRequest("refresh_token is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.refresh[token]
	if rec == nil || rec.clientID != c.ID {
		return nil, errInvalidGrant("unknown refresh token")
	}
	g := s.grants[rec.grantID]
	if rec.revoked || g == nil || g.revoked {
		return nil, errInvalidGrant("the refresh token has been revoked")
	}
	if rec.rotated {
		// Replay of a rotated-out refresh token: assume theft and revoke
		// the whole grant (OAuth 2.0 Security BCP §4.14.2).
		s.revokeGrantLocked(rec.grantID)
		return nil, errInvalidGrant("the refresh token has already been used")
	}
	if !s.now().Before(rec.exp) {
		return nil, errInvalidGrant("the refresh token has expired")
	}
	scopes := rec.scopes
	if form.Has("scope") {
		req := normScopes(strings.Fields(form.Get("scope")))
		for _, sc := range req {
			if !contains(rec.scopes, sc) {
				return nil, &oauthError{http.StatusBadRequest, "invalid_scope", "scope " + sc + " was not originally granted"}
			}
		}
		if len(req) > 0 {
			scopes = req
		}
	}
	rec.rotated = true
	at, err := s.issueAccessLocked(g, scopes)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	rt := s.issueRefreshLocked(g, rec.scopes)
	return s.tokenResponse(at, scopes, rt), nil
}

func (s *Server) grantClientCredentials(c *Client, form url.Values) (map[string]any, *oauthError) {
	if c.public() || !c.allowsGrant("client_credentials") {
		return nil, unauthorizedClient("client_credentials")
	}
	scopes := normScopes(c.Scopes)
	if form.Has("scope") {
		req := normScopes(strings.Fields(form.Get("scope")))
		for _, sc := range req {
			if !contains(c.Scopes, sc) {
				return nil, &oauthError{http.StatusBadRequest, "invalid_scope", "scope " + sc + " is not allowed for this client"}
			}
		}
		if len(req) > 0 {
			scopes = req
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.newGrantLocked(c.ID, c.ID, scopes)
	at, err := s.issueAccessLocked(g, scopes)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	var rt string
	if s.has("cc_refresh_token") {
		rt = s.issueRefreshLocked(g, scopes)
	}
	return s.tokenResponse(at, scopes, rt), nil
}
