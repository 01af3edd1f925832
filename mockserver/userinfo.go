package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// The UserInfo Endpoint (OIDC Core §5.3): an OAuth 2.0 protected resource
// that returns claims about the user a token was issued for, by the scopes
// it was issued with (OIDC Core §5.4).

// userinfoPath is the UserInfo Endpoint's path (userinfo_endpoint).
const userinfoPath = "/userinfo"

// scopeClaims are the claims each scope value releases (OIDC Core §5.4).
var scopeClaims = map[string][]string{
	"profile": {"name", "family_name", "given_name", "preferred_username", "updated_at"},
	"email":   {"email", "email_verified"},
	"address": {"address"},
	"phone":   {"phone_number", "phone_number_verified"},
}

// scopeDropFault is the fault that withholds a scope's claims.
var scopeDropFault = map[string]fault.Name{
	"profile": fault.UserinfoDropsProfile,
	"email":   fault.UserinfoDropsEmail,
	"address": fault.UserinfoDropsAddress,
	"phone":   fault.UserinfoDropsPhone,
}

// userinfoSigned reports whether the UserInfo Response to a client is a
// signed JWT (OIDC Core §5.3.2): when the client is registered for it.
func (s *Server) userinfoSigned(clientID string) bool {
	c := s.clients[clientID]
	return c != nil && c.UserinfoSigned
}

// standardClaims are the user's claims (OIDC Core §5.1), made up from the
// username: the mock keeps no profile.
func standardClaims(username string, updated int64) map[string]any {
	given := username
	if given != "" {
		r := []rune(given)
		r[0] = unicode.ToUpper(r[0])
		given = string(r)
	}
	return map[string]any{
		"name": given + " Example", "given_name": given, "family_name": "Example",
		"preferred_username": username, "updated_at": updated,
		"email": username + "@example.test", "email_verified": true,
		"address": map[string]any{
			"formatted": "1 Example Street\n12345 Exampleton\nExampleland", "street_address": "1 Example Street",
			"locality": "Exampleton", "postal_code": "12345", "country": "Exampleland",
		},
		"phone_number": "+1 555 0100", "phone_number_verified": false,
	}
}

func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	fail := func(status int, code, desc string) {
		// RFC 6750 §3: a refused request carries a Bearer challenge.
		if !s.has(fault.UserinfoNoWWWAuthenticate) {
			w.Header().Set("WWW-Authenticate", bearerChallenge(code, desc))
		}
		body := map[string]string{"error": code}
		if code == "" {
			body["error"] = "invalid_request"
		}
		if desc != "" {
			body["error_description"] = desc
		}
		writeJSON(w, status, body)
	}
	// OIDC Core §5.3.1: GET and POST.
	switch {
	case r.Method == http.MethodGet && s.has(fault.UserinfoGetRefused),
		r.Method == http.MethodPost && s.has(fault.UserinfoPostRefused):
		methodNotAllowed(w, "POST, GET")
		return
	case r.Method != http.MethodGet && r.Method != http.MethodPost:
		methodNotAllowed(w, "GET, POST")
		return
	}
	raw, ok := "", false
	if authz := r.Header.Get("Authorization"); authz != "" {
		if len(authz) < 7 || !strings.EqualFold(authz[:7], "bearer ") || strings.TrimSpace(authz[7:]) == "" {
			fail(http.StatusBadRequest, "invalid_request", "expected Authorization: Bearer <token>")
			return
		}
		raw, ok = strings.TrimSpace(authz[7:]), true
	}
	if r.URL.Query().Has("access_token") {
		fail(http.StatusBadRequest, "invalid_request", "access tokens in the query string are not accepted")
		return
	}
	// RFC 6750 §2.2: the form-encoded body parameter, in a POST.
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") &&
		!s.has(fault.UserinfoBodyTokenIgnored) {
		if err := r.ParseForm(); err != nil {
			fail(http.StatusBadRequest, "invalid_request", "malformed form body")
			return
		}
		if vals := r.PostForm["access_token"]; len(vals) > 0 {
			if ok || len(vals) > 1 {
				fail(http.StatusBadRequest, "invalid_request", "more than one access token was sent")
				return
			}
			raw, ok = vals[0], true
		}
	}
	if !ok {
		fail(http.StatusUnauthorized, "", "")
		return
	}
	rec, err := s.userinfoToken(raw)
	if err != nil {
		fail(http.StatusUnauthorized, "invalid_token", err.Error())
		return
	}
	if !contains(rec.scopes, "openid") {
		fail(http.StatusForbidden, "insufficient_scope", "the access token was not issued for the openid scope")
		return
	}
	s.mu.Lock()
	var username string
	for _, u := range s.users {
		if u.Subject == rec.subject {
			username = u.Username
		}
	}
	s.mu.Unlock()
	all := standardClaims(username, rec.iat.Unix())
	claims := map[string]any{"sub": rec.subject}
	if s.has(fault.UserinfoWrongSub) {
		claims["sub"] = rec.subject + "-userinfo"
	}
	if s.has(fault.UserinfoNoSub) {
		delete(claims, "sub")
	}
	for _, sc := range rec.scopes {
		if f, known := scopeDropFault[sc]; known && s.has(f) {
			continue
		}
		for _, name := range scopeClaims[sc] {
			claims[name] = all[name]
		}
	}
	if !s.userinfoSigned(rec.clientID) {
		if s.has(fault.UserinfoWrongContentType) {
			// The flaw: a JSON object served as text/plain.
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			_ = json.NewEncoder(w).Encode(claims)
			return
		}
		writeJSON(w, http.StatusOK, claims)
		return
	}
	// OIDC Core §5.3.2: signed, with iss and aud.
	if !s.has(fault.UserinfoSignedNoIssAud) {
		claims["iss"] = s.issuer
		claims["aud"] = rec.clientID
	}
	tok, err := jwt.Signed(s.idSigner).Claims(claims).Serialize()
	if err != nil {
		http.Error(w, "signing failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jwt")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(tok))
}

// userinfoToken validates an access token as the UserInfo Endpoint does:
// like the protected resource.
func (s *Server) userinfoToken(raw string) (*accessRecord, error) {
	rec, err := s.validateAccessToken(raw)
	if err == nil {
		return rec, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var issued *accessRecord
	if jti, ok := s.accessTok[raw]; ok {
		issued = s.access[jti]
	}
	switch {
	case issued != nil && s.has(fault.UserinfoIgnoresRevocation):
		// The flaw: a token this server issued is honoured, revoked or not.
		cp := *issued
		return &cp, nil
	case s.has(fault.UserinfoTokenUnchecked):
		// The flaw: any bearer string is taken for the latest token issued.
		var last *accessRecord
		for _, a := range s.access {
			if last == nil || a.iat.After(last.iat) {
				last = a
			}
		}
		if last != nil {
			cp := *last
			return &cp, nil
		}
	}
	return nil, err
}
