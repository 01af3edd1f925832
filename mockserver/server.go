package mockserver

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

const (
	pendingLifetime = 10 * time.Minute
	sessionLifetime = 8 * time.Hour
	sessionCookie   = "mockserver_session"
)

// Server is an in-memory OAuth 2.0 authorization server with a protected
// resource at /api/me. It implements http.Handler.
type Server struct {
	issuer   string
	basePath string // path component of the issuer ("" for none)
	faults   map[fault.Name]bool
	variants map[Variant]bool
	uiOrigin string // the UI app's origin (LoginOtherOrigin, ErrorsOtherOrigin), "" otherwise
	// mtlsOrigin is the origin of the mutual-TLS port (RFC 8705 §5), ""
	// for none; clientCAs the CAs of tls_client_auth certificates.
	mtlsOrigin string
	clientCAs  *x509.CertPool
	// defaultUser signs in by itself under NoLoginUI: the first by username.
	defaultUser *User

	clients map[string]*Client
	users   map[string]*User
	scopes  []string // union of all client scopes, sorted

	codeLifetime    time.Duration
	accessLifetime  time.Duration
	refreshLifetime time.Duration
	now             func() time.Time

	alg    jose.SignatureAlgorithm
	kid    string // kid of the published key
	priv   crypto.Signer
	pub    crypto.PublicKey
	signer jose.Signer // signs access tokens: typ at+jwt, the published key
	atTyp  string      // typ of the JWT access tokens ("at+jwt")
	// idSigner signs ID Tokens: typ JWT, the published key (an unpublished
	// one with id_token_unpublished_key).
	idSigner jose.Signer
	// verifyKeys is the protected resource's key store, by kid: the
	// published key, plus the unpublished signing key when
	// at_signed_with_unpublished_key is on.
	verifyKeys map[string]crypto.PublicKey
	hmacKey    []byte           // jwks_symmetric_key: the symmetric key published in the JWKS
	dupKidKey  crypto.PublicKey // jwks_duplicate_kid: another public key published under kid
	encKey     crypto.PublicKey // jwks_enc_key_without_use: an encryption key published beside the signing key

	mu        sync.Mutex
	pending   map[string]*pendingAuth
	sessions  map[string]*session
	codes     map[string]*codeRecord
	grants    map[string]*grant
	access    map[string]*accessRecord // by jti
	accessTok map[string]string        // token string -> jti
	refresh   map[string]*refreshRecord
	lastSweep time.Time
	codeSeq   uint32 // weak_codes counter
	atSeq     uint32 // weak_access_tokens counter
	rtSeq     uint32 // weak_refresh_tokens counter
	// userConsents is the consent remembered server-side per user
	// (ConsentRemembered): subject -> client id -> scopes.
	userConsents map[string]map[string]map[string]bool
	// tickets carry a sign-in from the UI app back to the server
	// (LoginOtherOrigin): one-time, short-lived.
	tickets map[string]*loginTicket
	// assertionJTIs are the client assertions already used (client id and
	// jti), until they expire (RFC 7523 §3: single use).
	assertionJTIs map[string]time.Time
	// dpopJTIs are the DPoP proofs already used (target URI and jti),
	// until they expire (RFC 9449 §11.1); dpopNonce is the nonce proofs
	// must carry when the server demands one (RFC 9449 §8).
	dpopJTIs  map[string]time.Time
	dpopNonce string
	// dpopRSNonce is the resource's nonce (RFC 9449 §9), always demanded.
	dpopRSNonce string
	// pushed are the requests pushed to the PAR endpoint (RFC 9126), by
	// the random part of their request_uri; pushedLifetime is how long
	// one can be used.
	pushed         map[string]*pushedRequest
	pushedLifetime time.Duration
	parSeq         uint32 // par_weak_request_uri counter
	// devices are the device authorizations by device code, userCodes
	// their device codes by normalised user code (RFC 8628).
	devices   map[string]*deviceRecord
	userCodes map[string]string
}

type pendingAuth struct {
	id            string
	clientID      string
	redirectURI   string
	redirectGiven bool
	responseType  string
	scopes        []string
	state         string
	challenge     string
	method        string
	nonce         string // OIDC Core §3.1.2.1 nonce, "" if none was sent
	dpopJKT       string // RFC 9449 §10 dpop_jkt, "" if none was sent
	expires       time.Time
	sessionID     string // the browser session this request is bound to after login
	resume        string // redirect_uri_checked_after_login: the authorization URL to replay after sign-in
	// oidc holds the OpenID Connect authentication request parameters
	// (prompt, max_age, id_token_hint; OIDC Core §3.1.2.1).
	oidc oidcRequest
	// responseMode is the request's response_mode; only form_post changes
	// how the response is sent (formpost.go).
	responseMode string
}

type session struct {
	id       string
	username string
	subject  string
	authTime time.Time // when the user signed in (the ID Token's auth_time)
	expires  time.Time
	consents map[string]map[string]bool // client id -> consented scopes
	// rps are the clients the session answered an authentication request
	// of: the RPs a logout notifies (Front-Channel Logout §3).
	rps map[string]bool
}

type codeRecord struct {
	clientID      string
	redirectURI   string
	redirectGiven bool
	subject       string
	scopes        []string
	challenge     string
	method        string
	nonce         string    // the authorization request's nonce, for the ID Token
	dpopJKT       string    // the authorization request's dpop_jkt (RFC 9449 §10)
	authTime      time.Time // the session's sign-in time, for the ID Token
	sid           string    // the session's sid, for the ID Token (Front-Channel Logout §3)
	expires       time.Time
	used          bool
	grantIDs      []string // grants created by redeeming this code
}

// grant groups every token derived from one authorization (one code
// redemption, one implicit response or one client_credentials request).
type grant struct {
	id       string
	clientID string
	subject  string
	scopes   []string
	revoked  bool
}

type accessRecord struct {
	jti      string
	grantID  string
	clientID string
	subject  string
	scopes   []string
	iat, exp time.Time
	revoked  bool
	jwt      string // the JWT as issued, without any token_non_vschar suffix; "" for an opaque token
	unsigned bool   // at_alg_none: jwt is an unsecured JWT
	jkt      string // the DPoP key the token is bound to (RFC 9449 §6), "" for a bearer token
	x5t      string // the client certificate it is bound to (RFC 8705 §3), "" for none
}

type refreshRecord struct {
	grantID   string
	clientID  string
	subject   string
	scopes    []string
	iat, exp  time.Time
	rotated   bool      // already exchanged; presenting it again revokes the grant
	rotatedAt time.Time // when it was first exchanged
	revoked   bool
	jkt       string // a public client's DPoP key (RFC 9449 §5), "" when unbound
}

// New builds a Server from opts, with the faults opts.Faults names and
// those they imply (Fault.Implies).
func New(opts Options) (*Server, error) {
	if opts.Issuer == "" {
		return nil, errors.New("mockserver: Issuer is required")
	}
	u, err := url.Parse(opts.Issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(opts.Issuer, "/") || u.User != nil {
		return nil, fmt.Errorf("mockserver: invalid issuer %q (want scheme://host[:port][/path] without trailing slash, query or fragment)", opts.Issuer)
	}
	faults, err := parseFaults(opts.Faults)
	if err != nil {
		return nil, err
	}
	variants, err := variantSet(opts.Variants)
	if err != nil {
		return nil, err
	}
	if needsUIOrigin(variants) {
		ui, err := url.Parse(opts.UIOrigin)
		if opts.UIOrigin == "" || err != nil || (ui.Scheme != "http" && ui.Scheme != "https") || ui.Host == "" || (ui.Path != "" && ui.Path != "/") {
			return nil, fmt.Errorf("mockserver: variants %v need Options.UIOrigin, the origin of a second listener serving UIApp (Start provides it), not %q", opts.Variants, opts.UIOrigin)
		}
		if ui.Host == u.Host && ui.Scheme == u.Scheme {
			return nil, fmt.Errorf("mockserver: Options.UIOrigin %s is the issuer's own origin", opts.UIOrigin)
		}
	}
	s := &Server{
		issuer:          opts.Issuer,
		basePath:        u.EscapedPath(),
		faults:          faults,
		variants:        variants,
		uiOrigin:        strings.TrimSuffix(opts.UIOrigin, "/"),
		mtlsOrigin:      strings.TrimSuffix(opts.MTLSOrigin, "/"),
		userConsents:    map[string]map[string]map[string]bool{},
		tickets:         map[string]*loginTicket{},
		clients:         map[string]*Client{},
		users:           map[string]*User{},
		codeLifetime:    orDefault(opts.CodeLifetime, 60*time.Second),
		accessLifetime:  orDefault(opts.AccessTokenLifetime, 10*time.Minute),
		refreshLifetime: orDefault(opts.RefreshTokenLifetime, 24*time.Hour),
		now:             opts.Now,
		pending:         map[string]*pendingAuth{},
		sessions:        map[string]*session{},
		codes:           map[string]*codeRecord{},
		grants:          map[string]*grant{},
		access:          map[string]*accessRecord{},
		accessTok:       map[string]string{},
		refresh:         map[string]*refreshRecord{},
		dpopJTIs:        map[string]time.Time{},
		dpopNonce:       randomToken(16),
		dpopRSNonce:     randomToken(16),
		pushed:          map[string]*pushedRequest{},
		pushedLifetime:  orDefault(opts.PushedRequestLifetime, defaultPushedLifetime),
		devices:         map[string]*deviceRecord{},
		userCodes:       map[string]string{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.clientCAs, err = clientCAPool(opts.MTLSClientCA); err != nil {
		return nil, err
	}

	clients, users := opts.Clients, opts.Users
	if clients == nil || users == nil {
		sec := RandomSecrets()
		if clients == nil {
			clients = DefaultClients(&sec)
		}
		if users == nil {
			users = []User{DefaultUser(&sec)}
		}
	}
	scopeSet := map[string]bool{}
	for i := range clients {
		c := clients[i]
		if c.ID == "" {
			return nil, errors.New("mockserver: client with empty ID")
		}
		if _, dup := s.clients[c.ID]; dup {
			return nil, fmt.Errorf("mockserver: duplicate client %q", c.ID)
		}
		c.RedirectURIs = append([]string(nil), c.RedirectURIs...)
		c.ResponseTypes = append([]string(nil), c.ResponseTypes...)
		c.GrantTypes = append([]string(nil), c.GrantTypes...)
		c.Scopes = append([]string(nil), c.Scopes...)
		c.Keys = append([]jose.JSONWebKey(nil), c.Keys...)
		s.clients[c.ID] = &c
		for _, sc := range c.Scopes {
			scopeSet[sc] = true
		}
	}
	for sc := range scopeSet {
		s.scopes = append(s.scopes, sc)
	}
	sort.Strings(s.scopes)
	for i := range users {
		us := users[i]
		if us.Username == "" {
			return nil, errors.New("mockserver: user with empty Username")
		}
		if us.Subject == "" {
			us.Subject = "user-" + us.Username
		}
		if faults[fault.IDTokenLongSub] {
			// The flaw: subject identifiers longer than 255 characters.
			us.Subject += "-" + strings.Repeat("x", 256)
		}
		s.users[us.Username] = &us
		if s.defaultUser == nil || us.Username < s.defaultUser.Username {
			s.defaultUser = s.users[us.Username]
		}
	}
	if s.is(NoLoginUI) && s.defaultUser == nil {
		return nil, errors.New("mockserver: variant no_login_ui needs a user to sign in")
	}

	signingAlg := opts.SigningAlg
	if faults[fault.MetadataNoRS256] {
		// The flaw: an OP that signs (and advertises) ES256 only.
		signingAlg = "ES256"
	}
	switch signingAlg {
	case "", "RS256":
		s.alg = jose.RS256
	case "ES256":
		s.alg = jose.ES256
	default:
		return nil, fmt.Errorf("mockserver: unsupported SigningAlg %q (want RS256 or ES256)", opts.SigningAlg)
	}
	if s.priv, s.kid, err = newSigningKey(s.alg); err != nil {
		return nil, err
	}
	s.pub = s.priv.Public()
	if s.is(JWKSNoKid) {
		// A JWKS of one key needs no kid (RFC 7517 §4.5 is OPTIONAL), and
		// the tokens' headers then name none (RFC 7515 §4.1.4).
		s.kid = ""
	}
	s.verifyKeys = map[string]crypto.PublicKey{s.kid: s.pub}
	signKey, signKid := s.priv, s.kid
	if s.has(fault.AtSignedWithUnpublishedKey) {
		// The flaw: tokens are signed with a second key that the JWKS
		// never shows. The resource has it in its own key store.
		if signKey, signKid, err = newSigningKey(s.alg); err != nil {
			return nil, err
		}
		s.verifyKeys[signKid] = signKey.Public()
	}
	s.atTyp = "at+jwt" // RFC 9068 §2.1
	if s.has(fault.AtTypJWT) || s.is(JWTAccessTokensPlain) {
		s.atTyp = "JWT"
	}
	s.signer, err = jose.NewSigner(
		jose.SigningKey{Algorithm: s.alg, Key: jose.JSONWebKey{Key: signKey, KeyID: signKid}},
		(&jose.SignerOptions{}).WithType(jose.ContentType(s.atTyp)),
	)
	if err != nil {
		return nil, fmt.Errorf("mockserver: signer: %w", err)
	}
	// ID Tokens (OIDC Core §2) are signed with the published key, so that
	// a relying party verifies them with the JWKS (OIDC Core §10.1).
	idKey, idKid, idAlg := s.priv, s.kid, s.alg
	if s.has(fault.IDTokenAlgNotAdvertised) && s.alg == jose.RS256 {
		// The flaw: ID Tokens signed PS256, with the published RSA key,
		// while the metadata advertises RS256 only.
		idAlg = jose.PS256
	}
	if s.has(fault.IDTokenUnpublishedKey) {
		// The flaw: a key whose kid the JWKS never shows.
		if idKey, idKid, err = newSigningKey(s.alg); err != nil {
			return nil, err
		}
	}
	s.idSigner, err = jose.NewSigner(
		jose.SigningKey{Algorithm: idAlg, Key: jose.JSONWebKey{Key: idKey, KeyID: idKid}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		return nil, fmt.Errorf("mockserver: ID Token signer: %w", err)
	}
	s.hmacKey = []byte(randomToken(32))
	if s.has(fault.JWKSEncKeyWithoutUse) {
		enc, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		s.encKey = enc.Public()
	}
	if s.has(fault.JWKSDuplicateKid) {
		// The flaw: an unrelated key that the JWKS will publish under the
		// signing key's kid.
		other, _, err := newSigningKey(s.alg)
		if err != nil {
			return nil, err
		}
		s.dupKidKey = other.Public()
	}
	return s, nil
}

// newSigningKey generates a key for alg and its RFC 7638 thumbprint as kid.
func newSigningKey(alg jose.SignatureAlgorithm) (crypto.Signer, string, error) {
	var priv crypto.Signer
	var err error
	if alg == jose.ES256 {
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	} else {
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	}
	if err != nil {
		return nil, "", fmt.Errorf("mockserver: generating key: %w", err)
	}
	pubJWK := jose.JSONWebKey{Key: priv.Public()}
	tp, err := pubJWK.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, "", fmt.Errorf("mockserver: key thumbprint: %w", err)
	}
	return priv, base64.RawURLEncoding.EncodeToString(tp), nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Issuer returns the issuer identifier.
func (s *Server) Issuer() string { return s.issuer }

func (s *Server) endpoint(path string) string { return s.issuer + path }

// resourceAudience is the audience of access tokens: the protected resource.
func (s *Server) resourceAudience() string { return s.issuer + "/api" }

// ServeHTTP routes requests to the endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	// RFC 8414 §3: for an issuer with a path, metadata lives at
	// /.well-known/oauth-authorization-server/<path>.
	if s.basePath != "" {
		switch p {
		case "/.well-known/oauth-authorization-server" + s.basePath,
			"/.well-known/openid-configuration" + s.basePath:
			p = strings.TrimSuffix(p, s.basePath)
		default:
			if !strings.HasPrefix(p, s.basePath+"/") {
				http.NotFound(w, r)
				return
			}
			p = strings.TrimPrefix(p, s.basePath)
		}
	}
	switch p {
	case "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration":
		s.handleMetadata(w, r)
	case "/jwks":
		s.handleJWKS(w, r)
	case "/authorize":
		s.handleAuthorize(w, r)
	case "/login":
		s.handleLogin(w, r)
	case signinPath:
		s.handleSignin(w, r, false)
	case loginCallbackPath:
		s.handleLoginCallback(w, r)
	case loginScriptPath:
		s.handleLoginScript(w, r)
	case "/consent":
		s.handleConsent(w, r)
	case logoutPath:
		s.handleLogout(w, r)
	case checkSessionPath:
		s.handleCheckSession(w, r)
	case "/token":
		s.handleToken(w, r)
	case parPath:
		s.handlePAR(w, r)
	case "/revoke":
		s.handleRevoke(w, r)
	case "/introspect":
		s.handleIntrospect(w, r)
	case "/api/me":
		s.handleMe(w, r)
	case DeviceAuthorizationPath:
		s.handleDeviceAuthorization(w, r)
	case DeviceVerificationPath:
		s.handleDeviceVerification(w, r)
	case userinfoPath:
		s.handleUserinfo(w, r)
	case pixelPath:
		s.handlePixel(w, r)
	default:
		http.NotFound(w, r)
	}
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET, HEAD")
		return
	}
	issuer := s.issuer
	if s.has(fault.MetadataIssuerMismatch) {
		issuer += "/"
	}
	openid := strings.Contains(r.URL.Path, "/.well-known/openid-configuration")
	if openid && s.has(fault.OpenIDConfigurationIssuerMismatch) {
		// The flaw: the OpenID Provider configuration names another issuer
		// (the RFC 8414 document stays right).
		issuer += "/op"
	}
	// response_types_supported and grant_types_supported list what the
	// server does (RFC 8414 §2): no implicit grant (RFC 9700 §2.1.2) and no
	// password grant (RFC 9700 §2.4) unless a fault turns them on.
	responseTypes := []string{"code", "code id_token", "id_token"}
	grantTypes := []string{"authorization_code", "refresh_token", "client_credentials", DeviceGrantType}
	if s.has(fault.ImplicitOffered) {
		if !s.has(fault.MetadataOmitsTokenResponseType) {
			responseTypes = append(responseTypes, "token", "id_token token")
		}
		grantTypes = append(grantTypes, "implicit")
	}
	if s.has(fault.HybridTokenOffered) {
		// Said as it is done: the confidential clients get code token.
		responseTypes = append(responseTypes, responseCodeToken)
	}
	if s.has(fault.PasswordGrantEnabled) {
		grantTypes = append(grantTypes, "password")
	}
	if s.has(fault.MetadataAdvertisesUnsupportedGrant) {
		// The flaw: a grant the token endpoint does not know (RFC 8414 §2).
		grantTypes = append(grantTypes, "urn:ietf:params:oauth:grant-type:saml2-bearer")
	}
	scopes := s.scopes
	if !contains(scopes, "openid") {
		scopes = append(append([]string(nil), scopes...), "openid")
		sort.Strings(scopes)
	}
	md := map[string]any{
		"issuer":                                         issuer,
		"authorization_endpoint":                         s.endpoint("/authorize"),
		"token_endpoint":                                 s.endpoint("/token"),
		"revocation_endpoint":                            s.endpoint("/revoke"),
		"introspection_endpoint":                         s.endpoint("/introspect"),
		"jwks_uri":                                       s.endpoint("/jwks"),
		"response_types_supported":                       responseTypes,
		"response_modes_supported":                       []string{"query", "fragment", responseModeFormPost},
		"grant_types_supported":                          grantTypes,
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"},
		"revocation_endpoint_auth_methods_supported":     []string{"client_secret_basic", "client_secret_post", "none"},
		"introspection_endpoint_auth_methods_supported":  []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":               []string{"S256"},
		"scopes_supported":                               scopes,
		"authorization_response_iss_parameter_supported": true,
		// OpenID Connect Discovery 1.0 §3.
		"id_token_signing_alg_values_supported": []string{string(s.alg)},
		"subject_types_supported":               []string{"public"},
		"userinfo_endpoint":                     s.endpoint(userinfoPath),
		// OpenID Connect RP-Initiated Logout 1.0 §2.1.
		"end_session_endpoint": s.endpoint(logoutPath),
		"claims_supported":     []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "name", "family_name", "given_name", "preferred_username", "updated_at", "email", "email_verified", "address", "phone_number", "phone_number_verified"},
		// RFC 9449 §5.1.
		"dpop_signing_alg_values_supported": DPoPAlgs,
		// RFC 8628 §4.
		"device_authorization_endpoint": s.endpoint(DeviceAuthorizationPath),
		// RFC 8705 §3.3: tokens asked for over mutual TLS are bound.
		"tls_client_certificate_bound_access_tokens": s.mtlsOrigin != "",
	}
	// OpenID Connect Discovery 1.0 §3: the algorithms of signed UserInfo
	// Responses (for clients registered for them, web2 by default).
	md["userinfo_signing_alg_values_supported"] = []string{string(s.alg)}
	// RFC 9126 §5: the PAR endpoint; PAR is required of the clients
	// registered so (web-par), not of all.
	md["pushed_authorization_request_endpoint"] = s.endpoint(parPath)
	md["require_pushed_authorization_requests"] = false
	// RFC 9101, OpenID Connect Discovery 1.0 §3: request objects by value
	// and by reference, signed (never alg none).
	md["request_parameter_supported"] = true
	md["request_uri_parameter_supported"] = true
	md["require_request_uri_registration"] = false
	md["request_object_signing_alg_values_supported"] = []string{string(jose.PS256), string(jose.ES256)}
	// RFC 8414 §2: MUST be present when client_secret_jwt or
	// private_key_jwt is listed.
	md["token_endpoint_auth_signing_alg_values_supported"] = []string{string(jose.HS256), string(jose.PS256), string(jose.ES256)}
	// Session Management, Front-Channel and Back-Channel Logout (rplogout.go).
	s.logoutMetadata(md)
	if s.has(fault.MetadataHTTPEndpoint) {
		// The flaw: one endpoint without TLS, in the metadata of an https issuer.
		md["revocation_endpoint"] = "http://" + strings.TrimPrefix(strings.TrimPrefix(s.endpoint("/revoke"), "https://"), "http://")
	}
	if s.has(fault.PKCEPlainAllowed) {
		md["code_challenge_methods_supported"] = []string{"S256", "plain"}
	}
	if s.has(fault.IssNotAdvertised) {
		delete(md, "authorization_response_iss_parameter_supported")
	}
	if s.has(fault.MetadataMissingResponseTypes) {
		delete(md, "response_types_supported")
	}
	if s.has(fault.MetadataNoPKCEMethods) {
		delete(md, "code_challenge_methods_supported")
	}
	if s.has(fault.MetadataNoSubjectTypes) {
		delete(md, "subject_types_supported")
	}
	if s.has(fault.MetadataNoUserinfoEndpoint) {
		delete(md, "userinfo_endpoint")
		delete(md, "userinfo_signing_alg_values_supported")
	}
	if s.has(fault.MetadataScopesWithoutOpenID) {
		var without []string
		for _, sc := range scopes {
			if sc != "openid" {
				without = append(without, sc)
			}
		}
		md["scopes_supported"] = without
	}
	if aliases := s.mtlsAliases(); aliases != nil {
		// RFC 8705 §5, §2.1.1, §2.2.1.
		md["mtls_endpoint_aliases"] = aliases
		md["token_endpoint_auth_methods_supported"] = append(md["token_endpoint_auth_methods_supported"].([]string), TLSClientAuth, SelfSignedTLSClientAuth)
	}
	w.Header().Set("Cache-Control", "no-cache")
	// RFC 8414 §3.2: application/json.
	if s.has(fault.MetadataWrongContentType) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_ = json.NewEncoder(w).Encode(md)
		return
	}
	writeJSON(w, http.StatusOK, md)
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET, HEAD")
		return
	}
	if s.has(fault.JWKSNotAKeySet) {
		// The flaw: jwks_uri answers something that is not a JWK Set.
		writeJSON(w, http.StatusOK, map[string]any{"keys": "see the documentation"})
		return
	}
	// Public keys only (RFC 8414 §2, RFC 7517 §9.2).
	var key any = s.pub
	if s.has(fault.JWKSPrivateKey) {
		key = s.priv
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: key, KeyID: s.kid, Use: "sig", Algorithm: string(s.alg),
	}}}
	if s.has(fault.JWKSDuplicateKid) {
		// The flaw: two different keys share one kid (RFC 7517 §4.5).
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: s.dupKidKey, KeyID: s.kid, Use: "sig", Algorithm: string(s.alg)})
	}
	if s.has(fault.JWKSEncKeyWithoutUse) {
		// The flaw: an encryption key beside the signing key, neither
		// labelled with use.
		set.Keys[0].Use = ""
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: s.encKey, KeyID: "enc-1", Algorithm: "RSA-OAEP-256"})
	}
	if s.has(fault.JWKSSymmetricKey) {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: s.hmacKey, KeyID: "hmac-1", Use: "sig", Algorithm: string(jose.HS256)})
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "no-cache")
	_ = json.NewEncoder(w).Encode(set)
}

// sweepLocked drops expired state at most once a minute. Caller holds s.mu.
func (s *Server) sweepLocked() {
	now := s.now()
	if now.Sub(s.lastSweep) < time.Minute {
		return
	}
	s.lastSweep = now
	for k, p := range s.pending {
		if now.After(p.expires) {
			delete(s.pending, k)
		}
	}
	for k, t := range s.tickets {
		if now.After(t.expires) {
			delete(s.tickets, k)
		}
	}
	for k, se := range s.sessions {
		if now.After(se.expires) {
			delete(s.sessions, k)
		}
	}
	// Codes are kept for a while after expiry so that replays of an expired
	// code are still recognised as such; drop them after ten lifetimes.
	s.sweepDevicesLocked(now)
	for k, exp := range s.dpopJTIs {
		if now.After(exp) {
			delete(s.dpopJTIs, k)
		}
	}
	for k, c := range s.codes {
		if now.After(c.expires.Add(10 * s.codeLifetime)) {
			delete(s.codes, k)
		}
	}
}
