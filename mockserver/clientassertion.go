package mockserver

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// assertionTypeJWTBearer is the client_assertion_type of a JWT client
// assertion (RFC 7523 §2.2).
const assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLeeway is the clock skew allowed on exp, nbf and iat.
const assertionLeeway = 30 * time.Second

// usesAssertion reports whether a request tries JWT client authentication
// (RFC 7521 §4.2): either assertion parameter counts.
func usesAssertion(form url.Values) bool {
	return form.Has("client_assertion") || form.Has("client_assertion_type")
}

// authenticateAssertion implements client_secret_jwt (OIDC Core §9, RFC
// 7523 §2.2 and §3): an HS256 JWT whose MAC is keyed with the client
// secret, iss and sub the client_id, aud the token endpoint (or the issuer),
// exp in the future and a jti used only once. Only the token endpoint
// accepts assertions: revocation and introspection advertise Basic and post.
func (s *Server) authenticateAssertion(r *http.Request, form url.Values, tokenEP bool) (*Client, *oauthError) {
	// RFC 6749 §2.3: "The client MUST NOT use more than one authentication
	// method in each request."
	if r.Header.Get("Authorization") != "" || form.Has("client_secret") {
		return nil, errInvalidRequest("more than one client authentication method was used")
	}
	if !form.Has("client_assertion") || !form.Has("client_assertion_type") {
		return nil, errInvalidRequest("client_assertion and client_assertion_type go together")
	}
	if form.Get("client_assertion_type") != assertionTypeJWTBearer {
		return nil, errInvalidClient("unsupported client_assertion_type")
	}
	if !tokenEP {
		return nil, errInvalidClient("client assertions are accepted at the token endpoint only")
	}
	if s.has(fault.ClientSecretJWTAdvertisedUnsupported) {
		// The flaw: the metadata lists client_secret_jwt, the endpoint refuses it.
		return nil, errInvalidClient("client_secret_jwt is not supported")
	}
	// RFC 7523 §3 item 9: the JWT MUST be signed or MACed; HS256 is the
	// only algorithm accepted, so an unsecured JWT (alg none) fails here.
	raw := form.Get("client_assertion")
	var named jwt.Claims
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.HS256})
	switch {
	case err == nil:
		// The unverified sub only names the client whose secret keys the
		// MAC; nothing in it is trusted before the MAC verifies.
		if err := tok.UnsafeClaimsWithoutVerification(&named); err != nil {
			return nil, errInvalidClient("the client assertion's claims could not be read")
		}
	case s.has(fault.ClientAssertionAlgNone) && unsecuredClaims(raw, &named):
		// The flaw: an unsecured JWT is taken as it stands (tok stays nil).
	default:
		return nil, errInvalidClient("the client assertion is not an HS256 JWT")
	}
	c := s.clients[named.Subject]
	if s.has(fault.ClientAssertionSubUnchecked) && form.Has("client_id") {
		// The flaw: the client is whoever client_id names, whatever the
		// assertion says (its iss and sub are not compared below either).
		c = s.clients[form.Get("client_id")]
	}
	if c == nil || c.public() {
		return nil, errInvalidClient("client authentication failed")
	}
	var claims jwt.Claims
	if tok == nil || s.has(fault.ClientSecretJWTSignatureUnchecked) {
		// The flaw: the MAC is never checked, or (client_assertion_alg_none)
		// there is none to check (RFC 7523 §3 item 9).
		claims = named
	} else if err := tok.Claims([]byte(c.Secret), &claims); err != nil {
		return nil, errInvalidClient("client authentication failed")
	}
	// RFC 7521 §4.2: a client_id, when sent, names the same client.
	if form.Has("client_id") && form.Get("client_id") != c.ID {
		return nil, errInvalidClient("client_id does not match the client assertion")
	}
	// RFC 7523 §3 items 1, 2 and 4 (exp is REQUIRED for client_secret_jwt,
	// OIDC Core §9); aud: "the token endpoint URL ... or the issuer".
	if (claims.Issuer != c.ID || claims.Subject != c.ID) && !s.has(fault.ClientAssertionSubUnchecked) {
		return nil, errInvalidClient("the client assertion's iss and sub must be the client_id")
	}
	if !claims.Audience.Contains(s.endpoint("/token")) && !claims.Audience.Contains(s.issuer) && !s.has(fault.ClientAssertionAudUnchecked) {
		return nil, errInvalidClient("the client assertion's aud is not this token endpoint")
	}
	now := s.now()
	if claims.Expiry == nil {
		return nil, errInvalidClient("the client assertion has no exp")
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{Time: now}, assertionLeeway); err != nil &&
		!(errors.Is(err, jwt.ErrExpired) && s.has(fault.ClientAssertionExpUnchecked)) {
		return nil, errInvalidClient("the client assertion is expired or not yet valid")
	}
	// RFC 7523 §3 item 7: the jti is used once (the server MAY keep track).
	if claims.ID == "" {
		return nil, errInvalidClient("the client assertion has no jti")
	}
	key := c.ID + "\x00" + claims.ID
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.assertionJTIs == nil {
		s.assertionJTIs = map[string]time.Time{}
	}
	for k, exp := range s.assertionJTIs {
		if now.After(exp.Add(assertionLeeway)) {
			delete(s.assertionJTIs, k)
		}
	}
	if _, seen := s.assertionJTIs[key]; seen {
		return nil, errInvalidClient("the client assertion has already been used")
	}
	s.assertionJTIs[key] = claims.Expiry.Time()
	return c, nil
}

// unsecuredClaims reads the claims of an unsecured JWT (RFC 7519 §6: alg
// none, an empty signature) into claims; false for anything else. Only the
// client_assertion_alg_none fault uses it: go-jose rightly parses no such JWT.
func unsecuredClaims(raw string, claims *jwt.Claims) bool {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 || parts[2] != "" {
		return false
	}
	var header struct {
		Alg string `json:"alg"`
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(h, &header) != nil || header.Alg != "none" {
		return false
	}
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	return err == nil && json.Unmarshal(p, claims) == nil
}
