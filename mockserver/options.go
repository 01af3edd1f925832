package mockserver

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// Options configures a Server. Zero values get secure defaults.
type Options struct {
	Issuer string       // required by New, e.g. "https://127.0.0.1:43123" (no trailing slash); all endpoint URLs derive from it
	Faults []fault.Name // names of enabled faults (see AllFaults), each with the faults it implies; New returns an error naming an unknown fault
	// Variants are the secure look-alikes in force (variants.go): how the
	// server is secure, not whether. Faults apply on top of them.
	Variants []Variant
	// UIOrigin is the origin (scheme://host:port) of the login and error UI
	// app (Server.UIApp) for the variants that put it on another origin
	// (LoginOtherOrigin, ErrorsOtherOrigin); Start serves it on a second
	// loopback port and sets it. New refuses those variants without it.
	UIOrigin             string
	Clients              []Client      // nil => DefaultClients(nil)
	Users                []User        // nil => []User{DefaultUser(nil)}
	CodeLifetime         time.Duration // default 60s
	AccessTokenLifetime  time.Duration // default 10m
	RefreshTokenLifetime time.Duration // default 24h
	// PushedRequestLifetime is how long a request_uri of the PAR endpoint
	// can be used (RFC 9126 §2.2 expires_in); default 60s.
	PushedRequestLifetime time.Duration
	SigningAlg            string // "RS256" (default) or "ES256"
	Now                   func() time.Time
	// PlainHTTP makes Start serve plain HTTP instead of HTTPS (for tests
	// that need it; the issuer is then http://…). New ignores it.
	PlainHTTP bool
	// MTLSOrigin is the origin of the port that asks for client
	// certificates (RFC 8705 mtls_endpoint_aliases); Start serves it and
	// sets it. "" for none. MTLSClientCA is the PEM of the CA whose
	// certificates authenticate tls_client_auth clients.
	MTLSOrigin   string
	MTLSClientCA string
}

// Client is a registered OAuth client.
type Client struct {
	ID, Secret    string   // Secret empty => public client
	RedirectURIs  []string // exact-match list
	ResponseTypes []string // "code", "token", "id_token token" (OpenID Connect implicit)
	GrantTypes    []string // "authorization_code", "refresh_token", "client_credentials", "implicit"
	Scopes        []string // allowed scopes
	AuthMethod    string   // "client_secret_basic" | "client_secret_post" | "none"; confidential clients may use either basic or post regardless
	// AccessTokenLifetime overrides Options.AccessTokenLifetime for this
	// client's access tokens (0: the server's).
	AccessTokenLifetime time.Duration
	// UserinfoSigned: the client is registered for signed UserInfo
	// Responses (OpenID Connect Dynamic Client Registration 1.0 §2
	// userinfo_signed_response_alg, the server's algorithm).
	UserinfoSigned bool
	// Keys are the public keys registered for the client (RFC 7591 jwks):
	// its private_key_jwt assertions (RFC 7523 §2.2) and request objects
	// (RFC 9101) are verified with them.
	Keys []jose.JSONWebKey
	// RequirePAR: the client is registered with
	// require_pushed_authorization_requests (RFC 9126 §6): its
	// authorization requests must come through the PAR endpoint.
	RequirePAR bool
	// DeviceCodeLifetime overrides the lifetime of this client's device and
	// user codes (RFC 8628 §3.2 expires_in; 0: ten minutes).
	DeviceCodeLifetime time.Duration
	// PostLogoutRedirectURIs are the client's post_logout_redirect_uris
	// (OpenID Connect RP-Initiated Logout 1.0 §3), matched exactly.
	PostLogoutRedirectURIs []string
	// FrontchannelLogoutURI and BackchannelLogoutURI are the client's
	// frontchannel_logout_uri (OpenID Connect Front-Channel Logout 1.0 §2)
	// and backchannel_logout_uri (Back-Channel Logout 1.0 §2.2), "" for
	// none; the server asks for iss and sid, and sid, in both.
	FrontchannelLogoutURI, BackchannelLogoutURI string
	// TLSSubject is the subject DN a tls_client_auth client's certificate
	// carries, TLSCertificates the certificates a
	// self_signed_tls_client_auth client registered (RFC 8705 §2.1, §2.2).
	TLSSubject      string
	TLSCertificates []*x509.Certificate
}

// User is a resource owner who can sign in on the login page.
type User struct{ Username, Password, Subject string }

// Secrets holds the credentials of the default clients and user. WebKey
// is web's private key in PEM (NewClientKey): its public half is
// registered for web; "" registers none (RandomSecrets makes none: an RSA
// key takes a while to generate).
type Secrets struct {
	Web, Web2, Service, AlicePassword, WebKey string
	// MTLS are the mTLS clients' certificates (empty: no mTLS clients).
	MTLS MTLSCredentials
	// BackchannelURI is web's backchannel_logout_uri: a loopback URL where
	// whoever runs the checks listens ("" registers none).
	BackchannelURI string
}

// ParRequiredClientID is the default client registered to use pushed
// authorization requests only (RFC 9126 §6).
const ParRequiredClientID = "web-par"

// ShortLivedClientID is the default client whose access tokens live only
// ShortAccessTokenLifetime.
const ShortLivedClientID = "svc-short"

// ShortAccessTokenLifetime is the access token lifetime of ShortLivedClientID:
// short, so that the expiry checks wait seconds.
const ShortAccessTokenLifetime = 2 * time.Second

// DefaultRedirectURI is the redirect URI registered for the browser clients.
const DefaultRedirectURI = "https://client.example.test/callback"

// DefaultPostLogoutRedirectURI is the web client's post_logout_redirect_uri.
const DefaultPostLogoutRedirectURI = "https://client.example.test/logged-out"

// DefaultFrontchannelLogoutURI is the web client's frontchannel_logout_uri:
// on the redirect URI's origin (Front-Channel Logout §2), intercepted like it.
const DefaultFrontchannelLogoutURI = "https://client.example.test/frontchannel-logout"

// SecondRedirectURI is registered, beside DefaultRedirectURI, for "web2": a
// client with several redirect URIs must name one (RFC 6749 §3.1.2.3).
const SecondRedirectURI = "https://client.example.test/callback2"

// secretSuffix contains characters that application/x-www-form-urlencoded
// encoding changes ('+', '!', '$'), so a server that forgets to form-decode
// HTTP Basic credentials fails with clients that encode them correctly.
const secretSuffix = "+!$~"

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("mockserver: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// RandomSecrets returns fresh high-entropy secrets. Every secret ends with
// characters that form-urlencoding changes.
func RandomSecrets() Secrets {
	return Secrets{
		Web:           randomToken(24) + secretSuffix,
		Web2:          randomToken(24) + secretSuffix,
		Service:       randomToken(24) + secretSuffix,
		AlicePassword: randomToken(18) + secretSuffix,
	}
}

// DefaultClients returns the standard client registrations. If s is nil,
// RandomSecrets() is used. legacy-spa is registered for the implicit grant,
// which the server refuses unless the implicit_offered fault is on.
func DefaultClients(s *Secrets) []Client {
	if s == nil {
		r := RandomSecrets()
		s = &r
	}
	browserScopes := []string{"openid", "profile", "email", "address", "phone", "api.read", "offline_access"}
	var webKeys []jose.JSONWebKey
	if s.WebKey != "" {
		// A key that does not parse registers none: the private_key_jwt
		// checks then say that the client's assertions are refused.
		if jwk, err := ClientPublicJWK(s.WebKey); err == nil {
			webKeys = []jose.JSONWebKey{jwk}
		}
	}
	clients := []Client{
		{
			ID:                     "web",
			Secret:                 s.Web,
			RedirectURIs:           []string{DefaultRedirectURI},
			ResponseTypes:          []string{"code", "code id_token", "id_token", "id_token token"},  // the hybrid code id_token (TF-21, HY-01), the implicit id_token (IM-, FI-); id_token token only where the implicit grant is offered (a fault)
			GrantTypes:             []string{"authorization_code", "refresh_token", DeviceGrantType}, // the device grant too: a confidential device client (RFC 8628 §3.1)
			Scopes:                 append([]string(nil), browserScopes...),
			AuthMethod:             "client_secret_basic",
			Keys:                   webKeys,
			PostLogoutRedirectURIs: []string{DefaultPostLogoutRedirectURI},
			FrontchannelLogoutURI:  DefaultFrontchannelLogoutURI,
			BackchannelLogoutURI:   s.BackchannelURI,
		},
		{
			// Registered with require_pushed_authorization_requests (RFC
			// 9126 §6): only pushed requests. It shares web's secret and
			// key: one more secret would be one more variable for every
			// profile of the mock to carry.
			ID:            ParRequiredClientID,
			Secret:        s.Web,
			RedirectURIs:  []string{DefaultRedirectURI},
			ResponseTypes: []string{"code"},
			GrantTypes:    []string{"authorization_code", "refresh_token"},
			Scopes:        append([]string(nil), browserScopes...),
			AuthMethod:    "client_secret_basic",
			Keys:          webKeys,
			RequirePAR:    true,
		},
		{
			ID:             "web2",
			Secret:         s.Web2,
			RedirectURIs:   []string{DefaultRedirectURI, SecondRedirectURI},
			ResponseTypes:  []string{"code"},
			GrantTypes:     []string{"authorization_code", "refresh_token"},
			Scopes:         append([]string(nil), browserScopes...),
			AuthMethod:     "client_secret_basic",
			UserinfoSigned: true, // signed UserInfo Responses (UI-13)
		},
		{
			ID:            "spa",
			RedirectURIs:  []string{DefaultRedirectURI},
			ResponseTypes: []string{"code"},
			GrantTypes:    []string{"authorization_code", "refresh_token"},
			Scopes:        append([]string(nil), browserScopes...),
			AuthMethod:    "none",
		},
		{
			ID:            "legacy-spa",
			RedirectURIs:  []string{DefaultRedirectURI},
			ResponseTypes: []string{"token", "id_token token"},
			GrantTypes:    []string{"implicit"},
			Scopes:        []string{"openid", "profile", "api.read"},
			AuthMethod:    "none",
		},
		{
			ID:         "svc",
			Secret:     s.Service,
			GrantTypes: []string{"client_credentials"},
			Scopes:     []string{"api.read", "api.write"},
			AuthMethod: "client_secret_basic",
		},
		{
			// Tokens that expire while a run waits for them (BR-08, IN-09).
			// It shares svc's secret: one more secret would be one more
			// variable for every profile of the mock to carry.
			ID:                  ShortLivedClientID,
			Secret:              s.Service,
			GrantTypes:          []string{"client_credentials"},
			Scopes:              []string{"api.read"},
			AuthMethod:          "client_secret_basic",
			AccessTokenLifetime: ShortAccessTokenLifetime,
		},
		{
			// A device (RFC 8628): a public client, as TVs and CLIs are.
			ID:         DeviceClientID,
			GrantTypes: []string{DeviceGrantType, "refresh_token"},
			Scopes:     []string{"openid", "profile", "api.read"},
			AuthMethod: "none",
		},
		{
			// A device whose codes expire while a run waits (DEV-04).
			ID:                 ShortDeviceClientID,
			GrantTypes:         []string{DeviceGrantType},
			Scopes:             []string{"api.read"},
			AuthMethod:         "none",
			DeviceCodeLifetime: ShortDeviceCodeLifetime,
		},
	}
	return append(clients, mtlsClients(s.MTLS)...)
}

// mtlsClients are the mTLS clients of c (none without certificates):
// client credentials, authenticated by tls_client_auth and by
// self_signed_tls_client_auth (RFC 8705 §2).
func mtlsClients(c MTLSCredentials) []Client {
	self, err := parseCertificatePEM(c.SelfCert)
	if c.Cert == "" || err != nil {
		return nil
	}
	return []Client{
		{ID: MTLSClientID, GrantTypes: []string{"client_credentials"}, Scopes: []string{"api.read"}, AuthMethod: TLSClientAuth, TLSSubject: MTLSSubject},
		{ID: MTLSSelfClientID, GrantTypes: []string{"client_credentials"}, Scopes: []string{"api.read"}, AuthMethod: SelfSignedTLSClientAuth, TLSCertificates: []*x509.Certificate{self}},
	}
}

// DeviceClientID is the default device client (public); ShortDeviceClientID
// one whose device codes live ShortDeviceCodeLifetime.
const (
	DeviceClientID          = "tv"
	ShortDeviceClientID     = "tv-short"
	ShortDeviceCodeLifetime = 2 * time.Second
)

// DefaultUser returns alice with s.AlicePassword (random if s is nil).
func DefaultUser(s *Secrets) User {
	if s == nil {
		r := RandomSecrets()
		s = &r
	}
	return User{Username: "alice", Password: s.AlicePassword, Subject: "user-alice"}
}

func (c *Client) public() bool { return c.Secret == "" && !c.mtlsClient() }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (c *Client) allowsGrant(g string) bool        { return contains(c.GrantTypes, g) }
func (c *Client) allowsResponseType(t string) bool { return contains(c.ResponseTypes, t) }
