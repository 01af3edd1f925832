package mockserver

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// assertionTypeJWTBearer is the client_assertion_type of a JWT client
// assertion (RFC 7523 §2.2).
const assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionParseAlgs are the algorithms a client assertion is parsed with:
// HS256 (client_secret_jwt), PS256 and ES256 (private_key_jwt), and RS256,
// parsed only so that refusing it is this server's decision.
var assertionParseAlgs = []jose.SignatureAlgorithm{jose.HS256, jose.RS256, jose.PS256, jose.ES256}

// assertionLeeway is the clock skew allowed on exp, nbf and iat.
const assertionLeeway = 30 * time.Second

// usesAssertion reports whether a request tries JWT client authentication
// (RFC 7521 §4.2): either assertion parameter counts.
func usesAssertion(form url.Values) bool {
	return form.Has("client_assertion") || form.Has("client_assertion_type")
}

// assertionMethod is the token endpoint authentication method of a client
// assertion (OIDC Core §9), with the faults that weaken its checks.
type assertionMethod struct {
	name string
	// aud, sub, exp, expOptional and replay: the faults that skip the
	// check of that claim ("" for none).
	aud, sub, exp, expOptional, replay fault.Name
}

var (
	clientSecretJWT = assertionMethod{name: "client_secret_jwt",
		aud: fault.ClientAssertionAudUnchecked, sub: fault.ClientAssertionSubUnchecked, exp: fault.ClientAssertionExpUnchecked}
	privateKeyJWT = assertionMethod{name: "private_key_jwt",
		aud: fault.PrivateKeyJWTAudUnchecked, sub: fault.PrivateKeyJWTSubUnchecked, exp: fault.PrivateKeyJWTExpUnchecked,
		expOptional: fault.PrivateKeyJWTExpOptional, replay: fault.PrivateKeyJWTReplayAccepted}
)

// flaw reports whether the fault name is on; "" is no fault.
func (s *Server) flaw(name fault.Name) bool { return name != "" && s.has(name) }

// authenticateAssertion implements JWT client authentication (OIDC Core §9,
// RFC 7523 §2.2 and §3) at the token and PAR endpoints: client_secret_jwt
// (HS256 keyed with the client secret) and private_key_jwt (PS256 or
// ES256, signed with a key registered for the client); iss and sub the
// client_id, aud the token endpoint, the PAR endpoint or the issuer
// (RFC 9126 §2), exp in the future and a jti used only once.
// Revocation and introspection advertise Basic and post only.
func (s *Server) authenticateAssertion(r *http.Request, form url.Values, tokenEP bool) (*Client, *oauthError) {
	c, m, err := s.verifyAssertion(r, form, tokenEP)
	if err != nil && m.name == privateKeyJWT.name && err.code == "invalid_client" && s.has(fault.PrivateKeyJWTWrongError) {
		// The flaw: refused, with the error of a malformed request (RFC 7523 §3.2).
		return nil, errInvalidRequest(err.desc)
	}
	return c, err
}

func (s *Server) verifyAssertion(r *http.Request, form url.Values, tokenEP bool) (*Client, assertionMethod, *oauthError) {
	m := clientSecretJWT
	// RFC 6749 §2.3: "The client MUST NOT use more than one authentication
	// method in each request."
	if r.Header.Get("Authorization") != "" || form.Has("client_secret") {
		return nil, m, errInvalidRequest("more than one client authentication method was used")
	}
	if !form.Has("client_assertion") || !form.Has("client_assertion_type") {
		return nil, m, errInvalidRequest("client_assertion and client_assertion_type go together")
	}
	if form.Get("client_assertion_type") != assertionTypeJWTBearer {
		return nil, m, errInvalidClient("unsupported client_assertion_type")
	}
	if !tokenEP {
		return nil, m, errInvalidClient("client assertions are accepted at the token and PAR endpoints only")
	}
	// RFC 7523 §3 item 9: the JWT MUST be signed or MACed. RS256 is parsed
	// only so that refusing it is this server's decision (it is not
	// advertised); an unsecured JWT (alg none) fails here.
	raw := form.Get("client_assertion")
	var named jwt.Claims
	tok, err := jwt.ParseSigned(raw, assertionParseAlgs)
	var alg jose.SignatureAlgorithm
	switch {
	case err == nil:
		alg = jose.SignatureAlgorithm(tok.Headers[0].Algorithm)
		if alg != jose.HS256 {
			m = privateKeyJWT
		}
		// The unverified sub only names the client whose secret or key
		// verifies the JWT; nothing in it is trusted before that.
		if err := tok.UnsafeClaimsWithoutVerification(&named); err != nil {
			return nil, m, errInvalidClient("the client assertion's claims could not be read")
		}
	case (s.has(fault.ClientAssertionAlgNone) || s.has(fault.PrivateKeyJWTAlgNone)) && unsecuredClaims(raw, &named):
		// The flaw: an unsecured JWT is taken as it stands (tok stays nil),
		// for a client with a secret (client_assertion_alg_none) or a
		// registered key (private_key_jwt_alg_none).
		if !s.has(fault.ClientAssertionAlgNone) {
			m = privateKeyJWT
		}
	default:
		return nil, m, errInvalidClient("the client assertion is not a JWT signed with HS256, PS256 or ES256")
	}
	if m.name == privateKeyJWT.name && tok != nil && !slices.Contains(privateKeyJWTAlgs, alg) && !s.has(fault.PrivateKeyJWTAlgUnchecked) {
		return nil, m, errInvalidClient("the client assertion's alg " + string(alg) + " is not one of token_endpoint_auth_signing_alg_values_supported")
	}
	c := s.clients[named.Subject]
	if s.flaw(m.sub) && form.Has("client_id") {
		// The flaw: the client is whoever client_id names, whatever the
		// assertion says (its iss and sub are not compared below either).
		c = s.clients[form.Get("client_id")]
	}
	if c == nil || (m.name == clientSecretJWT.name && c.public()) || (m.name == privateKeyJWT.name && len(c.Keys) == 0) {
		return nil, m, errInvalidClient("client authentication failed")
	}
	switch {
	case m.name == clientSecretJWT.name && s.has(fault.ClientSecretJWTAdvertisedUnsupported):
		// The flaw: the metadata lists client_secret_jwt, the endpoint refuses it.
		return nil, m, errInvalidClient("client_secret_jwt is not supported")
	case m.name == privateKeyJWT.name && s.has(fault.PrivateKeyJWTAdvertisedUnsupported):
		return nil, m, errInvalidClient("private_key_jwt is not supported")
	}
	var claims jwt.Claims
	switch {
	case tok == nil, m.name == clientSecretJWT.name && s.has(fault.ClientSecretJWTSignatureUnchecked),
		m.name == privateKeyJWT.name && s.has(fault.PrivateKeyJWTSignatureUnchecked):
		// The flaw: the MAC or signature is never checked, or (alg none)
		// there is none to check (RFC 7523 §3 item 9).
		claims = named
	case m.name == clientSecretJWT.name:
		if err := tok.Claims([]byte(c.Secret), &claims); err != nil {
			return nil, m, errInvalidClient("client authentication failed")
		}
	default:
		verified := false
		for _, k := range c.Keys {
			if kid := tok.Headers[0].KeyID; kid != "" && kid != k.KeyID {
				continue
			}
			if tok.Claims(k.Key, &claims) == nil {
				verified = true
				break
			}
		}
		if !verified {
			return nil, m, errInvalidClient("the client assertion is not signed with a key registered for the client")
		}
	}
	// RFC 7521 §4.2: a client_id, when sent, names the same client.
	if form.Has("client_id") && form.Get("client_id") != c.ID {
		return nil, m, errInvalidClient("client_id does not match the client assertion")
	}
	// RFC 7523 §3 items 1, 2 and 4 (exp is REQUIRED, OIDC Core §9); aud:
	// the token endpoint, the PAR endpoint or the issuer (RFC 9126 §2).
	if (claims.Issuer != c.ID || claims.Subject != c.ID) && !s.flaw(m.sub) {
		return nil, m, errInvalidClient("the client assertion's iss and sub must be the client_id")
	}
	if !claims.Audience.Contains(s.endpoint("/token")) && !claims.Audience.Contains(s.endpoint(parPath)) &&
		!claims.Audience.Contains(s.issuer) && !s.flaw(m.aud) {
		return nil, m, errInvalidClient("the client assertion's aud is not this authorization server")
	}
	now := s.now()
	if claims.Expiry == nil && !s.flaw(m.expOptional) {
		return nil, m, errInvalidClient("the client assertion has no exp")
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{Time: now}, assertionLeeway); err != nil &&
		!(errors.Is(err, jwt.ErrExpired) && s.flaw(m.exp)) {
		return nil, m, errInvalidClient("the client assertion is expired or not yet valid")
	}
	// RFC 7523 §3 item 7: the jti is used once (the server MAY keep track;
	// OIDC Core §9: the tokens MUST only be used once).
	if claims.ID == "" {
		return nil, m, errInvalidClient("the client assertion has no jti")
	}
	until := now.Add(5 * time.Minute)
	if claims.Expiry != nil {
		until = claims.Expiry.Time()
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
	if _, seen := s.assertionJTIs[key]; seen && !s.flaw(m.replay) {
		return nil, m, errInvalidClient("the client assertion has already been used")
	}
	s.assertionJTIs[key] = until
	return c, m, nil
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
