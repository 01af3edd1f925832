// Package initprofile writes a first target profile from the provider
// itself (oauthconform init): it reads the discovery document, opens the
// login page in the browser, finds the username, password and submit
// elements and, given the user's credentials, walks the login and consent
// pages for real and proves the proposed steps reach the redirect URI with
// the harness's own driver.
package initprofile

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"strings"
	"sync/atomic"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/discovery"
	"github.com/oauthconform/oauthconform/internal/profile"
)

//go:embed inspect.js
var inspectJS string

// The environment variables the written profile reads its secrets from.
const (
	EnvClientID     = "OAUTHCONFORM_CLIENT_ID"
	EnvClientSecret = "OAUTHCONFORM_CLIENT_SECRET"
	EnvUsername     = "OAUTHCONFORM_USERNAME"
	EnvPassword     = "OAUTHCONFORM_PASSWORD"
)

// Options describe the provider and what init may do with it.
type Options struct {
	Issuer      string
	Name        string // the profile's name; default: the issuer's host
	ClientID    string // a registered client; "" leaves a placeholder and skips the login page
	RedirectURI string // registered for ClientID
	HTTP        *http.Client
	// Browser opens the login page; nil skips it.
	Browser *driver.Browser
	// Username and Password, when both are set, are tried for real.
	Username, Password string
	// StepTimeout bounds each wait for a page (default 10s).
	StepTimeout time.Duration
}

// Page is what was found on one of the provider's pages.
type Page struct {
	URL        string `json:"url"`
	Title      string `json:"title"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	Submit     string `json:"submit"`
	SubmitText string `json:"submitText"`
	Approve    string `json:"approve"`
	Deny       string `json:"deny"`
}

// Result is the profile and what init found on the way.
type Result struct {
	MetadataURL string
	Metadata    map[string]any
	Pages       []Page
	Login       []profile.Step
	ConsentDeny string
	// Tried: the credentials were given and the login was run; Reached: it
	// got to the redirect URI (proved by the driver with the proposed
	// steps); LoginErr why not.
	Tried, Reached bool
	LoginErr       error
	Notes          []string
	YAML           []byte
}

// Run discovers the provider, inspects its login pages and renders the profile.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.StepTimeout <= 0 {
		o.StepTimeout = 10 * time.Second
	}
	if o.Name == "" {
		if u, err := url.Parse(o.Issuer); err == nil && u.Host != "" {
			o.Name = u.Hostname()
		} else {
			o.Name = "my-provider"
		}
	}
	doc, err := discovery.Fetch(ctx, o.HTTP, o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discovery of %s: %w", o.Issuer, err)
	}
	res := &Result{MetadataURL: doc.URL, Metadata: doc.Metadata}
	authz, _ := doc.Metadata["authorization_endpoint"].(string)
	switch {
	case o.Browser == nil:
		res.Notes = append(res.Notes, "no browser: the login steps are not proposed")
	case o.ClientID == "" || o.RedirectURI == "":
		res.Notes = append(res.Notes, "no --client-id and --redirect-uri: the login page was not opened (a provider shows it only for a registered client)")
	case authz == "":
		res.Notes = append(res.Notes, "the metadata names no authorization_endpoint: the login page was not opened")
	default:
		res.walk(ctx, o, authz)
	}
	res.YAML = render(o, res)
	if res.Tried && len(res.Login) > 0 {
		res.LoginErr = prove(ctx, o, authz, res)
		res.Reached = res.LoginErr == nil
	}
	return res, nil
}

// authorizationURL is an authorization code request with PKCE (S256), a
// state and, for an OpenID provider, the openid scope and a nonce.
func authorizationURL(authz string, o Options, meta map[string]any) (string, error) {
	u, err := url.Parse(authz)
	if err != nil {
		return "", err
	}
	verifier := random()
	sum := sha256.Sum256([]byte(verifier))
	q := u.Query()
	q.Set("response_type", "code")
	q.Set("client_id", o.ClientID)
	q.Set("redirect_uri", o.RedirectURI)
	q.Set("state", random())
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	q.Set("code_challenge_method", "S256")
	if openID(meta) {
		q.Set("scope", "openid")
		q.Set("nonce", random())
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// openID says whether the provider is an OpenID provider.
func openID(meta map[string]any) bool {
	if _, ok := meta["id_token_signing_alg_values_supported"]; ok {
		return true
	}
	for _, s := range stringList(meta["scopes_supported"]) {
		if s == "openid" {
			return true
		}
	}
	return false
}

// stringList is a metadata array of strings.
func stringList(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// walk opens the login page and, with credentials, goes through the login
// and consent pages, recording the steps that worked.
func (res *Result) walk(ctx context.Context, o Options, authz string) {
	reqURL, err := authorizationURL(authz, o, res.Metadata)
	if err != nil {
		res.Notes = append(res.Notes, "authorization endpoint: "+err.Error())
		return
	}
	sess, err := o.Browser.NewSession(ctx)
	if err != nil {
		res.Notes = append(res.Notes, "browser: "+err.Error())
		return
	}
	defer sess.Close()
	page, err := sess.Page(ctx)
	if err != nil {
		res.Notes = append(res.Notes, "browser: "+err.Error())
		return
	}
	var captured atomic.Bool
	router := page.HijackRequests()
	redirect := strings.SplitN(strings.SplitN(o.RedirectURI, "?", 2)[0], "#", 2)[0]
	_ = router.Add(redirect+"*", "", func(h *rod.Hijack) {
		captured.Store(true)
		h.Response.SetHeader("Content-Type", "text/html; charset=utf-8")
		h.Response.SetBody("<!doctype html><title>redirect captured</title>")
	})
	go router.Run()
	defer func() { _ = router.Stop() }()

	creds := o.Username != "" && o.Password != ""
	res.Tried = creds
	if err := page.Timeout(o.StepTimeout).Navigate(reqURL); err != nil && !captured.Load() {
		res.Notes = append(res.Notes, "opening the login page: "+err.Error())
		return
	}
	for i := 0; i < 5 && !captured.Load(); i++ {
		p := page.Timeout(o.StepTimeout)
		_ = p.WaitLoad()
		// Something to act on: a visible input or button (a form rendered
		// by script appears after the load event).
		if _, err := p.Element("input:not([type=hidden]), button, [role=button], input[type=submit]"); err != nil {
			if captured.Load() {
				break
			}
			res.Notes = append(res.Notes, fmt.Sprintf("page %d: no input or button appeared within %s", i+1, o.StepTimeout))
			return
		}
		var info Page
		v, err := p.Eval(inspectJS)
		if err == nil {
			err = v.Value.Unmarshal(&info)
		}
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("page %d: inspecting it: %v", i+1, err))
			return
		}
		info.URL = redactQuery(info.URL)
		res.Pages = append(res.Pages, info)
		var act []func() error
		switch {
		case info.Username != "" || info.Password != "":
			if info.Username != "" {
				res.Login = append(res.Login, profile.Step{Fill: info.Username, Value: "{{user.username}}"})
				act = append(act, fill(p, info.Username, o.Username))
			}
			if info.Password != "" {
				res.Login = append(res.Login, profile.Step{Fill: info.Password, Value: "{{user.password}}"})
				act = append(act, fill(p, info.Password, o.Password))
			}
			if info.Submit == "" {
				res.Notes = append(res.Notes, fmt.Sprintf("page %d: no submit button found", i+1))
				return
			}
			res.Login = append(res.Login, profile.Step{Click: info.Submit})
		case info.Approve != "":
			res.Login = append(res.Login, profile.Step{Click: info.Approve, Optional: true})
			res.ConsentDeny = info.Deny
			info.Submit = info.Approve
		default:
			res.Notes = append(res.Notes, fmt.Sprintf("page %d (%s): no login form and no consent button recognised", i+1, info.URL))
			return
		}
		if !creds {
			if info.Password == "" {
				res.Notes = append(res.Notes, "the first page asks for the username only: the password page comes after it; set "+EnvUsername+" and "+EnvPassword+" and run init again to find its elements")
			}
			return
		}
		for _, a := range act {
			if err := a(); err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("page %d: %v", i+1, err))
				return
			}
		}
		wait := page.Timeout(o.StepTimeout).WaitNavigation(proto.PageLifecycleEventNameLoad)
		el, err := p.Element(info.Submit)
		if err == nil {
			err = el.Click(proto.InputMouseButtonLeft, 1)
		}
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("page %d: clicking %s: %v", i+1, info.Submit, err))
			return
		}
		wait()
	}
	if !captured.Load() && creds {
		res.Notes = append(res.Notes, "the walk through the provider's pages did not reach the redirect URI")
	}
}

func fill(p *rod.Page, selector, value string) func() error {
	return func() error {
		el, err := p.Element(selector)
		if err == nil {
			err = el.SelectAllText()
		}
		if err == nil {
			err = el.Input(value)
		}
		if err != nil {
			return fmt.Errorf("filling %s: %w", selector, err)
		}
		return nil
	}
}

// redactQuery drops a page URL's query and fragment (they may carry state,
// nonces or session handles).
func redactQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// prove runs the proposed steps with the harness's own driver in a fresh
// incognito context: the login reached the redirect URI, or why not.
func prove(ctx context.Context, o Options, authz string, res *Result) error {
	p, err := profile.Parse("the proposed profile", res.YAML, func(name string) (string, bool) {
		switch name {
		case EnvUsername:
			return o.Username, true
		case EnvPassword:
			return o.Password, true
		}
		return "placeholder", true
	})
	if err != nil {
		return err
	}
	reqURL, err := authorizationURL(authz, o, res.Metadata)
	if err != nil {
		return err
	}
	sess, err := o.Browser.NewSession(ctx)
	if err != nil {
		return err
	}
	defer sess.Close()
	_, err = sess.Authorize(ctx, driver.Request{URL: reqURL, RedirectURI: o.RedirectURI, Login: p.Login})
	var se *driver.StepError
	if errors.As(err, &se) {
		return fmt.Errorf("login step %q on %s: %v", se.Step, redactQuery(se.PageURL), se.Err)
	}
	return err
}

// q quotes s for YAML (a JSON string is a YAML double-quoted scalar).
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func list(v []string) string {
	qs := make([]string, len(v))
	for i, s := range v {
		qs[i] = q(s)
	}
	return "[" + strings.Join(qs, ", ") + "]"
}

func has(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

// render writes the commented profile.
func render(o Options, res *Result) []byte {
	meta := res.Metadata
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("# Target profile of %s, written by \"oauthconform init\" on %s.", o.Issuer, time.Now().UTC().Format("2006-01-02"))
	w("# Read every line before trusting it. Check it with \"oauthconform validate\",")
	w("# then run the catalog with \"oauthconform run --target <this file>\".")
	w("#")
	w("# Secrets are never written here: ${VAR} reads the environment at run time.")
	w("# Set %s, %s and %s.", EnvClientSecret, EnvUsername, EnvPassword)
	w("name: %s", q(o.Name))
	w("issuer: %s", q(o.Issuer))
	w("")
	w("# Discovered at %s. The run discovers them again, so they", res.MetadataURL)
	w("# stay comments: uncomment one only to override what the provider advertises.")
	w("# endpoints:")
	for _, e := range []struct{ key, field string }{
		{"authorization", "authorization_endpoint"}, {"token", "token_endpoint"}, {"revocation", "revocation_endpoint"},
		{"introspection", "introspection_endpoint"}, {"jwks", "jwks_uri"},
	} {
		if v, _ := meta[e.field].(string); v != "" {
			w("#   %s: %s", e.key, v)
		} else {
			w("#   %s: (not advertised)", e.key)
		}
	}
	keys := []string{"grant_types_supported", "response_types_supported", "token_endpoint_auth_methods_supported", "code_challenge_methods_supported", "scopes_supported"}
	w("#")
	w("# The provider advertises:")
	for _, k := range keys {
		if v := stringList(meta[k]); len(v) > 0 {
			w("#   %s: %s", k, strings.Join(v, ", "))
		}
	}
	w("")
	redirect := o.RedirectURI
	if redirect == "" {
		redirect = "https://app.example.com/callback"
		w("# CHANGE: a redirect URI registered for the clients below (nothing needs to listen there).")
	} else {
		w("# Registered for the clients below; nothing needs to listen there: the browser's navigation to it is intercepted.")
	}
	w("redirect_uri: %s", q(redirect))
	grants := stringList(meta["grant_types_supported"])
	if len(grants) == 0 {
		grants = []string{"authorization_code", "implicit"} // RFC 8414 §2 default
	}
	methods := stringList(meta["token_endpoint_auth_methods_supported"])
	if len(methods) == 0 {
		methods = []string{"client_secret_basic"} // RFC 8414 §2 default
	}
	auth := "client_secret_basic"
	if !has(methods, auth) && has(methods, "client_secret_post") {
		auth = "client_secret_post"
	}
	scopes := ""
	if openID(meta) {
		scopes = ", scopes: [openid]"
	}
	clientID := o.ClientID
	if clientID == "" {
		clientID = "${" + EnvClientID + "}"
	}
	w("")
	w("# Client roles: a role left out skips the checks that need it, each with that reason.")
	w("clients:")
	if !has(methods, "client_secret_basic") && !has(methods, "client_secret_post") {
		w("  # The provider advertises neither client_secret_basic nor client_secret_post (%s):", strings.Join(methods, ", "))
		w("  # the confidential role needs a client that authenticates with one of them.")
	}
	w("  confidential: {id: %s, secret: \"${%s}\", auth_method: %s%s}", q(clientID), EnvClientSecret, auth, scopes)
	w("  # A second confidential client, for the checks that a code or token is bound to its client:")
	w("  # confidential2: {id: \"SECOND-CLIENT-ID\", secret: \"${OAUTHCONFORM_CLIENT2_SECRET}\"}")
	if has(methods, "none") {
		w("  # A public client (token_endpoint_auth_method none is advertised), for the PKCE checks:")
	} else {
		w("  # A public client (no secret; the provider does not advertise auth method none), for the PKCE checks:")
	}
	w("  # public: {id: \"PUBLIC-CLIENT-ID\"}")
	if has(grants, "client_credentials") {
		w("  # client_credentials is advertised: a client allowed to use it, and one whose tokens expire within a minute:")
		w("  # service: {id: \"SERVICE-CLIENT-ID\", secret: \"${OAUTHCONFORM_SERVICE_SECRET}\"}")
		w("  # short_lived: {id: \"SHORT-LIVED-CLIENT-ID\", secret: \"${OAUTHCONFORM_SHORT_LIVED_SECRET}\"}")
	}
	if has(grants, "implicit") || has(stringList(meta["response_types_supported"]), "token") {
		w("  # The implicit grant is advertised (RFC 9700 §2.1.2 discourages it): a client registered for it:")
		w("  # implicit: {id: \"IMPLICIT-CLIENT-ID\", response_type: token}")
	}
	w("")
	w("user: {username: \"${%s}\", password: \"${%s}\"}", EnvUsername, EnvPassword)
	w("")
	switch {
	case len(res.Login) > 0:
		where := ""
		if len(res.Pages) > 0 {
			where = " on " + res.Pages[0].URL
		}
		state := "found without logging in (set the credentials and run init again to try them)"
		if res.Tried {
			state = "found by logging in as the user of the environment"
		}
		w("# Login steps %s%s.", state, where)
		w("login:")
		for _, s := range res.Login {
			w("  - %s", stepYAML(s))
		}
	default:
		w("# CHANGE: no login steps were found (see the notes init printed). The steps")
		w("# fill the provider's login form, e.g.:")
		w("#   - {fill: \"#username\", value: \"{{user.username}}\"}")
		w("#   - {fill: \"#password\", value: \"{{user.password}}\"}")
		w("#   - {click: \"button[type=submit]\"}")
		w("login:")
		w("  - {fill: \"#username\", value: \"{{user.username}}\"}")
		w("  - {fill: \"#password\", value: \"{{user.password}}\"}")
		w("  - {click: \"button[type=submit]\"}")
	}
	if res.ConsentDeny != "" {
		w("")
		w("# The consent page's deny button (the access_denied check clicks it).")
		w("consent_deny: %s", q(res.ConsentDeny))
	}
	w("")
	w("# Optional: the authorization code lifetime the provider declares, for the expiry check.")
	w("# code_lifetime: 60s")
	return []byte(b.String())
}

func stepYAML(s profile.Step) string {
	var parts []string
	switch {
	case s.Fill != "":
		parts = append(parts, "fill: "+q(s.Fill), "value: "+q(s.Value))
	case s.Click != "":
		parts = append(parts, "click: "+q(s.Click))
	case s.WaitFor != "":
		parts = append(parts, "wait_for: "+q(s.WaitFor))
	case s.WaitURL != "":
		parts = append(parts, "wait_url: "+q(s.WaitURL))
	}
	if s.Optional {
		parts = append(parts, "optional: true")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
