// Package profile loads and validates a target profile: the YAML description
// of the authorization server under test, its clients (by role), the test
// user and the browser steps that log in on the provider's own pages.
//
// Secrets never live in the file: "${VAR}" is replaced by the environment
// variable VAR, and an unset variable is an error naming the field.
package profile

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/oauthconform/oauthconform/internal/runconfig"

	"github.com/oauthconform/oauthconform/internal/configerr"
)

// Profile is one target authorization server.
type Profile struct {
	Name        string    `yaml:"name"`
	Issuer      string    `yaml:"issuer"`
	Endpoints   Endpoints `yaml:"endpoints"`
	Resource    string    `yaml:"resource"`
	RedirectURI string    `yaml:"redirect_uri"`
	Clients     Clients   `yaml:"clients"`
	User        User      `yaml:"user"`
	Login       []Step    `yaml:"login"`
	// LoginError is the CSS selector of the provider's message on a failed
	// login (e.g. "#error, .alert-danger"). While one of its elements shows
	// text, the login stops with "login failed: <that text>".
	LoginError string `yaml:"login_error"`
	// ConsentDeny is the CSS selector of the consent page's deny button. The
	// access_denied check runs the login steps with each optional click (the
	// consent approval) replaced by a click on it; without it that check is skipped.
	ConsentDeny string `yaml:"consent_deny"`
	// CodeLifetime is the authorization code lifetime the provider declares
	// (e.g. 60s); the expiry check redeems a code after it. Without it that
	// check is skipped.
	CodeLifetime time.Duration `yaml:"code_lifetime"`
	// AccessTokens names the access token profile the provider documents:
	// "rfc9068" (JWT access tokens, RFC 9068) makes TF-01 and TF-02 apply to
	// every JWT access token, whatever its typ. Without it they apply to
	// tokens that declare the profile themselves (typ at+jwt); any other
	// JWT access token is reported as information. "unspecified" says so
	// explicitly (the same as leaving it out).
	AccessTokens string `yaml:"access_tokens"`
	// DPoPResource is a protected resource that accepts DPoP-bound access
	// tokens (RFC 9449 §7); the DPoP checks at the resource need it.
	DPoPResource string `yaml:"dpop_resource"`
	// MTLSResource is a protected resource that takes certificate-bound
	// tokens over mutual TLS (RFC 8705 §3): MTLS-05, MTLS-06.
	MTLSResource string `yaml:"mtls_resource"`
	// DeviceFlow are the device flow's steps (clients.device).
	DeviceFlow *DeviceFlow `yaml:"device_flow"`
	// PostLogoutRedirectURI is registered as a post_logout_redirect_uri of
	// the confidential client (OpenID Connect RP-Initiated Logout 1.0):
	// the logout checks run only with it. Nothing needs to listen there.
	PostLogoutRedirectURI string `yaml:"post_logout_redirect_uri"`
	// FrontchannelLogoutURI is registered as the confidential client's
	// frontchannel_logout_uri (OpenID Connect Front-Channel Logout 1.0 §2),
	// on the redirect URI's origin: the browser's request to it is
	// intercepted. BackchannelLogoutURI is its backchannel_logout_uri
	// (Back-Channel Logout 1.0 §2.2), a loopback http URL where the harness
	// listens for the provider's logout_token while a logout check runs.
	FrontchannelLogoutURI string `yaml:"frontchannel_logout_uri"`
	BackchannelLogoutURI  string `yaml:"backchannel_logout_uri"`
	// Logout are the steps on the provider's logout confirmation page, if
	// it shows one to a logout request with a valid id_token_hint (a
	// "Yes, sign me out" button, say); none for a provider that logs out
	// at once.
	Logout []Step `yaml:"logout"`

	// Path is the file the profile was read from.
	Path string `yaml:"-"`
	// loginGiven: the file has a login key, possibly an empty list (a
	// provider with no login UI at all, which redirects straight back).
	loginGiven bool
}

// Endpoints override or replace discovery (RFC 8414); each is optional.
type Endpoints struct {
	Authorization string `yaml:"authorization"`
	Token         string `yaml:"token"`
	Revocation    string `yaml:"revocation"`
	Introspection string `yaml:"introspection"`
	JWKS          string `yaml:"jwks"`
}

// Clients are the roles the checks need. A nil role skips the checks that need it.
type Clients struct {
	Confidential  *Client `yaml:"confidential"`  // authorization code with a secret
	Confidential2 *Client `yaml:"confidential2"` // a second confidential client, for binding checks
	Public        *Client `yaml:"public"`        // authorization code with PKCE, no secret
	Implicit      *Client `yaml:"implicit"`      // response_type token (or "id_token token")
	Service       *Client `yaml:"service"`       // client credentials
	// ShortLived is a client credentials client whose access tokens expire
	// within seconds: the expiry checks (BR-08, IN-09) wait for one.
	ShortLived *Client `yaml:"short_lived"`
	// ParRequired is a confidential client registered with
	// require_pushed_authorization_requests (RFC 9126 §6): its plain
	// authorization requests must be refused. Optional: a provider that
	// requires PAR of every client says so in its metadata, and the
	// confidential client serves.
	ParRequired *Client `yaml:"par_required"`
	// Device is a device authorization grant client (RFC 8628), public or
	// confidential; DeviceShortLived one whose device codes expire within
	// seconds (DEV-04 waits for one). The user's part runs in the browser
	// with the login steps and device_flow's steps.
	Device           *Client `yaml:"device"`
	DeviceShortLived *Client `yaml:"device_short_lived"`
	// KeyOnly is a confidential client registered for private_key_jwt
	// alone (RFC 7523 §2.2), for a provider that binds each client to its
	// one method: the PKJ checks authenticate it with its private_key.
	KeyOnly *Client `yaml:"private_key_jwt"`
	// MTLS is a client that authenticates by tls_client_auth, MTLSSelfSigned
	// one by self_signed_tls_client_auth (RFC 8705 §2), each with its
	// certificate and private_key; their tokens are certificate-bound.
	MTLS           *Client `yaml:"mtls"`
	MTLSSelfSigned *Client `yaml:"mtls_self_signed"`
}

// DeviceFlow describes the provider's verification pages (RFC 8628 §3.3):
// the steps that follow the login steps at the verification URI — enter the
// user code ({{user_code}} expands to it in a fill step's value), submit,
// approve, and any optional page after (a consent) — and the deny button
// that replaces the last step that is not optional, the approval (DEV-05).
type DeviceFlow struct {
	Steps []Step `yaml:"steps"`
	Deny  string `yaml:"deny"`
}

// UserCodePlaceholder is what a device_flow fill step's value holds for the
// user code; the harness replaces it with the code it enters.
const UserCodePlaceholder = "{{user_code}}"

// Client is one registered client.
type Client struct {
	ID         string `yaml:"id"`
	Secret     string `yaml:"secret"`
	AuthMethod string `yaml:"auth_method"` // client_secret_basic (default for a client with a secret) or client_secret_post
	// AlsoRegistered lists further token endpoint authentication methods
	// the client is registered for (client_secret_basic, client_secret_post,
	// client_secret_jwt). A provider may bind each client to the one
	// method it registered (RFC 7591 §2); the checks of an advertised
	// method (DSC-09, CA-06..CA-10) skip when no client is registered for it.
	AlsoRegistered []string `yaml:"also_registered"`
	Scopes         []string `yaml:"scopes"`        // requested scopes
	ResponseType   string   `yaml:"response_type"` // implicit role only: "token" (default) or "id_token token"
	// ResponseTypes lists every response_type the provider registered for
	// the implicit client. A check of what a client registered without
	// "code" may obtain (AE-16) runs only when the profile says so: the
	// one response_type the flows use is not the client's whole
	// registration (a provider may register a client for several).
	ResponseTypes []string `yaml:"response_types"`
	// GrantTypes lists every grant type the provider registered for the
	// client (authorization_code, refresh_token, client_credentials…).
	// A check of a grant the client is not registered for (CC-08) runs
	// only when the profile says so.
	GrantTypes []string `yaml:"grant_types"`
	// RedirectURIs lists every redirect URI registered for this client when
	// there are several (RU-21: a request without redirect_uri must then be
	// refused). The profile's redirect_uri, which the flows use, is the first.
	RedirectURIs []string `yaml:"redirect_uris"`
	// TokenLifetime is the access token lifetime the provider gives this
	// client, for a provider whose token responses carry no expires_in
	// (short_lived role only).
	TokenLifetime time.Duration `yaml:"token_lifetime"`
	// PrivateKey is the client's private key, registered with the provider
	// by its public half: a PEM block (PKCS #8, PKCS #1 or SEC 1), usually
	// from a ${VAR}, or the path of a PEM file (relative to the profile).
	// The client then authenticates by private_key_jwt (OIDC Core §9, RFC
	// 7523 §2.2) and signs request objects (RFC 9101) with it.
	PrivateKey string `yaml:"private_key"`
	// KeyID is the kid the provider registered the key under (optional:
	// without it the JWTs name no kid).
	KeyID string `yaml:"key_id"`
	// KeyAlg is the JWS algorithm to sign with (PS256, RS256, ES256, ...);
	// without it, the first that fits the key in the provider's
	// token_endpoint_auth_signing_alg_values_supported.
	KeyAlg string `yaml:"key_alg"`

	// Certificate is the client's X.509 certificate for mutual TLS (RFC
	// 8705): PEM (the text, usually from a ${VAR}, or a file), with the
	// private_key of its public key.
	Certificate string `yaml:"certificate"`

	// signer is PrivateKey, parsed by the loader; tlsCert Certificate with it.
	signer  crypto.Signer
	tlsCert *tls.Certificate
}

// TLSCertificate is the client's certificate with its key, for mutual TLS
// (nil when the profile gives none).
func (c *Client) TLSCertificate() *tls.Certificate { return c.tlsCert }

// parseCertificate reads PEM certificates (the text itself, or the file it
// names) and pairs them with key.
func parseCertificate(dir, v string, key crypto.Signer) (*tls.Certificate, error) {
	text := v
	if !strings.Contains(v, "-----BEGIN") {
		path := v
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		text = string(b)
	}
	out := &tls.Certificate{PrivateKey: key}
	rest := []byte(text)
	for {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			out.Certificate = append(out.Certificate, block.Bytes)
		}
	}
	if len(out.Certificate) == 0 {
		return nil, errors.New("no PEM CERTIFICATE block")
	}
	leaf, err := x509.ParseCertificate(out.Certificate[0])
	if err != nil {
		return nil, err
	}
	if key == nil || !publicKeysEqual(leaf.PublicKey, key.Public()) {
		return nil, errors.New("the certificate is not of the client's private_key")
	}
	out.Leaf = leaf
	return out, nil
}

// publicKeysEqual compares two public keys.
func publicKeysEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

// Signer is the client's private key, nil when the profile gives none.
func (c *Client) Signer() crypto.Signer { return c.signer }

// keyAlgs are the JWS algorithms a private key may sign with, by key type.
var keyAlgs = map[string][]string{
	"RSA": {"PS256", "RS256", "PS384", "RS384", "PS512", "RS512"},
	"EC":  {"ES256", "ES384", "ES512"},
}

// KeyAlgs are the JWS algorithms the client's key can sign with, the
// profile's key_alg alone when it names one.
func (c *Client) KeyAlgs() []string {
	if c.signer == nil {
		return nil
	}
	if c.KeyAlg != "" {
		return []string{c.KeyAlg}
	}
	return KeyTypeAlgs(c.signer)
}

// KeyTypeAlgs are the JWS algorithms a key of k's type and size signs with.
func KeyTypeAlgs(k crypto.Signer) []string {
	switch pub := k.Public().(type) {
	case *rsa.PublicKey:
		return keyAlgs["RSA"]
	case *ecdsa.PublicKey:
		switch pub.Curve.Params().BitSize {
		case 256:
			return []string{"ES256"}
		case 384:
			return []string{"ES384"}
		case 521:
			return []string{"ES512"}
		}
	}
	return nil
}

// parsePrivateKey reads a PEM private key: the text itself, or the file it names.
func parsePrivateKey(dir, v string) (crypto.Signer, error) {
	text := v
	if !strings.Contains(v, "-----BEGIN") {
		path := v
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("not a PEM block, nor a readable file: %v", errors.Unwrap(err))
		}
		text = string(data)
	}
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("a PEM block of type %q, not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("the PEM private key does not parse")
	}
	signer, ok := key.(crypto.Signer)
	if !ok || KeyTypeAlgs(signer) == nil {
		return nil, errors.New("not an RSA or EC (P-256, P-384, P-521) private key")
	}
	return signer, nil
}

// User is the resource owner the login steps sign in.
type User struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

// Step is one browser action on the provider's login pages. Exactly one of
// Fill, Click, WaitURL and WaitFor is set.
type Step struct {
	Fill     string `yaml:"fill"`     // CSS selector of an input to type Value into
	Value    string `yaml:"value"`    // may use {{user.username}} and {{user.password}}
	Click    string `yaml:"click"`    // CSS selector of an element to click
	WaitURL  string `yaml:"wait_url"` // wait until the page URL contains this text
	WaitFor  string `yaml:"wait_for"` // wait until this CSS selector matches
	Optional bool   `yaml:"optional"` // skip the step when its target does not come (see the README)

	// LoginError is the profile's login_error, copied onto each step by the
	// loader so that the driver sees it with the steps.
	LoginError string `yaml:"-"`
}

// Describe is a short, secret-free description of the step for messages.
func (s Step) Describe() string {
	opt := ""
	if s.Optional {
		opt = " (optional)"
	}
	switch {
	case s.Fill != "":
		return "fill " + s.Fill + opt
	case s.Click != "":
		return "click " + s.Click + opt
	case s.WaitURL != "":
		return "wait_url " + s.WaitURL + opt
	default:
		return "wait_for " + s.WaitFor + opt
	}
}

// ImplicitResponseType is the response_type the implicit role uses.
func (c *Client) ImplicitResponseType() string {
	if c.ResponseType == "" {
		return "token"
	}
	return c.ResponseType
}

// UsesPost reports whether the client authenticates with client_secret_post.
func (c *Client) UsesPost() bool { return c.AuthMethod == "client_secret_post" }

// RegisteredFor reports whether the profile says the client is registered
// for the token endpoint authentication method m: its auth_method
// (client_secret_basic for a client with a secret that declares none; none
// for a client without a secret) or one of also_registered.
func (c *Client) RegisteredFor(m string) bool {
	declared := c.AuthMethod
	switch {
	case c.Secret == "":
		declared = "none"
	case declared == "":
		declared = "client_secret_basic"
	}
	if declared == m {
		return true
	}
	for _, a := range c.AlsoRegistered {
		if a == m {
			return true
		}
	}
	return false
}

// Secrets lists every secret value of the profile (client secrets, the
// user's password), once each, for redaction.
func (p *Profile) Secrets() []string {
	var out []string
	for _, c := range []*Client{p.Clients.Confidential, p.Clients.Confidential2, p.Clients.Public, p.Clients.Implicit, p.Clients.Service, p.Clients.ShortLived, p.Clients.ParRequired, p.Clients.Device, p.Clients.DeviceShortLived, p.Clients.KeyOnly, p.Clients.MTLS, p.Clients.MTLSSelfSigned} {
		if c != nil && c.Secret != "" && !slices.Contains(out, c.Secret) {
			out = append(out, c.Secret)
		}
		// A private key given inline (a ${VAR}): each line of its PEM
		// body, so that no fragment of it survives in evidence (the
		// redactor replaces whole PEM blocks by their form).
		if c != nil && strings.Contains(c.PrivateKey, "-----BEGIN") {
			for _, line := range strings.Split(c.PrivateKey, "\n") {
				if line = strings.TrimSpace(line); len(line) >= 16 && !strings.HasPrefix(line, "-----") && !slices.Contains(out, line) {
					out = append(out, line)
				}
			}
		}
	}
	if p.User.Password != "" {
		out = append(out, p.User.Password)
	}
	return out
}

// Error is a problem with a profile, located as precisely as YAML allows.
type Error struct {
	File  string
	Line  int    // 0 when unknown
	Field string // dotted path, e.g. clients.service.secret
	Msg   string
}

func (e *Error) Error() string {
	return configerr.Format("profile", e.File, e.Line, e.Field, e.Msg)
}

// Load reads, expands and validates the profile at path.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return Parse(path, data, os.LookupEnv)
}

var varPattern = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Parse decodes and validates a profile; lookup resolves ${VAR} references.
func Parse(name string, data []byte, lookup func(string) (string, bool)) (*Profile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err, nil)
	}
	lines := map[string]int{}
	configerr.Walk(&root, "", lines, nil)
	// Strict decode: unknown fields and wrong types, located with the map above.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var strict Profile
	if err := dec.Decode(&strict); err != nil {
		return nil, yamlError(name, err, lines)
	}

	var expandErr error
	configerr.Walk(&root, "", lines, func(n *yaml.Node, field string) {
		if expandErr != nil || n.Kind != yaml.ScalarNode {
			return
		}
		n.Value = varPattern.ReplaceAllStringFunc(n.Value, func(ref string) string {
			v := varPattern.FindStringSubmatch(ref)[1]
			val, ok := lookup(v)
			if !ok || val == "" {
				expandErr = &Error{File: name, Line: n.Line, Field: field, Msg: fmt.Sprintf("environment variable %s is not set", v)}
			}
			return val
		})
	})
	if expandErr != nil {
		return nil, expandErr
	}
	var p Profile
	if err := root.Decode(&p); err != nil {
		return nil, yamlError(name, err, lines)
	}
	p.Path = name
	_, p.loginGiven = lines["login"]
	p.expandLogin()
	if err := p.validate(); err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			pe.File = name
			pe.Line = configerr.LineOf(lines, pe.Field)
		}
		return nil, err
	}
	return &p, nil
}

// yamlError turns a YAML decoding error into an Error that names the line
// and, with the field map of the document, the field.
func yamlError(name string, err error, lines map[string]int) error {
	loc := configerr.Locate(err, lines)
	if loc.Line == 0 {
		return &Error{File: name, Msg: loc.Msg}
	}
	e := &Error{File: name, Line: loc.Line, Field: loc.Field, Msg: runconfig.Readable(loc.Msg)}
	if loc.Unknown != "" {
		e.Msg = "unknown field (check its spelling and indentation)"
	}
	if loc.More > 0 {
		e.Msg += fmt.Sprintf(" (and %d more)", loc.More)
	}
	return e
}

func (p *Profile) expandLogin() {
	r := strings.NewReplacer("{{user.username}}", p.User.Username, "{{user.password}}", p.User.Password)
	for i := range p.Login {
		p.Login[i].Value = r.Replace(p.Login[i].Value)
		p.Login[i].LoginError = p.LoginError
	}
	if p.DeviceFlow != nil {
		for i := range p.DeviceFlow.Steps {
			p.DeviceFlow.Steps[i].Value = r.Replace(p.DeviceFlow.Steps[i].Value)
			p.DeviceFlow.Steps[i].LoginError = p.LoginError
		}
	}
}

func fieldErr(field, format string, args ...any) error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func (p *Profile) validate() error {
	if p.AccessTokens != "" && p.AccessTokens != "rfc9068" && p.AccessTokens != "unspecified" {
		return fieldErr("access_tokens", "%q is not rfc9068 or unspecified (the access token profiles the checks know)", p.AccessTokens)
	}
	if p.Name == "" {
		return fieldErr("name", "required")
	}
	if p.Issuer == "" && (p.Endpoints.Authorization == "" || p.Endpoints.Token == "") {
		return fieldErr("issuer", "required unless endpoints.authorization and endpoints.token are both given")
	}
	urls := map[string]string{
		"issuer": p.Issuer, "resource": p.Resource, "redirect_uri": p.RedirectURI, "dpop_resource": p.DPoPResource, "mtls_resource": p.MTLSResource, "post_logout_redirect_uri": p.PostLogoutRedirectURI, "frontchannel_logout_uri": p.FrontchannelLogoutURI, "backchannel_logout_uri": p.BackchannelLogoutURI,
		"endpoints.authorization": p.Endpoints.Authorization, "endpoints.token": p.Endpoints.Token,
		"endpoints.revocation": p.Endpoints.Revocation, "endpoints.introspection": p.Endpoints.Introspection,
		"endpoints.jwks": p.Endpoints.JWKS,
	}
	for _, field := range sortedKeys(urls) {
		if err := checkURL(field, urls[field]); err != nil {
			return err
		}
	}
	roles := []struct {
		name   string
		c      *Client
		secret bool // role needs a secret
	}{
		{"confidential", p.Clients.Confidential, true},
		{"confidential2", p.Clients.Confidential2, true},
		{"public", p.Clients.Public, false},
		{"implicit", p.Clients.Implicit, false},
		{"service", p.Clients.Service, true},
		{"short_lived", p.Clients.ShortLived, true},
		{"par_required", p.Clients.ParRequired, true},
		{"device", p.Clients.Device, false},
		{"device_short_lived", p.Clients.DeviceShortLived, false},
		{"private_key_jwt", p.Clients.KeyOnly, false},
		{"mtls", p.Clients.MTLS, false},
		{"mtls_self_signed", p.Clients.MTLSSelfSigned, false},
	}
	anyRole, browserRole := false, false
	for _, r := range roles {
		if r.c == nil {
			continue
		}
		anyRole = true
		field := "clients." + r.name
		if r.c.ID == "" {
			return fieldErr(field+".id", "required")
		}
		if r.name == "private_key_jwt" {
			if r.c.PrivateKey == "" {
				return fieldErr(field+".private_key", "required for the private_key_jwt role")
			}
			if !slices.Contains(r.c.AlsoRegistered, "private_key_jwt") {
				r.c.AlsoRegistered = append(r.c.AlsoRegistered, "private_key_jwt")
			}
		}
		if r.secret && r.c.Secret == "" {
			return fieldErr(field+".secret", "required for the %s role", r.name)
		}
		switch r.c.AuthMethod {
		case "", "client_secret_basic", "client_secret_post":
		case "tls_client_auth", "self_signed_tls_client_auth":
			if r.c.Certificate == "" {
				return fieldErr(field+".certificate", "required with auth_method %s", r.c.AuthMethod)
			}
		default:
			return fieldErr(field+".auth_method", "%q is not one of client_secret_basic, client_secret_post, tls_client_auth, self_signed_tls_client_auth", r.c.AuthMethod)
		}
		if want := map[string]string{"mtls": "tls_client_auth", "mtls_self_signed": "self_signed_tls_client_auth"}[r.name]; want != "" && r.c.AuthMethod != want {
			return fieldErr(field+".auth_method", "the %s role authenticates by %s", r.name, want)
		}
		for i, m := range r.c.AlsoRegistered {
			switch m {
			case "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt":
			default:
				return fieldErr(fmt.Sprintf("%s.also_registered[%d]", field, i), "%q is not one of client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt", m)
			}
			if m == "private_key_jwt" && r.c.PrivateKey == "" {
				return fieldErr(fmt.Sprintf("%s.also_registered[%d]", field, i), "private_key_jwt needs the client's private_key")
			}
		}
		if r.c.PrivateKey != "" {
			k, err := parsePrivateKey(filepath.Dir(p.Path), r.c.PrivateKey)
			if err != nil {
				return fieldErr(field+".private_key", "%v", err)
			}
			r.c.signer = k
			if r.c.KeyAlg != "" && !slices.Contains(KeyTypeAlgs(k), r.c.KeyAlg) {
				return fieldErr(field+".key_alg", "%q does not sign with this key (one of %s)", r.c.KeyAlg, strings.Join(KeyTypeAlgs(k), ", "))
			}
		} else if r.c.KeyID != "" || r.c.KeyAlg != "" {
			return fieldErr(field+".private_key", "required with key_id or key_alg")
		}
		if r.c.Certificate != "" {
			c, err := parseCertificate(filepath.Dir(p.Path), r.c.Certificate, r.c.signer)
			if err != nil {
				return fieldErr(field+".certificate", "%v", err)
			}
			r.c.tlsCert = c
		}
		if r.c.ResponseType != "" && r.name != "implicit" {
			return fieldErr(field+".response_type", "only the implicit role takes a response_type")
		}
		if len(r.c.ResponseTypes) > 0 && r.name != "implicit" {
			return fieldErr(field+".response_types", "only the implicit role takes response_types")
		}
		for i, u := range r.c.RedirectURIs {
			if err := checkURL(fmt.Sprintf("%s.redirect_uris[%d]", field, i), u); err != nil {
				return err
			}
		}
		if len(r.c.RedirectURIs) > 0 && r.c.RedirectURIs[0] != p.RedirectURI {
			return fieldErr(field+".redirect_uris", "the first must be the profile's redirect_uri (%s)", p.RedirectURI)
		}
		switch r.c.ResponseType {
		case "", "token", "id_token token":
		default:
			return fieldErr(field+".response_type", "%q is not one of token, \"id_token token\"", r.c.ResponseType)
		}
		if r.c.TokenLifetime != 0 && r.name != "short_lived" {
			return fieldErr(field+".token_lifetime", "only the short_lived role takes a token_lifetime")
		}
		if r.c.TokenLifetime < 0 {
			return fieldErr(field+".token_lifetime", "must be positive")
		}
		if r.name != "service" && r.name != "short_lived" && r.name != "device" && r.name != "device_short_lived" && r.name != "private_key_jwt" && r.name != "mtls" && r.name != "mtls_self_signed" {
			browserRole = true
		}
	}
	if !anyRole {
		return fieldErr("clients", "at least one client role is required")
	}
	if browserRole {
		if p.RedirectURI == "" {
			return fieldErr("redirect_uri", "required when a browser client role (confidential, public, implicit) is given")
		}
		if !p.loginGiven {
			return fieldErr("login", "required when a browser client role is given: the steps that sign the user in, or login: [] for a provider that signs the user in without any page")
		}
	}
	if err := checkSteps("login", p.Login); err != nil {
		return err
	}
	if err := checkSteps("logout", p.Logout); err != nil {
		return err
	}
	for i, s := range p.Login {
		if strings.Contains(s.Value, UserCodePlaceholder) {
			return fieldErr(fmt.Sprintf("login[%d].value", i), "%s belongs to a device_flow step", UserCodePlaceholder)
		}
	}
	if (p.Clients.Device != nil || p.Clients.DeviceShortLived != nil) && !p.loginGiven {
		return fieldErr("login", "required with a device client role: the steps that sign the user in at the verification URI, or login: [] for a provider without a login page")
	}
	if d := p.DeviceFlow; d != nil {
		if err := checkSteps("device_flow.steps", d.Steps); err != nil {
			return err
		}
		entered := false
		for _, s := range d.Steps {
			entered = entered || (s.Fill != "" && strings.Contains(s.Value, UserCodePlaceholder))
		}
		if !entered {
			return fieldErr("device_flow.steps", "no fill step enters %s", UserCodePlaceholder)
		}
		last := len(d.Steps) - 1
		for last > 0 && d.Steps[last].Optional {
			last--
		}
		if d.Deny != "" && (last < 0 || d.Steps[last].Click == "") {
			return fieldErr("device_flow.deny", "replaces the last step that is not optional, which must then be a click (the approval)")
		}
	}
	return nil
}

// checkSteps validates browser steps (field names the list).
func checkSteps(list string, steps []Step) error {
	for i, s := range steps {
		field := fmt.Sprintf("%s[%d]", list, i)
		actions := 0
		for _, v := range []string{s.Fill, s.Click, s.WaitURL, s.WaitFor} {
			if strings.TrimSpace(v) != "" {
				actions++
			}
		}
		if actions != 1 {
			return fieldErr(field, "a step needs exactly one of fill, click, wait_url, wait_for (non-empty)")
		}
		if s.Fill == "" && s.Value != "" {
			return fieldErr(field+".value", "value belongs to a fill step")
		}
	}
	return nil
}

func checkURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fieldErr(field, "%q is not an absolute http(s) URL", raw)
	}
	if u.Fragment != "" {
		return fieldErr(field, "%q must not have a fragment", raw)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
