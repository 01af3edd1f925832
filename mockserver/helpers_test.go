package mockserver

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// testClock is a settable clock for Options.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one running mock server plus a browser-like HTTP client.
type env struct {
	t       *testing.T
	rs      *Running
	url     string
	sec     Secrets
	browser *http.Client
	// hc is a client without cookies that trusts the server's CA (the
	// secure default serves HTTPS), for direct requests.
	hc    *http.Client
	clock *testClock
}

func newEnv(t *testing.T, faults ...fault.Name) *env {
	t.Helper()
	return newEnvOpts(t, Options{Faults: faults})
}

func newEnvOpts(t *testing.T, opts Options) *env {
	t.Helper()
	sec := RandomSecrets()
	sec.WebKey = testClientKey(t)
	sec.MTLS = testMTLS(t)
	if opts.MTLSClientCA == "" {
		opts.MTLSClientCA = sec.MTLS.CA
	}
	clock := newTestClock()
	if opts.Clients == nil {
		opts.Clients = DefaultClients(&sec)
	}
	if opts.Users == nil {
		opts.Users = []User{DefaultUser(&sec)}
	}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	rs, err := Start(opts, "")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	tr := trustingTransport(rs)
	browser := newBrowser(t)
	browser.Transport = tr
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		if err := rs.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &env{t: t, rs: rs, url: rs.URL, sec: sec, browser: browser, hc: hc, clock: clock}
}

// trustingTransport trusts exactly the CA of rs (nothing for plain HTTP).
func trustingTransport(rs *Running) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if rs.CA != nil {
		pool := x509.NewCertPool()
		pool.AddCert(rs.CA)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return tr
}

// ctx is a context in which golang.org/x/oauth2 uses e.hc.
func (e *env) ctx() context.Context {
	return context.WithValue(context.Background(), oauth2.HTTPClient, e.hc)
}

func newBrowser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (e *env) secretOf(clientID string) string {
	switch clientID {
	case "web", ParRequiredClientID:
		return e.sec.Web
	case "web2":
		return e.sec.Web2
	case "svc", ShortLivedClientID:
		return e.sec.Service
	}
	return ""
}

// oauthConfig returns an x/oauth2 config for a default client. Confidential
// clients use HTTP Basic explicitly (no auto-detection, which would retry
// with the body and hide Basic-specific faults).
func (e *env) oauthConfig(clientID string, scopes ...string) *oauth2.Config {
	style := oauth2.AuthStyleInHeader
	secret := e.secretOf(clientID)
	if secret == "" {
		style = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: secret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   e.url + "/authorize",
			TokenURL:  e.url + "/token",
			AuthStyle: style,
		},
		RedirectURL: DefaultRedirectURI,
		Scopes:      scopes,
	}
}

func (e *env) ccConfig(scopes ...string) *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID:     "svc",
		ClientSecret: e.sec.Service,
		TokenURL:     e.url + "/token",
		Scopes:       scopes,
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (e *env) get(rawURL string) (*http.Response, string) {
	e.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = e.url + rawURL
	}
	resp, err := e.browser.Get(rawURL)
	if err != nil {
		e.t.Fatalf("GET: %v", err)
	}
	return resp, readBody(e.t, resp)
}

func (e *env) postForm(path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.browser.PostForm(e.url+path, form)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	return resp, readBody(e.t, resp)
}

var reqIDRe = regexp.MustCompile(`name="req" value="([^"]+)"`)

func pendingID(t *testing.T, html string) string {
	t.Helper()
	m := reqIDRe.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no pending request id in page:\n%s", html)
	}
	return m[1]
}

// authorizeURL builds an /authorize URL from parameters.
func (e *env) authorizeURL(params url.Values) string {
	return e.url + "/authorize?" + params.Encode()
}

// browse walks authorize → login → consent (approve) and returns the final
// redirect location (the callback URL). It also works when a session and
// consent already exist.
func (e *env) browse(authURL string) *url.URL {
	e.t.Helper()
	return e.browseDecision(authURL, "approve")
}

func (e *env) browseDecision(authURL, decision string) *url.URL {
	e.t.Helper()
	resp, body := e.get(authURL)
	if resp.StatusCode == http.StatusOK && strings.Contains(body, `action="/login"`) {
		resp, body = e.postForm("/login", url.Values{
			"req": {pendingID(e.t, body)}, "username": {"alice"}, "password": {e.sec.AlicePassword},
		})
		if resp.StatusCode != http.StatusSeeOther {
			e.t.Fatalf("login: status %d, want 303\n%s", resp.StatusCode, body)
		}
	}
	if resp.StatusCode == http.StatusSeeOther {
		resp, body = e.get(resp.Header.Get("Location"))
		if resp.StatusCode == http.StatusOK {
			resp, body = e.postForm("/consent", url.Values{"req": {pendingID(e.t, body)}, "decision": {decision}})
		}
	}
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("authorization: final status %d, want 302\n%s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	return loc
}

// callbackParams returns the response parameters from the query or fragment.
func callbackParams(loc *url.URL) (query, fragment url.Values) {
	q := loc.Query()
	f, _ := url.ParseQuery(loc.EscapedFragment())
	return q, f
}

// codeFlow runs the browser part of a code flow for clientID with optional
// extra authorization parameters, returning the callback parameters.
func (e *env) codeFlow(clientID string, extra url.Values) url.Values {
	e.t.Helper()
	p := url.Values{
		"response_type": {"code"},
		"client_id":     {clientID},
		"redirect_uri":  {DefaultRedirectURI},
		"scope":         {"openid api.read"},
		"state":         {"st-" + clientID},
	}
	for k, v := range extra {
		p[k] = v
	}
	q, f := callbackParams(e.browse(e.authorizeURL(p)))
	if q.Get("code") == "" && f.Get("code") == "" {
		e.t.Fatalf("no code in callback: query=%v fragment=%v", q, f)
	}
	if q.Get("code") == "" {
		return f
	}
	return q
}

// postToken posts to a token-style endpoint with HTTP Basic or post auth.
func (e *env) post(path, basicID, basicSecret string, form url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(url.QueryEscape(basicID), url.QueryEscape(basicSecret))
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	body := readBody(e.t, resp)
	var m map[string]any
	if strings.TrimSpace(body) != "" {
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			e.t.Fatalf("%s: non-JSON body %q", path, body)
		}
	}
	return resp, m
}

func (e *env) token(clientID string, form url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.post("/token", clientID, e.secretOf(clientID), form)
}

func (e *env) me(token string) (*http.Response, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.url+"/api/me", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	body := readBody(e.t, resp)
	var m map[string]any
	_ = json.Unmarshal([]byte(body), &m)
	return resp, m
}

func (e *env) exchange(cfg *oauth2.Config, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(e.ctx(), 10*time.Second)
	defer cancel()
	return cfg.Exchange(ctx, code, opts...)
}

func errCode(err error) string {
	if re, ok := err.(*oauth2.RetrieveError); ok {
		return re.ErrorCode
	}
	return ""
}

// webAuthz returns authorization request parameters for the web client with
// its registered redirect URI; kv pairs override them ("" deletes).
func webAuthz(kv ...string) url.Values {
	v := url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI}, "state": {"xyz"}}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

// authzError sends an authorization request and, if the server answers
// with an immediate redirect, returns the response parameters (query and
// fragment merged). It returns nil for any other answer.
func (e *env) authzError(params url.Values) url.Values {
	e.t.Helper()
	resp, _ := e.get(e.authorizeURL(params))
	if resp.StatusCode != http.StatusFound {
		return nil
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	q, f := callbackParams(loc)
	for k, v := range f {
		q[k] = append(q[k], v...)
	}
	return q
}

// isErrorPage reports whether resp is the HTML authorization error page
// (400, no redirect, no login form).
func isErrorPage(resp *http.Response, body string) bool {
	return resp.StatusCode == http.StatusBadRequest && resp.Header.Get("Location") == "" &&
		strings.Contains(body, `id="error"`) && !strings.Contains(body, `name="password"`)
}

// redirectURIsRejected reports whether the web client's authorization
// request is refused with the error page for every one of uris.
func (e *env) redirectURIsRejected(uris ...string) bool {
	e.t.Helper()
	for _, u := range uris {
		if !isErrorPage(e.get(e.authorizeURL(webAuthz("redirect_uri", u)))) {
			return false
		}
	}
	return true
}

// redeem posts an authorization_code token request for the web client.
func (e *env) redeem(code string, kv ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DefaultRedirectURI}}
	for i := 0; i < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return e.token("web", form)
}

// metadata fetches and decodes the authorization server metadata.
func (e *env) metadata() map[string]any {
	e.t.Helper()
	_, body := e.get("/.well-known/oauth-authorization-server")
	var md map[string]any
	if err := json.Unmarshal([]byte(body), &md); err != nil {
		e.t.Fatal(err)
	}
	return md
}

// ccAccess returns a fresh client_credentials access token of svc.
func (e *env) ccAccess() string {
	e.t.Helper()
	resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
	tok, _ := m["access_token"].(string)
	if resp.StatusCode != http.StatusOK || tok == "" {
		e.t.Fatalf("client_credentials: %d %v", resp.StatusCode, m)
	}
	return tok
}

// expiredAccess returns an access token of the short-lived client with the
// clock advanced past its expiry.
func (e *env) expiredAccess() string {
	e.t.Helper()
	resp, m := e.token(ShortLivedClientID, url.Values{"grant_type": {"client_credentials"}})
	tok, _ := m["access_token"].(string)
	if resp.StatusCode != http.StatusOK || tok == "" || m["expires_in"] != float64(ShortAccessTokenLifetime/time.Second) {
		e.t.Fatalf("client_credentials for %s: %d %v", ShortLivedClientID, resp.StatusCode, m)
	}
	e.clock.Advance(ShortAccessTokenLifetime + time.Second)
	return tok
}

// jwks fetches the JWKS as raw JSON objects and as a parsed key set.
func (e *env) jwks() ([]map[string]any, jose.JSONWebKeySet) {
	e.t.Helper()
	_, body := e.get("/jwks")
	var raw struct{ Keys []map[string]any }
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		e.t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		e.t.Fatal(err)
	}
	return raw.Keys, set
}

var anyAlg = []jose.SignatureAlgorithm{"none", jose.RS256, jose.ES256, jose.PS256, jose.HS256}

// decodeJWT reads the header and claims of a compact JWS without verifying
// it. ok is false if tok is not one.
func decodeJWT(tok string) (h jose.Header, claims map[string]any, ok bool) {
	parsed, err := jwt.ParseSigned(tok, anyAlg)
	if err != nil || len(parsed.Headers) != 1 {
		return h, nil, false
	}
	if err := parsed.UnsafeClaimsWithoutVerification(&claims); err != nil {
		return h, nil, false
	}
	return parsed.Headers[0], claims, true
}

// verifiesWithJWKS reports whether tok is an RS256/ES256 JWS whose kid names
// a key of the server's JWKS that verifies it.
func (e *env) verifiesWithJWKS(tok string) bool {
	e.t.Helper()
	parsed, err := jwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256, jose.ES256})
	if err != nil || len(parsed.Headers) != 1 {
		return false
	}
	_, set := e.jwks()
	keys := set.Key(parsed.Headers[0].KeyID)
	if len(keys) != 1 {
		return false
	}
	var c map[string]any
	return parsed.Claims(keys[0].Key, &c) == nil
}

var (
	foreignKeyOnce sync.Once
	foreignKey     *rsa.PrivateKey
)

// forgeJWT signs claims (typ at+jwt, RS256) with a key the server does not
// know: with header kid, or with the public key embedded in a jwk header.
func forgeJWT(t *testing.T, claims map[string]any, kid string, embed bool) string {
	t.Helper()
	foreignKeyOnce.Do(func() {
		var err error
		if foreignKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	opts := (&jose.SignerOptions{}).WithType("at+jwt")
	key := jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: foreignKey, KeyID: kid}}
	if embed {
		opts.EmbedJWK = true
		key.Key = foreignKey
	}
	signer, err := jose.NewSigner(key, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// ownClaims returns the header and claims of a fresh access token of svc.
func (e *env) ownClaims() (jose.Header, map[string]any) {
	e.t.Helper()
	h, c, ok := decodeJWT(e.ccAccess())
	if !ok {
		e.t.Fatal("access token is not a JWT")
	}
	return h, c
}

// do sends a request to the server with optional HTTP Basic credentials.
func (e *env) do(method, path, basicID, basicSecret string, form url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if basicID != "" {
		req.SetBasicAuth(url.QueryEscape(basicID), url.QueryEscape(basicSecret))
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(readBody(e.t, resp)), &m)
	return resp, m
}

// spaCode runs a PKCE code flow for the public client spa and returns the
// code and verifier.
func (e *env) spaCode() (code, verifier string) {
	e.t.Helper()
	verifier = oauth2.GenerateVerifier()
	cb := e.codeFlow("spa", url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}})
	return cb.Get("code"), verifier
}

// implicitToken runs an implicit flow for legacy-spa and returns the fragment.
func (e *env) implicitToken() url.Values {
	e.t.Helper()
	_, f := callbackParams(e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {"s"}})))
	if f.Get("access_token") == "" {
		e.t.Fatalf("implicit: %v", f)
	}
	return f
}

func isVSCHAR(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}

// bearerError reports whether resp is a 401 with a complete RFC 6750 error
// challenge: Bearer realm="mockserver", error="invalid_token",
// error_description="...".
func bearerError(resp *http.Response) bool {
	h := resp.Header.Get("WWW-Authenticate")
	return resp.StatusCode == http.StatusUnauthorized &&
		strings.HasPrefix(h, `Bearer realm="mockserver", error="invalid_token", error_description="`) && strings.HasSuffix(h, `"`)
}

// webGrant runs a code flow for the confidential client web (scope "openid
// api.read") and redeems the code: an access and a refresh token.
func (e *env) webGrant() (at, rt string) {
	e.t.Helper()
	tok, err := e.exchange(e.oauthConfig("web"), e.codeFlow("web", nil).Get("code"))
	if err != nil {
		e.t.Fatalf("web code exchange: %v", err)
	}
	if tok.RefreshToken == "" {
		e.t.Fatal("web: no refresh token")
	}
	return tok.AccessToken, tok.RefreshToken
}

// spaGrant is webGrant for the public client spa, with PKCE.
func (e *env) spaGrant() (at, rt string) {
	e.t.Helper()
	code, verifier := e.spaCode()
	tok, err := e.exchange(e.oauthConfig("spa"), code, oauth2.VerifierOption(verifier))
	if err != nil {
		e.t.Fatalf("spa code exchange: %v", err)
	}
	if tok.RefreshToken == "" {
		e.t.Fatal("spa: no refresh token")
	}
	return tok.AccessToken, tok.RefreshToken
}

// clientPost posts form to path as a default client: HTTP Basic for a
// confidential client, client_id in the body for a public one.
func (e *env) clientPost(path, clientID string, form url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	if e.secretOf(clientID) == "" {
		form.Set("client_id", clientID)
		return e.post(path, "", "", form)
	}
	return e.post(path, clientID, e.secretOf(clientID), form)
}

// kvForm builds form values from name/value pairs.
func kvForm(form url.Values, kv ...string) url.Values {
	for i := 0; i < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return form
}

// refresh sends a refresh_token grant request as clientID; kv pairs add
// parameters.
func (e *env) refresh(clientID, rt string, kv ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.clientPost("/token", clientID, kvForm(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, kv...))
}

// revoke sends a revocation request as clientID; kv pairs add parameters.
func (e *env) revoke(clientID, token string, kv ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.clientPost("/revoke", clientID, kvForm(url.Values{"token": {token}}, kv...))
}

// introspect introspects token as svc and returns the decoded answer.
func (e *env) introspect(token string) map[string]any {
	e.t.Helper()
	resp, m := e.post("/introspect", "svc", e.sec.Service, url.Values{"token": {token}})
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("introspection: %d %v", resp.StatusCode, m)
	}
	return m
}

// loginPageHeaders returns the headers of the login page a fresh browser
// gets from /authorize.
func (e *env) loginPageHeaders() http.Header {
	e.t.Helper()
	resp, body := e.get(e.authorizeURL(webAuthz()))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="password"`) {
		e.t.Fatalf("no login page: %d\n%s", resp.StatusCode, body)
	}
	return resp.Header
}

// authorizeWithOrigin sends an authorization request with an Origin header.
func (e *env) authorizeWithOrigin(params url.Values, origin string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.authorizeURL(params), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	resp, err := e.browser.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	readBody(e.t, resp)
	return resp
}

// isInvalidGrant reports a 400 invalid_grant answer.
func isInvalidGrant(resp *http.Response, m map[string]any) bool {
	return resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_grant"
}

// listHas reports whether a decoded JSON array holds v.
func listHas(list any, v string) bool {
	l, _ := list.([]any)
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}
