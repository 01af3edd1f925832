package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oauthconform/oauthconform/mockserver/fault"
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
	if s.has(fault.TokenTypeWrong) {
		return "mac"
	}
	return "Bearer"
}

// writeOAuthError writes a JSON error response (RFC 6749 §5.2). cacheHeaders
// controls Cache-Control / Pragma.
func (s *Server) writeOAuthError(w http.ResponseWriter, e *oauthError, cacheHeaders bool) {
	s.writeError(w, e, cacheHeaders, false)
}

// writeTokenError writes an error response of the token endpoint.
func (s *Server) writeTokenError(w http.ResponseWriter, e *oauthError, cacheHeaders bool) {
	s.writeError(w, e, cacheHeaders, true)
}

func (s *Server) writeError(w http.ResponseWriter, e *oauthError, cacheHeaders, tokenEP bool) {
	status := e.status
	if e.code == "invalid_client" {
		if s.has(fault.InvalidClientStatus400) {
			status = http.StatusBadRequest
		} else {
			status = http.StatusUnauthorized
			w.Header().Set("WWW-Authenticate", `Basic realm="mockserver"`)
		}
	}
	if tokenEP && s.has(fault.TokenErrorStatus200) {
		// The flaw: the error is only in the body (RFC 6749 §5.2 requires
		// 400, or 401 for invalid_client).
		status = http.StatusOK
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
	if oe := rejectRepeated(r.PostForm); oe != nil {
		return nil, oe
	}
	return r.PostForm, nil
}

func rejectRepeated(v url.Values) *oauthError {
	if n := repeatedAny(v); n != "" {
		return errInvalidRequest("the parameter " + n + " was repeated")
	}
	return nil
}

// firstValues keeps only the first value of every parameter.
func firstValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if len(vs) > 0 {
			out[k] = vs[:1]
		}
	}
	return out
}

// knownTokenParams are the token request parameters this server (or a
// closely related specification) defines. Others are ignored (RFC 6749
// §3.2), unless the token_unknown_param_rejected fault is on.
var knownTokenParams = map[string]bool{
	"grant_type": true, "code": true, "redirect_uri": true, "client_id": true, "client_secret": true,
	"refresh_token": true, "scope": true, "username": true, "password": true, // RFC 6749
	"code_verifier":         true,                                              // RFC 7636
	"client_assertion_type": true, "client_assertion": true, "assertion": true, // RFC 7521
	"resource": true, "audience": true, // RFC 8707, RFC 8693
	"authorization_details": true, // RFC 9396
	"device_code":           true, // RFC 8628
}

func secretEqual(a, b string) bool {
	// Hash first so the comparison is constant time regardless of length.
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// authenticateClient implements client authentication for the token,
// revocation and introspection endpoints: client_secret_basic (RFC 6749
// §2.3.1, with form-url-decoding of id and secret), client_secret_post,
// client_secret_jwt at the token endpoint (clientassertion.go), or a bare
// client_id for public clients. Using two methods at once is refused.
//
// tokenEP is true at the token endpoint, where the client authentication
// faults apply.
func (s *Server) authenticateClient(r *http.Request, form url.Values, tokenEP bool) (*Client, *oauthError) {
	if usesAssertion(form) {
		return s.authenticateAssertion(r, form, tokenEP)
	}
	authz := r.Header.Get("Authorization")
	if len(authz) >= 6 && strings.EqualFold(authz[:6], "basic ") {
		if tokenEP && s.has(fault.BasicAuthRejected) {
			return nil, errInvalidClient("client_secret_basic is not supported")
		}
		rawID, rawSecret, ok := r.BasicAuth()
		if !ok {
			return nil, errInvalidClient("malformed HTTP Basic credentials")
		}
		if form.Has("client_secret") && !(tokenEP && s.has(fault.MultipleAuthMethodsAccepted)) {
			return nil, errInvalidRequest("more than one client authentication method was used")
		}
		id, secret := rawID, rawSecret
		if !s.has(fault.BasicAuthNotFormDecoded) {
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
		if !s.has(fault.AcceptWrongSecret) && !secretEqual(secret, c.Secret) {
			return nil, s.wrongSecret()
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
	if c.mtlsClient() {
		// RFC 8705 §2: the certificate of the connection authenticates it.
		if form.Has("client_secret") || !s.mtlsAuthenticated(r, c) {
			return nil, errInvalidClient("client authentication failed: no client certificate, or not this client's")
		}
		return c, nil
	}
	if form.Has("client_secret") {
		if tokenEP && s.has(fault.PostAuthRejected) {
			return nil, errInvalidClient("client_secret_post is not supported")
		}
		if c.public() {
			return nil, errInvalidClient("client authentication failed")
		}
		if !s.has(fault.AcceptWrongSecret) && !secretEqual(form.Get("client_secret"), c.Secret) {
			return nil, s.wrongSecret()
		}
		return c, nil
	}
	if !c.public() && !(tokenEP && s.has(fault.MissingSecretAccepted)) &&
		// RFC 6749 §6: confidential clients authenticate to refresh too.
		!(tokenEP && form.Get("grant_type") == "refresh_token" && s.has(fault.RefreshWithoutAuth)) {
		if tokenEP && s.has(fault.MissingSecretWrongError) {
			// The flaw: refused, with the error of a malformed request.
			return nil, errInvalidRequest("client_secret is required")
		}
		return nil, errInvalidClient("confidential clients must authenticate")
	}
	return c, nil
}

// wrongSecret is the error for a known client whose secret does not match.
func (s *Server) wrongSecret() *oauthError {
	if s.has(fault.WrongSecretWrongError) {
		// The flaw: refused, but not as invalid_client (RFC 6749 §5.2).
		return &oauthError{http.StatusBadRequest, "unauthorized_client", "client authentication failed"}
	}
	return errInvalidClient("client authentication failed")
}

// noClientCredentials reports whether a request carries no client
// credentials at all: no Authorization header, no client_secret and no
// client assertion.
func noClientCredentials(r *http.Request, form url.Values) bool {
	return r.Header.Get("Authorization") == "" && !form.Has("client_secret") && !usesAssertion(form)
}

// missingParam is the error for a missing required token request parameter.
func (s *Server) missingParam(name string) *oauthError {
	if s.has(fault.MissingParamWrongError) {
		return errInvalidGrant(name + " is required")
	}
	return errInvalidRequest(name + " is required")
}

// tokenForm reads the token request parameters: the form body of a POST
// (RFC 6749 §3.2), without repeated or (with token_unknown_param_rejected)
// unknown parameters. Client credentials in the request URI are refused
// (RFC 6749 §2.3.1).
func (s *Server) tokenForm(r *http.Request) (url.Values, *oauthError) {
	var form url.Values
	if r.Method == http.MethodGet {
		// token_get_allowed: the parameters come from the query string,
		// client credentials included.
		form = r.URL.Query()
		if form.Has("client_secret") && !s.has(fault.QueryCredentialsAccepted) {
			return nil, errInvalidClient("client credentials must not be sent in the request URI")
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return nil, errInvalidRequest("the request body could not be parsed")
		}
		form = r.PostForm
	}
	if s.has(fault.TokenDuplicateParamsAccepted) {
		form = firstValues(form)
	} else if oe := rejectRepeated(form); oe != nil {
		return nil, oe
	}
	if r.Method != http.MethodGet {
		if q := r.URL.Query(); q.Has("client_id") || q.Has("client_secret") {
			if !s.has(fault.QueryCredentialsAccepted) {
				return nil, errInvalidClient("client credentials must not be sent in the request URI")
			}
			// The flaw: the request URI's credentials authenticate the client.
			form = cloneValues(form)
			for _, k := range []string{"client_id", "client_secret"} {
				if !form.Has(k) && q.Has(k) {
					form.Set(k, q.Get(k))
				}
			}
		}
	}
	if s.has(fault.TokenUnknownParamRejected) {
		names := make([]string, 0, len(form))
		for n := range form {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if !knownTokenParams[n] {
				return nil, errInvalidRequest("unknown parameter " + n)
			}
		}
	}
	return form, nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	// Clients authenticate here with what they send, never with the user's
	// cookies: no credentialed CORS (RFC 9700 §2.6 permits CORS for
	// browser-based clients, which need none).
	if origin := r.Header.Get("Origin"); origin != "" && s.has(fault.TokenCORSReflectsOrigin) {
		// The flaw: any origin may send the browser's credentials and read the answer.
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "POST")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	cache := !s.has(fault.NoCacheHeaders)
	if r.Method != http.MethodPost && !(r.Method == http.MethodGet && s.has(fault.TokenGetAllowed)) {
		w.Header().Set("Allow", "POST")
		s.writeOAuthError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "the token endpoint only accepts POST"}, cache)
		return
	}
	form, oe := s.tokenForm(r)
	if oe != nil {
		s.writeTokenError(w, oe, cache)
		return
	}
	if form.Get("grant_type") == "refresh_token" && s.has(fault.RefreshNoCacheHeaders) {
		// The flaw: refresh responses, tokens included, may be cached
		// (RFC 6749 §6 answers as in §5.1: no-store).
		cache = false
	}
	if s.has(fault.PublicClientIDOptional) && r.Header.Get("Authorization") == "" && !form.Has("client_id") &&
		form.Get("grant_type") == "authorization_code" {
		// The flaw: the client is inferred from the code instead of being
		// required in the request (RFC 6749 §4.1.3).
		s.mu.Lock()
		var owner string
		if rec := s.codes[form.Get("code")]; rec != nil {
			owner = rec.clientID
		}
		s.mu.Unlock()
		if c := s.clients[owner]; c != nil && c.public() {
			form = cloneValues(form)
			form.Set("client_id", c.ID)
		}
	}
	client, oe := s.authenticateClient(r, form, true)
	if oe != nil {
		s.writeTokenError(w, oe, cache)
		return
	}
	// RFC 9449 §5: a valid DPoP proof binds the tokens issued to its key.
	var b tokenBinding
	if cert := peerCertificate(r); cert != nil {
		// RFC 8705 §3: a token asked for over mutual TLS is bound to the certificate.
		b.x5t = certThumbprint(cert)
	}
	if dpopRequested(r) {
		proof, oe := s.checkDPoP(r, s.endpoint("/token"), "", true)
		if oe != nil {
			s.writeDPoPNonce(w, oe, true)
			s.writeTokenError(w, s.tokenDPoPError(oe), cache)
			return
		}
		b.jkt = proof.jkt
	}
	var resp map[string]any
	switch gt := form.Get("grant_type"); gt {
	case "":
		oe = s.missingParam("grant_type")
	case "authorization_code":
		resp, oe = s.grantAuthorizationCode(client, form, b)
	case "refresh_token":
		resp, oe = s.grantRefreshToken(client, form, b)
	case "client_credentials":
		resp, oe = s.grantClientCredentials(client, form, b)
	case DeviceGrantType:
		resp, oe = s.grantDeviceCode(client, form, b)
	case "password":
		// RFC 9700 §2.4: the password grant MUST NOT be used.
		if s.has(fault.PasswordGrantEnabled) {
			resp, oe = s.grantPassword(client, form)
		} else {
			oe = s.unsupportedGrant()
		}
	default:
		oe = s.unsupportedGrant()
	}
	if oe != nil {
		s.writeTokenError(w, oe, cache)
		return
	}
	if cache {
		w.Header().Set("Cache-Control", "no-store")
		if !s.has(fault.TokenPragmaMissing) {
			w.Header().Set("Pragma", "no-cache")
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) unsupportedGrant() *oauthError {
	oe := &oauthError{http.StatusBadRequest, "unsupported_grant_type", "unsupported grant_type"}
	if s.has(fault.UnsupportedGrantAsInvalidRequest) {
		oe.code = "invalid_request"
	}
	return oe
}

func unauthorizedClient(grant string) *oauthError {
	return &oauthError{http.StatusBadRequest, "unauthorized_client", "the client is not allowed to use the " + grant + " grant"}
}

// tokenResponse builds the RFC 6749 §5.1 success body.
func (s *Server) tokenResponse(g *grant, access string, scopes []string, refresh, jkt string) map[string]any {
	resp := map[string]any{
		"access_token": access,
		"token_type":   s.tokenType(),
		"scope":        strings.Join(scopes, " "),
	}
	if jkt != "" && !s.has(fault.TokenTypeWrong) && !s.has(fault.DPoPTokenTypeBearer) {
		// RFC 9449 §5: the token is bound to the proof's key.
		resp["token_type"] = "DPoP"
	}
	if !s.has(fault.NoExpiresIn) {
		resp["expires_in"] = int64(s.atLifetime(g.clientID) / time.Second)
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

func (s *Server) grantAuthorizationCode(c *Client, form url.Values, b tokenBinding) (map[string]any, *oauthError) {
	if !c.allowsGrant("authorization_code") {
		return nil, unauthorizedClient("authorization_code")
	}
	code := form.Get("code")
	if code == "" {
		return nil, s.missingParam("code")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.codes[code]
	if rec == nil {
		return nil, errInvalidGrant("unknown authorization code")
	}
	if rec.clientID != c.ID && !s.has(fault.CodeNotClientBound) {
		if s.has(fault.CodeOtherClientWrongError) {
			// The flaw: refused, but as a server failure.
			return nil, &oauthError{http.StatusInternalServerError, "server_error", "the authorization code was issued to another client"}
		}
		return nil, errInvalidGrant("the authorization code was issued to another client")
	}
	if rec.used && !s.has(fault.CodeReuse) {
		// RFC 6749 §4.1.2: revoke everything issued from this code.
		if !s.has(fault.CodeReuseKeepsTokens) {
			for _, gid := range rec.grantIDs {
				s.revokeGrantLocked(gid)
			}
		}
		return nil, errInvalidGrant("the authorization code has already been used")
	}
	if !s.now().Before(rec.expires) {
		return nil, errInvalidGrant("the authorization code has expired")
	}
	if !s.has(fault.RedirectURINotCheckedAtToken) {
		got, sent := form.Get("redirect_uri"), form.Has("redirect_uri")
		if rec.redirectGiven && !sent {
			return nil, errInvalidGrant("redirect_uri is required because it was in the authorization request")
		}
		if sent && got != rec.redirectURI {
			if s.has(fault.RedirectMismatchWrongError) {
				// The flaw: refused, with the error of a malformed request.
				return nil, errInvalidRequest("redirect_uri does not match the authorization request")
			}
			return nil, errInvalidGrant("redirect_uri does not match the authorization request")
		}
	}
	verifier, verifierSent := form.Get("code_verifier"), form.Has("code_verifier")
	if rec.challenge != "" {
		if !s.has(fault.PKCENotVerified) {
			method := rec.method
			if s.has(fault.PKCEMethodIgnored) {
				method = "plain"
			}
			switch {
			case !verifierSent:
				if !s.has(fault.PKCEVerifierOptional) {
					return nil, errInvalidGrant("code_verifier is required")
				}
			case !s.has(fault.PKCEShortVerifierAccepted) && !validPKCEString(verifier):
				// RFC 7636 §4.1: 43-128 characters of [A-Za-z0-9-._~].
				return nil, errInvalidGrant("malformed code_verifier")
			case !verifyPKCE(method, rec.challenge, verifier):
				return nil, errInvalidGrant("code_verifier does not match the code_challenge")
			}
		}
	} else if verifierSent && !s.has(fault.PKCEDowngradeAccepted) {
		// RFC 9700 §2.1.1: a verifier without a challenge is a downgrade.
		return nil, errInvalidGrant("code_verifier sent but no code_challenge was used")
	}

	// RFC 9449 §10: a code requested for a key is redeemed with a proof of it.
	if rec.dpopJKT != "" && b.jkt != rec.dpopJKT && !s.has(fault.DPoPJktIgnored) {
		return nil, badProof("the DPoP proof's key is not the one the authorization request named (dpop_jkt)")
	}
	if !s.has(fault.CodeReuse) {
		rec.used = true
	}
	g := s.newGrantLocked(c.ID, rec.subject, rec.scopes)
	rec.grantIDs = append(rec.grantIDs, g.id)
	at, err := s.issueAccessLocked(g, rec.scopes, b)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	var rt string
	if c.allowsGrant("refresh_token") {
		rt = s.issueRefreshLocked(g, rec.scopes, b.jkt)
	}
	resp := s.tokenResponse(g, at, rec.scopes, rt, b.jkt)
	if contains(rec.scopes, "openid") {
		// OIDC Core §3.1.3.3: an OpenID request's token response carries an
		// ID Token, with at_hash (OPTIONAL here, §3.1.3.6).
		idt, err := s.issueIDToken(c.ID, rec.subject, rec.authTime, rec.nonce, at, true, withSID(rec.sid))
		if err != nil {
			return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the ID Token"}
		}
		resp["id_token"] = idt
	}
	return resp, nil
}

// refreshGrace is how long a rotated-out refresh token keeps working with
// the refresh_grace_period fault.
const refreshGrace = 10 * time.Second

func (s *Server) grantRefreshToken(c *Client, form url.Values, b tokenBinding) (map[string]any, *oauthError) {
	if !c.allowsGrant("refresh_token") {
		return nil, unauthorizedClient("refresh_token")
	}
	// RFC 6749 §6: a public client refreshes with its client_id alone.
	if c.public() && s.has(fault.RefreshPublicRefused) {
		// The flaw: public clients are asked for credentials they cannot have.
		return nil, errInvalidClient("client authentication is required to refresh")
	}
	token := form.Get("refresh_token")
	if token == "" {
		return nil, s.missingParam("refresh_token")
	}
	// The whole check-and-rotate runs under s.mu, so of two concurrent
	// requests with one token exactly one wins.
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.refresh[token]
	if rec == nil {
		return nil, errInvalidGrant("unknown refresh token")
	}
	// RFC 6749 §10.4: the refresh token is bound to its client.
	if rec.clientID != c.ID && !s.has(fault.RefreshNotClientBound) {
		return nil, errInvalidGrant("unknown refresh token")
	}
	g := s.grants[rec.grantID]
	if rec.revoked || g == nil || g.revoked {
		return nil, errInvalidGrant("the refresh token has been revoked")
	}
	if rec.rotated && !(s.has(fault.RefreshGracePeriod) && s.now().Before(rec.rotatedAt.Add(refreshGrace))) {
		// Replay of a rotated-out refresh token: assume theft and revoke
		// the whole grant (RFC 9700 §4.14.2).
		if !s.has(fault.RefreshReuseNotDetected) {
			s.revokeGrantLocked(rec.grantID)
		}
		return nil, errInvalidGrant("the refresh token has already been used")
	}
	if !s.now().Before(rec.exp) {
		return nil, errInvalidGrant("the refresh token has expired")
	}
	// RFC 9449 §5: a public client's bound refresh token needs a proof of its key.
	if rec.jkt != "" && b.jkt != rec.jkt {
		return nil, badProof("the refresh token is bound to another DPoP key")
	}
	scopes := rec.scopes
	if form.Has("scope") {
		req := normScopes(strings.Fields(form.Get("scope")))
		for _, sc := range req {
			// RFC 6749 §6: no scope not originally granted.
			if !contains(rec.scopes, sc) && !s.has(fault.RefreshScopeBroadened) {
				return nil, &oauthError{http.StatusBadRequest, "invalid_scope", "scope " + sc + " was not originally granted"}
			}
		}
		if len(req) > 0 {
			scopes = req
		}
	}
	at, err := s.issueAccessLocked(g, scopes, b)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	// Rotation (RFC 9700 §4.14.2): a new refresh token every time; the old
	// one stops working at once.
	if s.has(fault.RefreshNoRotation) || (s.is(RefreshNotRotatedConfidential) && !c.public()) {
		return s.tokenResponse(g, at, scopes, token, b.jkt), nil
	}
	if !rec.rotated {
		rec.rotated = true
		rec.rotatedAt = s.now()
	}
	rt := s.issueRefreshLocked(g, rec.scopes, b.jkt)
	return s.tokenResponse(g, at, scopes, rt, b.jkt), nil
}

// grantPassword is the resource owner password credentials grant (RFC 6749
// §4.3), which this server only offers with the password_grant_enabled
// fault (RFC 9700 §2.4).
func (s *Server) grantPassword(c *Client, form url.Values) (map[string]any, *oauthError) {
	if c.public() {
		return nil, unauthorizedClient("password")
	}
	username := form.Get("username")
	if username == "" {
		return nil, s.missingParam("username")
	}
	if !form.Has("password") {
		return nil, s.missingParam("password")
	}
	u := s.users[username]
	want := "\x00never-matches"
	if u != nil {
		want = u.Password
	}
	if subtle.ConstantTimeCompare([]byte(form.Get("password")), []byte(want)) != 1 || u == nil {
		return nil, errInvalidGrant("invalid resource owner credentials")
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
	g := s.newGrantLocked(c.ID, u.Subject, scopes)
	at, err := s.issueAccessLocked(g, scopes, tokenBinding{})
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	var rt string
	if c.allowsGrant("refresh_token") {
		rt = s.issueRefreshLocked(g, scopes, "")
	}
	return s.tokenResponse(g, at, scopes, rt, ""), nil
}

func (s *Server) grantClientCredentials(c *Client, form url.Values, b tokenBinding) (map[string]any, *oauthError) {
	// RFC 6749 §4.4: only confidential clients. cc_public_allowed lets
	// public clients through, whatever grant types they registered.
	if c.public() {
		if !s.has(fault.CCPublicAllowed) {
			return nil, unauthorizedClient("client_credentials")
		}
	} else if !c.allowsGrant("client_credentials") && !s.has(fault.CCAnyConfidentialClient) {
		return nil, unauthorizedClient("client_credentials")
	}
	scopes := normScopes(c.Scopes)
	if form.Has("scope") {
		req := normScopes(strings.Fields(form.Get("scope")))
		if s.is(ScopeNarrowed) && !s.has(fault.CCScopeUnchecked) {
			// RFC 6749 §3.3: grant the allowed part, say so in scope.
			asked := len(req)
			req = slices.DeleteFunc(req, func(sc string) bool { return !contains(c.Scopes, sc) })
			if asked > 0 && len(req) == 0 {
				return nil, &oauthError{http.StatusBadRequest, "invalid_scope", "none of the requested scopes is allowed for this client"}
			}
		}
		for _, sc := range req {
			if !contains(c.Scopes, sc) && !s.has(fault.CCScopeUnchecked) {
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
	at, err := s.issueAccessLocked(g, scopes, b)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	var rt string
	if s.has(fault.CCRefreshToken) {
		rt = s.issueRefreshLocked(g, scopes, b.jkt)
	}
	return s.tokenResponse(g, at, scopes, rt, b.jkt), nil
}
