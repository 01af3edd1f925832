package mockserver

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// accessClaims are the RFC 9068 JWT access token claims.
type accessClaims struct {
	jwt.Claims
	ClientID string `json:"client_id,omitempty"` // always, except with JWTAccessTokensPlain
	Scope    string `json:"scope,omitempty"`
	// Cnf binds a DPoP token to its key (RFC 9449 §6.1).
	Cnf *cnfClaim `json:"cnf,omitempty"`
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

// atLifetime is the lifetime of the access tokens of a client: its own
// (Client.AccessTokenLifetime) or the server's.
func (s *Server) atLifetime(clientID string) time.Duration {
	if s.has(fault.LongLivedAccessTokens) {
		return 24 * time.Hour
	}
	if c := s.clients[clientID]; c != nil && c.AccessTokenLifetime > 0 {
		return c.AccessTokenLifetime
	}
	return s.accessLifetime
}

// nonVSCHAR is appended to access tokens by the token_non_vschar fault: a
// character outside %x20-7E that survives JSON, form encoding and HTTP
// header values (as obs-text).
const nonVSCHAR = "\u00e9"

// issueAccessLocked issues a new access token for the grant: an RFC 9068 JWT
// signed with the published key. Caller holds s.mu.
// b binds the token to a DPoP key or a client certificate, when not empty.
func (s *Server) issueAccessLocked(g *grant, scopes []string, b tokenBinding) (string, error) {
	now := s.now()
	rec := &accessRecord{
		jti:      randomToken(16),
		grantID:  g.id,
		clientID: g.clientID,
		subject:  g.subject,
		scopes:   append([]string(nil), scopes...),
		iat:      now,
		exp:      now.Add(s.atLifetime(g.clientID)),
		jkt:      b.jkt,
		x5t:      b.x5t,
	}
	var tok string
	if s.has(fault.WeakAccessTokens) {
		// The flaw: 32 bits from a counter through a multiplicative hash.
		for {
			s.atSeq++
			tok = fmt.Sprintf("%08x", s.atSeq*2246822519)
			if _, dup := s.accessTok[tok]; !dup {
				break
			}
		}
	} else if s.is(OpaqueAccessTokens) {
		// 256 random bits, looked up by the resource and introspection.
		for {
			tok = randomToken(32)
			if _, dup := s.accessTok[tok]; !dup {
				break
			}
		}
	} else {
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
		if s.is(JWTAccessTokensPlain) {
			claims.ClientID = "" // not an RFC 9068 token: no client_id claim
		}
		if b.jkt != "" && !s.has(fault.DPoPNoCnf) {
			claims.Cnf = &cnfClaim{JKT: b.jkt}
		}
		if b.x5t != "" && !s.has(fault.MTLSNoCnf) {
			// RFC 8705 §3.1.
			if claims.Cnf == nil {
				claims.Cnf = &cnfClaim{}
			}
			claims.Cnf.X5T = b.x5t
		}
		if s.has(fault.AtWrongIss) {
			claims.Issuer = s.atIssuer()
		}
		if s.has(fault.AtMissingJTI) {
			claims.ID = ""
		}
		var err error
		if s.has(fault.AtAlgNone) {
			tok, err = unsignedJWT(s.atTyp, claims)
			rec.unsigned = true
		} else {
			tok, err = jwt.Signed(s.signer).Claims(claims).Serialize()
		}
		if err != nil {
			return "", err
		}
		rec.jwt = tok
	}
	if s.has(fault.TokenNonVschar) {
		tok += nonVSCHAR
	}
	s.access[rec.jti] = rec
	s.accessTok[tok] = rec.jti
	return tok, nil
}

// atIssuer is the iss claim of JWT access tokens, and what the protected
// resource expects there.
func (s *Server) atIssuer() string {
	if s.has(fault.AtWrongIss) {
		return s.issuer + "/other"
	}
	return s.issuer
}

// idTokenLifetime is the lifetime of ID Tokens: short, as they are consumed
// at once (OIDC Core §2 exp).
const idTokenLifetime = 10 * time.Minute

// idTokenClaims are the OpenID Connect ID Token claims (OIDC Core §2).
type idTokenClaims struct {
	jwt.Claims
	AuthorizedParty string           `json:"azp,omitempty"`
	AuthTime        *jwt.NumericDate `json:"auth_time,omitempty"`
	Nonce           string           `json:"nonce,omitempty"`
	AtHash          string           `json:"at_hash,omitempty"`
	CHash           string           `json:"c_hash,omitempty"`
	// Extra are further claims (the scopes' claims of an ID Token that
	// no access token accompanies, OIDC Core §5.4).
	Extra map[string]any `json:"-"`
	// SID is the session's sid (Front-Channel Logout §3, Back-Channel
	// Logout §2.1: included in ID Tokens when supported).
	SID string `json:"sid,omitempty"`
}

// idTokenOption adds to an ID Token's claims.
type idTokenOption func(*idTokenClaims)

// withCHash binds an ID Token to the code issued with it (OIDC Core
// §3.3.2.11 c_hash, the same hash as at_hash), when on.
func withCHash(code string, on bool) idTokenOption {
	return func(c *idTokenClaims) {
		if on {
			c.CHash = atHash(code)
		}
	}
}

// atHash is the at_hash of an access token (OIDC Core §3.1.3.6 and
// §3.2.2.9): the base64url encoding of the left half of the hash of its
// octets, with the hash of the ID Token's alg: SHA-256 for RS256 and ES256,
// the only algorithms this server signs with.
func atHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// issueIDToken issues an ID Token (OIDC Core §2) for clientID about subject,
// signed like the access tokens with the published key (kid in the header).
// nonce is the authorization request's ("" for none); accessToken, when not
// empty and withAtHash is set, is bound by at_hash.
func (s *Server) issueIDToken(clientID, subject string, authTime time.Time, nonce, accessToken string, withAtHash bool, opts ...idTokenOption) (string, error) {
	now := s.now()
	iat, exp := now, now.Add(idTokenLifetime)
	if s.has(fault.IDTokenExpired) {
		// The flaw: issued an hour ago, expired half an hour ago.
		iat, exp = now.Add(-time.Hour), now.Add(-30*time.Minute)
	}
	claims := idTokenClaims{
		Claims: jwt.Claims{
			Issuer:   s.issuer,
			Subject:  subject,
			Audience: jwt.Audience{clientID},
			IssuedAt: jwt.NewNumericDate(iat),
			Expiry:   jwt.NewNumericDate(exp),
		},
		Nonce: nonce,
		// OIDC Core §2: azp MAY be included when the authorized party is
		// the sole audience; it is the client_id.
		AuthorizedParty: clientID,
	}
	if !authTime.IsZero() {
		claims.AuthTime = jwt.NewNumericDate(authTime)
	}
	if s.has(fault.IDTokenNoIat) {
		claims.IssuedAt = nil
	}
	if s.has(fault.IDTokenWrongAzp) {
		claims.AuthorizedParty = clientID + "-other"
	}
	if s.has(fault.IDTokenSubPerLogin) {
		// The flaw: the subject identifier changes with each sign-in.
		sum := sha256.Sum256([]byte(authTime.Format(time.RFC3339Nano)))
		claims.Subject = subject + "." + base64.RawURLEncoding.EncodeToString(sum[:6])
	}
	if s.has(fault.IDTokenWrongIss) {
		claims.Issuer = s.issuer + "/other"
	}
	if s.has(fault.IDTokenWrongAud) {
		claims.Audience = jwt.Audience{clientID + "-other"}
	}
	if s.has(fault.IDTokenNonceDropped) {
		claims.Nonce = ""
	}
	if accessToken != "" && withAtHash {
		claims.AtHash = atHash(accessToken)
	}
	for _, o := range opts {
		o(&claims)
	}
	if s.has(fault.IDTokenAlgNone) {
		// The flaw: an unsecured ID Token (OIDC Core §2).
		return unsignedJWT("JWT", claims)
	}
	b := jwt.Signed(s.idSigner).Claims(claims)
	if len(claims.Extra) > 0 {
		b = b.Claims(claims.Extra)
	}
	return b.Serialize()
}

// unsignedJWT builds the compact serialisation of an unsecured JWT (RFC 7519
// §6.1, alg "none", empty signature). go-jose refuses to produce one; this
// hostile artefact exists only for the at_alg_none fault.
func unsignedJWT(typ string, claims any) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "none", "typ": typ})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + ".", nil
}

// issueRefreshLocked creates an opaque refresh token: 256 random bits,
// base64url (RFC 6749 §10.10, Appendix A.17). Caller holds s.mu.
// jkt is the DPoP key of the token request: a public client's refresh
// token is bound to it (RFC 9449 §5).
func (s *Server) issueRefreshLocked(g *grant, scopes []string, jkt string) string {
	now := s.now()
	var tok string
	if s.has(fault.WeakRefreshTokens) {
		// The flaw: 32 bits from a counter through a multiplicative hash.
		for {
			s.rtSeq++
			tok = fmt.Sprintf("%08x", s.rtSeq*3266489917)
			if s.refresh[tok] == nil && s.refresh[tok+nonVSCHAR] == nil {
				break
			}
		}
	} else {
		tok = randomToken(32)
	}
	if s.has(fault.RefreshNonVschar) {
		tok += nonVSCHAR
	}
	s.refresh[tok] = &refreshRecord{
		grantID:  g.id,
		clientID: g.clientID,
		subject:  g.subject,
		scopes:   append([]string(nil), scopes...),
		iat:      now,
		exp:      now.Add(s.refreshLifetime),
	}
	if c := s.clients[g.clientID]; c != nil && c.public() && !s.has(fault.DPoPRefreshNotBound) {
		s.refresh[tok].jkt = jkt
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

// resourceAlgs are the algorithms a resource that takes its key from the
// token header (resource_trusts_embedded_jwk) lets through.
var resourceAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// validateAccessToken verifies an access token as the protected resource
// does: signature with a key of its key store (chosen by kid; only the
// server's algorithm), typ, iss, aud, exp, and server-side revocation state.
// Tokens this server issued in a form that is not a signed JWT (faults
// weak_access_tokens, token_non_vschar, at_alg_none) are recognised by their
// exact string, so only the issuing requirement breaks.
func (s *Server) validateAccessToken(raw string) (*accessRecord, error) {
	s.mu.Lock()
	var issued *accessRecord
	if jti, ok := s.accessTok[raw]; ok {
		issued = s.access[jti]
	}
	s.mu.Unlock()
	if issued != nil && issued.jwt == "" {
		// An opaque token (weak_access_tokens).
		return s.liveRecord(issued)
	}
	jws := raw
	if issued != nil {
		jws = issued.jwt // without a token_non_vschar suffix
	}

	allowed := []jose.SignatureAlgorithm{s.alg}
	ownUnsigned := issued != nil && issued.unsigned // at_alg_none, issued here
	if ownUnsigned || s.has(fault.ResourceAcceptsAlgNone) {
		allowed = append(allowed, "none")
	}
	if s.has(fault.ResourceTrustsEmbeddedJWK) {
		allowed = resourceAlgs
	}
	tok, err := jwt.ParseSigned(jws, allowed)
	if err != nil || len(tok.Headers) != 1 {
		return nil, errors.New("the access token is malformed")
	}
	h := tok.Headers[0]
	sigUnchecked := s.has(fault.ResourceSignatureUnchecked)
	if !sigUnchecked && h.ExtraHeaders[jose.HeaderType] != s.atTyp {
		return nil, errors.New("the token is not an access token")
	}
	// forged: the claims were accepted without a valid signature by a key
	// of the key store; they are then trusted as they are.
	var c accessClaims
	forged := false
	switch {
	case h.Algorithm == "none":
		if !ownUnsigned && !s.has(fault.ResourceAcceptsAlgNone) {
			return nil, errors.New("the access token is not signed")
		}
		err = tok.UnsafeClaimsWithoutVerification(&c)
		forged = !ownUnsigned
	case sigUnchecked:
		// The flaw: the claims are decoded, the signature is not checked.
		err = tok.UnsafeClaimsWithoutVerification(&c)
		forged = true
	case h.JSONWebKey != nil && s.has(fault.ResourceTrustsEmbeddedJWK):
		// The flaw: the token names its own verification key.
		err = tok.Claims(h.JSONWebKey.Key, &c)
		forged = true
	default:
		if h.Algorithm != string(s.alg) {
			return nil, errors.New("the access token is not signed with an accepted algorithm")
		}
		key := s.verifyKeys[h.KeyID]
		if key == nil {
			key = s.pub
		}
		err = tok.Claims(key, &c)
	}
	if err != nil {
		return nil, errors.New("the access token signature is invalid")
	}
	validAt := s.now()
	if s.has(fault.ResourceAcceptsExpired) {
		// The flaw: exp is read as if the token had just been issued.
		validAt = c.IssuedAt.Time()
	}
	if err := c.ValidateWithLeeway(jwt.Expected{
		Issuer:      s.atIssuer(),
		AnyAudience: jwt.Audience{s.resourceAudience()},
		Time:        validAt,
	}, 0); err != nil {
		if errors.Is(err, jwt.ErrExpired) {
			return nil, errors.New("the access token has expired")
		}
		return nil, errors.New("the access token is not valid for this resource")
	}
	if c.Expiry == nil {
		return nil, errors.New("the access token lacks required claims")
	}
	s.mu.Lock()
	var rec *accessRecord
	if c.ID != "" {
		rec = s.access[c.ID]
	} else if issued != nil {
		// A token this server issued without jti (at_missing_jti).
		rec = issued
	}
	s.mu.Unlock()
	if rec == nil {
		if !forged {
			return nil, errors.New("the access token is unknown")
		}
		forgedRec := &accessRecord{jti: c.ID, clientID: c.ClientID, subject: c.Subject, scopes: strings.Fields(c.Scope),
			iat: c.IssuedAt.Time(), exp: c.Expiry.Time()}
		if c.Cnf != nil {
			forgedRec.jkt, forgedRec.x5t = c.Cnf.JKT, c.Cnf.X5T
		}
		return forgedRec, nil
	}
	live, err := s.liveRecord(rec)
	if err != nil {
		return nil, err
	}
	if forged {
		live.clientID, live.subject, live.scopes = c.ClientID, c.Subject, strings.Fields(c.Scope)
	}
	return live, nil
}

// liveRecord returns a copy of rec if the token is neither expired nor
// revoked.
func (s *Server) liveRecord(rec *accessRecord) (*accessRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	expired := !s.now().Before(rec.exp)
	if expired && !s.has(fault.ResourceAcceptsExpired) {
		return nil, errors.New("the access token has expired")
	}
	g := s.grants[rec.grantID]
	revoked := rec.revoked || g == nil || g.revoked
	if revoked && !s.has(fault.ResourceIgnoresRevocation) {
		return nil, errors.New("the access token has been revoked")
	}
	cp := *rec
	return &cp, nil
}

// endpointForm reads the parameters of a revocation or introspection
// request: the form body of a POST, or with getAllowed the query string of a
// GET. ok is false (and a 405 written) for any other method.
func (s *Server) endpointForm(w http.ResponseWriter, r *http.Request, name string, getAllowed bool) (url.Values, bool) {
	var form url.Values
	var oe *oauthError
	switch {
	case r.Method == http.MethodPost:
		form, oe = parsePostForm(r)
	case r.Method == http.MethodGet && getAllowed:
		// The flaw: the token travels in the URL, into logs and histories.
		form = r.URL.Query()
		oe = rejectRepeated(form)
	default:
		w.Header().Set("Allow", "POST")
		s.writeOAuthError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "the " + name + " endpoint only accepts POST"}, true)
		return nil, false
	}
	if oe != nil {
		s.writeOAuthError(w, oe, true)
		return nil, false
	}
	return form, true
}

// handleRevoke is the RFC 7009 revocation endpoint.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	// RFC 7009 §2.1: POST.
	form, ok := s.endpointForm(w, r, "revocation", s.has(fault.RevocationGetAllowed))
	if !ok {
		return
	}
	// RFC 7009 §2.1: confidential clients authenticate; public clients
	// identify themselves with client_id.
	var callerID string // "" only with revocation_unauthenticated: the token's owner
	client, oe := s.authenticateClient(r, form, false)
	if oe == nil {
		callerID = client.ID
	} else if s.has(fault.RevocationUnauthenticated) && noClientCredentials(r, form) {
		// The flaw: without credentials the caller is believed to be the
		// client it names, or the token's owner when it names none.
		oe = nil
		callerID = form.Get("client_id")
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

	s.mu.Lock()
	var kind, owner string
	rrec := s.refresh[token]
	var arec *accessRecord
	if rrec != nil {
		kind, owner = "refresh_token", rrec.clientID
	} else if jti, ok := s.accessTok[token]; ok {
		if arec = s.access[jti]; arec != nil {
			kind, owner = "access_token", arec.clientID
		}
	}
	// token_type_hint is only an optimisation: both stores are searched
	// (RFC 7009 §2.1).
	hint := form.Get("token_type_hint")
	var fail *oauthError
	switch {
	case kind == "":
		// RFC 7009 §2.2: an invalid token is not an error.
		if s.has(fault.RevocationUnknownTokenError) {
			fail = errInvalidRequest("unknown token")
		}
	case callerID != "" && owner != callerID && !s.has(fault.RevocationAnyClient):
		// RFC 7009 §2.1: the token must have been issued to the caller;
		// otherwise the request is refused, and nothing is revoked.
		fail = &oauthError{http.StatusBadRequest, "unauthorized_client", "the token was not issued to this client"}
	case (hint == "access_token" || hint == "refresh_token") && hint != kind && s.has(fault.RevocationHintStrict):
		// The flaw: the hint is taken as binding.
		fail = &oauthError{http.StatusBadRequest, "unsupported_token_type", "the token is not of type " + hint}
	case kind == "refresh_token":
		if !s.has(fault.RevocationIgnoredRefresh) {
			rrec.revoked = true
			// RFC 7009 §2.1: revoking a refresh token also invalidates
			// the access tokens of the same grant.
			if !s.has(fault.RevocationKeepsAccessTokens) {
				s.revokeGrantLocked(rrec.grantID)
			}
		}
	case kind == "access_token" && s.is(RevocationAccessUnsupported):
		// RFC 7009 §2.2.1: this server does not revoke access tokens.
		fail = &oauthError{http.StatusBadRequest, "unsupported_token_type", "access tokens cannot be revoked; they expire"}
	case kind == "access_token":
		if !s.has(fault.RevocationIgnoredAccess) {
			arec.revoked = true
		}
	}
	s.mu.Unlock()
	if fail != nil {
		s.writeOAuthError(w, fail, true)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// reverse returns s with its runes in reverse order.
func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// handleIntrospect is the RFC 7662 introspection endpoint.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	// RFC 7662 §2.1: POST.
	form, ok := s.endpointForm(w, r, "introspection", s.has(fault.IntrospectionGetAllowed))
	if !ok {
		return
	}
	client, oe := s.authenticateClient(r, form, false)
	if oe == nil && client.public() {
		// RFC 7662 §2.1: the caller must be authenticated; a bare client_id
		// proves nothing.
		oe = errInvalidClient("introspection requires a confidential client")
	}
	if oe != nil && s.has(fault.IntrospectionUnauthenticated) && noClientCredentials(r, form) {
		// The flaw: anybody may ask whether a token is active.
		oe = nil
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
	// ignoreRevocation: introspection_ignores_revocation, revoked tokens and
	// the tokens of revoked grants count as active.
	ignoreRevocation := s.has(fault.IntrospectionIgnoresRevocation)
	var resp map[string]any
	var guessClient, guessScope string // introspection_inactive_leaks
	s.mu.Lock()
	now := s.now()
	if rec := s.refresh[token]; rec != nil {
		guessClient, guessScope = rec.clientID, strings.Join(rec.scopes, " ")
		g := s.grants[rec.grantID]
		live := !rec.rotated && now.Before(rec.exp) && (ignoreRevocation || (!rec.revoked && g != nil && !g.revoked))
		// RFC 7662 §2.1: the token may be a refresh token.
		if live && !s.has(fault.IntrospectionRefreshUnsupported) {
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
		if rec := s.access[jti]; rec != nil {
			guessClient, guessScope = rec.clientID, strings.Join(rec.scopes, " ")
			g := s.grants[rec.grantID]
			// introspection_ignores_expiry: an expired access token still counts as active.
			unexpired := now.Before(rec.exp) || s.has(fault.IntrospectionIgnoresExpiry)
			if unexpired && (ignoreRevocation || (!rec.revoked && g != nil && !g.revoked)) {
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
				if rec.jkt != "" {
					// RFC 9449 §6.2.
					resp["token_type"] = "DPoP"
					if !s.has(fault.DPoPNoCnf) {
						resp["cnf"] = map[string]string{"jkt": rec.jkt}
					}
				}
				if rec.x5t != "" && !s.has(fault.MTLSNoCnf) {
					// RFC 8705 §3.2.
					resp["cnf"] = map[string]string{"x5t#S256": rec.x5t}
				}
			}
		}
	}
	s.mu.Unlock()
	if resp == nil && guessClient == "" && s.has(fault.IntrospectionUnknownTokenError) {
		// The flaw: a token the server never issued is an error, not an
		// inactive token (RFC 7662 §2.3: it is not an error response).
		s.writeOAuthError(w, errInvalidRequest("unknown token"), true)
		return
	}
	if resp == nil {
		// RFC 7662 §2.2: nothing but active for an inactive token.
		resp = map[string]any{"active": false}
		if s.has(fault.IntrospectionInactiveLeaks) {
			// The flaw: the answer guesses at the token's client and scope.
			if guessClient == "" && client != nil {
				guessClient, guessScope = client.ID, strings.Join(client.Scopes, " ")
			}
			if guessClient == "" {
				guessClient = "unknown"
			}
			resp["client_id"], resp["scope"] = guessClient, guessScope
		}
	} else if s.has(fault.IntrospectionForeignClientClaims) && client != nil && resp["client_id"] != client.ID {
		// The flaw: another client's token is described as the caller's
		// (RFC 7662 §2.2 client_id: the client that requested the token).
		resp["client_id"] = client.ID
	} else if s.has(fault.IntrospectionWrongClientID) {
		// The flaw: the answer names another client.
		id := resp["client_id"].(string)
		other := reverse(id)
		if other == id {
			other += "-other"
		}
		resp["client_id"] = other
	}
	// RFC 7662 §2.2: active is a boolean.
	if s.has(fault.IntrospectionActiveString) {
		resp["active"] = fmt.Sprint(resp["active"])
	}
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
	// usedDPoP: the request used the DPoP scheme (RFC 9449 §7.1); its
	// errors go in the DPoP challenge, the Bearer one stays plain.
	usedDPoP := false
	fail := func(status int, code, desc string) {
		// RFC 6750 §3: every 401 carries a Bearer challenge; RFC 9449
		// §7.1, §7.2: and a DPoP one, with the algorithms.
		if status != http.StatusUnauthorized || !s.has(fault.ResourceNoWWWAuthenticate) {
			dpopCode, dpopDesc := "", ""
			if usedDPoP && !s.has(fault.DPoPNoChallenge) {
				code, desc, dpopCode, dpopDesc = "", "", code, desc
			}
			w.Header().Set("WWW-Authenticate", bearerChallenge(code, desc))
			if !s.has(fault.DPoPNoChallenge) {
				w.Header().Add("WWW-Authenticate", dpopChallenge(dpopCode, dpopDesc))
			}
		}
		body := map[string]string{"error": code}
		if code == "" {
			body["error"] = "unauthorized"
		}
		if desc != "" {
			body["error_description"] = desc
		}
		writeJSON(w, status, body)
	}
	authz := r.Header.Get("Authorization")
	queryOK := s.has(fault.ResourceQueryTokenAccepted)
	if s.has(fault.ResourceRejectsHeader) {
		// The flaw: the header is never read; only the query works.
		authz, queryOK = "", true
	}
	var raw string
	fromQuery := false
	if q := r.URL.Query(); q.Has("access_token") {
		if !queryOK {
			fail(http.StatusBadRequest, "invalid_request", "access tokens in the query string are not accepted; use the Authorization header")
			return
		}
		if authz != "" || len(q["access_token"]) > 1 {
			fail(http.StatusBadRequest, "invalid_request", "more than one access token was sent")
			return
		}
		raw, fromQuery = q.Get("access_token"), true
	} else {
		if authz == "" {
			fail(http.StatusUnauthorized, "", "")
			return
		}
		if len(authz) >= 5 && strings.EqualFold(authz[:5], "dpop ") && strings.TrimSpace(authz[5:]) != "" {
			usedDPoP = true
			raw = strings.TrimSpace(authz[5:])
		} else if len(authz) < 7 || !strings.EqualFold(authz[:7], "bearer ") || strings.TrimSpace(authz[7:]) == "" {
			fail(http.StatusBadRequest, "invalid_request", "expected Authorization: Bearer <token> or DPoP <token>")
			return
		} else {
			raw = strings.TrimSpace(authz[7:])
		}
	}
	rec, err := s.validateAccessToken(raw)
	if err == nil && usedDPoP {
		// RFC 9449 §7.1: a proof, valid for this request and this token,
		// of the key the token is bound to.
		if rec.jkt == "" {
			err = errors.New("the access token is not DPoP-bound")
		} else if proof, oe := s.checkDPoP(r, s.endpoint("/api/me"), raw, false); oe != nil {
			s.writeDPoPNonce(w, oe, false)
			fail(http.StatusUnauthorized, oe.code, oe.desc)
			return
		} else if proof.jkt != rec.jkt && !s.has(fault.DPoPResourceKeyUnchecked) {
			err = errDPoPBinding
		}
	} else if err == nil && rec.jkt != "" && !s.has(fault.DPoPBearerDowngrade) {
		// RFC 9449 §7.2: a bound token is no bearer token.
		err = errors.New("a DPoP-bound access token was sent as a bearer token")
	}
	if err == nil && rec.x5t != "" {
		// RFC 8705 §3: the certificate of the connection is the token's.
		switch cert := peerCertificate(r); {
		case cert == nil:
			if !s.has(fault.MTLSResourceNoCertAccepted) {
				err = errors.New("the access token is certificate-bound and the connection presented no client certificate")
			}
		case certThumbprint(cert) != rec.x5t && !s.has(fault.MTLSResourceOtherCertAccepted):
			err = errors.New("the client certificate is not the one the access token is bound to")
		}
	}
	if err != nil {
		if s.has(fault.ResourceInvalidTokenWrongError) {
			// The flaw: refused, but not as RFC 6750 §3.1 asks (401 invalid_token).
			fail(http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		fail(http.StatusUnauthorized, "invalid_token", err.Error())
		return
	}
	if fromQuery && s.has(fault.ResourceQueryResponseCacheable) {
		// The flaw: the answer to a request whose URI carries the token
		// may be stored by any cache (RFC 6750 §2.3 asks for "private").
		w.Header().Del("Cache-Control")
	}
	writeJSON(w, http.StatusOK, map[string]string{
		"sub":       rec.subject,
		"client_id": rec.clientID,
		"scope":     strings.Join(rec.scopes, " "),
	})
}
