package mockserver

import (
	"errors"
	"net/http"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// accessClaims are the RFC 9068 JWT access token claims.
type accessClaims struct {
	jwt.Claims
	ClientID string `json:"client_id"`
	Scope    string `json:"scope,omitempty"`
}

func (s *Server) newGrantLocked(clientID, subject string, scopes []string) *grant {
	g := &grant{
		id:       randomToken(16),
		clientID: clientID,
		subject:  subject,
		scopes:   append([]string(nil), scopes...),
	}
	s.grants[g.id] = g
	return g
}

// issueAccessLocked signs a new JWT access token for the grant. Caller holds s.mu.
func (s *Server) issueAccessLocked(g *grant, scopes []string) (string, error) {
	now := s.now()
	rec := &accessRecord{
		jti:      randomToken(16),
		grantID:  g.id,
		clientID: g.clientID,
		subject:  g.subject,
		scopes:   append([]string(nil), scopes...),
		iat:      now,
		exp:      now.Add(s.accessLifetime),
	}
	claims := accessClaims{
		Claims: jwt.Claims{
			Issuer:   s.issuer,
			Subject:  rec.subject,
			Audience: jwt.Audience{s.resourceAudience()},
			IssuedAt: jwt.NewNumericDate(rec.iat),
			Expiry:   jwt.NewNumericDate(rec.exp),
			ID:       rec.jti,
		},
		ClientID: rec.clientID,
		Scope:    strings.Join(rec.scopes, " "),
	}
	tok, err := jwt.Signed(s.signer).Claims(claims).Serialize()
	if err != nil {
		return "", err
	}
	s.access[rec.jti] = rec
	s.accessTok[tok] = rec.jti
	return tok, nil
}

// issueRefreshLocked creates an opaque refresh token. Caller holds s.mu.
func (s *Server) issueRefreshLocked(g *grant, scopes []string) string {
	now := s.now()
	tok := randomToken(32)
	s.refresh[tok] = &refreshRecord{
		grantID:  g.id,
		clientID: g.clientID,
		subject:  g.subject,
		scopes:   append([]string(nil), scopes...),
		iat:      now,
		exp:      now.Add(s.refreshLifetime),
	}
	return tok
}

// revokeGrantLocked revokes every token of a grant. Caller holds s.mu.
func (s *Server) revokeGrantLocked(id string) {
	if g := s.grants[id]; g != nil {
		g.revoked = true
	}
}

func (s *Server) accessLiveLocked(rec *accessRecord) bool {
	if rec == nil || rec.revoked || !s.now().Before(rec.exp) {
		return false
	}
	g := s.grants[rec.grantID]
	return g != nil && !g.revoked
}

func (s *Server) refreshLiveLocked(rec *refreshRecord) bool {
	if rec == nil || rec.revoked || rec.rotated || !s.now().Before(rec.exp) {
		return false
	}
	g := s.grants[rec.grantID]
	return g != nil && !g.revoked
}

// validateAccessToken verifies a JWT access token as the protected resource
// does: signature, typ, iss, aud, exp, and server-side revocation state.
func (s *Server) validateAccessToken(raw string) (*accessRecord, error) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{s.alg})
	if err != nil {
		return nil, errors.New("the access token is malformed")
	}
	if len(tok.Headers) != 1 || tok.Headers[0].ExtraHeaders[jose.HeaderType] != "at+jwt" {
		return nil, errors.New("the token is not an access token")
	}
	var c accessClaims
	if err := tok.Claims(s.pub, &c); err != nil {
		return nil, errors.New("the access token signature is invalid")
	}
	if err := c.ValidateWithLeeway(jwt.Expected{
		Issuer:      s.issuer,
		AnyAudience: jwt.Audience{s.resourceAudience()},
		Time:        s.now(),
	}, 0); err != nil {
		if errors.Is(err, jwt.ErrExpired) {
			return nil, errors.New("the access token has expired")
		}
		return nil, errors.New("the access token is not valid for this resource")
	}
	if c.Expiry == nil || c.ID == "" {
		return nil, errors.New("the access token lacks required claims")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.access[c.ID]
	if rec == nil {
		return nil, errors.New("the access token is unknown")
	}
	if !s.accessLiveLocked(rec) {
		if !s.now().Before(rec.exp) {
			return nil, errors.New("the access token has expired")
		}
		return nil, errors.New("the access token has been revoked")
	}
	cp := *rec
	return &cp, nil
}

func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		s.writeOAuthError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "the revocation endpoint only accepts POST"}, true)
		return
	}
	form, oe := parsePostForm(r)
	if oe != nil {
		s.writeOAuthError(w, oe, true)
		return
	}
	client, oe := s.authenticateClient(r, form)
	if oe != nil {
		s.writeOAuthError(w, oe, true)
		return
	}
	token := form.Get("token")
	if token == "" {
		s.writeOAuthError(w, errInvalidRequest("token is required"), true)
		return
	}
	// token_type_hint is only an optimisation; both stores are searched.
	s.mu.Lock()
	if rec := s.refresh[token]; rec != nil {
		if rec.clientID == client.ID {
			rec.revoked = true
			s.revokeGrantLocked(rec.grantID)
		}
	} else if jti, ok := s.accessTok[token]; ok {
		if rec := s.access[jti]; rec != nil && rec.clientID == client.ID {
			rec.revoked = true
		}
	}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		s.writeOAuthError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "the introspection endpoint only accepts POST"}, true)
		return
	}
	form, oe := parsePostForm(r)
	if oe != nil {
		s.writeOAuthError(w, oe, true)
		return
	}
	client, oe := s.authenticateClient(r, form)
	if oe == nil && client.public() {
		// RFC 7662 §2.1: the caller must be authenticated; a bare client_id
		// proves nothing.
		oe = errInvalidClient("introspection requires a confidential client")
	}
	if oe != nil {
		s.writeOAuthError(w, oe, true)
		return
	}
	token := form.Get("token")
	if token == "" {
		s.writeOAuthError(w, errInvalidRequest("token is required"), true)
		return
	}
	resp := map[string]any{"active": false}
	s.mu.Lock()
	if rec := s.refresh[token]; rec != nil {
		if s.refreshLiveLocked(rec) {
			resp = map[string]any{
				"active":     true,
				"client_id":  rec.clientID,
				"scope":      strings.Join(rec.scopes, " "),
				"sub":        rec.subject,
				"exp":        rec.exp.Unix(),
				"iat":        rec.iat.Unix(),
				"iss":        s.issuer,
				"token_type": "refresh_token",
			}
		}
	} else if jti, ok := s.accessTok[token]; ok {
		if rec := s.access[jti]; s.accessLiveLocked(rec) {
			resp = map[string]any{
				"active":     true,
				"client_id":  rec.clientID,
				"scope":      strings.Join(rec.scopes, " "),
				"sub":        rec.subject,
				"exp":        rec.exp.Unix(),
				"iat":        rec.iat.Unix(),
				"iss":        s.issuer,
				"token_type": "Bearer",
				"aud":        s.resourceAudience(),
				"jti":        rec.jti,
			}
		}
	}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

func bearerChallenge(code, desc string) string {
	v := `Bearer realm="mockserver"`
	if code != "" {
		v += `, error="` + code + `"`
	}
	if desc != "" {
		v += `, error_description="` + strings.ReplaceAll(desc, `"`, "'") + `"`
	}
	return v
}

// handleMe is the protected resource (RFC 6750). Only the Authorization
// request header is accepted.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET, HEAD")
		return
	}
	if r.URL.Query().Has("access_token") {
		w.Header().Set("WWW-Authenticate", bearerChallenge("invalid_request", "access tokens in the query string are not accepted; use the Authorization header"))
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	authz := r.Header.Get("Authorization")
	if authz == "" {
		w.Header().Set("WWW-Authenticate", bearerChallenge("", ""))
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
		return
	}
	if len(authz) < 7 || !strings.EqualFold(authz[:7], "bearer ") || strings.TrimSpace(authz[7:]) == "" {
		w.Header().Set("WWW-Authenticate", bearerChallenge("invalid_request", "expected Authorization: Bearer <token>"))
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	rec, err := s.validateAccessToken(strings.TrimSpace(authz[7:]))
	if err != nil {
		w.Header().Set("WWW-Authenticate", bearerChallenge("invalid_token", err.Error()))
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{
		"sub":       rec.subject,
		"client_id": rec.clientID,
		"scope":     strings.Join(rec.scopes, " "),
	})
}
