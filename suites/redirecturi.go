package suites

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// probeMarker names what the harness adds to a redirect URI, so that a
// redirect carrying it is recognised as following the bent URI.
const probeMarker = "oauthconform-probe"

// registered splits the profile's redirect URI into the parts the variants
// bend, keeping its exact bytes (url.URL would re-encode).
type registered struct {
	scheme, host, port, path string // path without query; host without port
}

func (r registered) origin() string {
	if r.port == "" {
		return r.scheme + "://" + r.host
	}
	return r.scheme + "://" + net.JoinHostPort(r.host, r.port)
}

func (r registered) String() string { return r.origin() + r.path }

// dir and base split the path at its last slash: "/a/callback" → "/a", "callback".
func (r registered) dir() string  { return r.path[:strings.LastIndex(r.path, "/")] }
func (r registered) base() string { return r.path[strings.LastIndex(r.path, "/")+1:] }

func parseRegistered(raw string) (registered, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return registered{}, err
	}
	if u.RawQuery != "" || u.User != nil {
		return registered{}, fmt.Errorf("the registered redirect URI %s has a query or userinfo; the variants assume neither", raw)
	}
	rest := strings.TrimPrefix(raw, u.Scheme+"://"+u.Host)
	if rest == "" {
		rest = "/"
	}
	return registered{scheme: u.Scheme, host: u.Hostname(), port: u.Port(), path: rest}, nil
}

// variant is one way of bending the registered redirect URI; build returns
// "" with a reason when it does not apply to this URI.
type variant struct {
	check catalog.Check
	build func(r registered) (uri, notApplicable string)
}

var redirectVariants = []variant{
	{catalog.RedirectExtraPathSegment, func(r registered) (string, string) {
		return r.origin() + strings.TrimSuffix(r.path, "/") + "/" + probeMarker, ""
	}},
	{catalog.RedirectPathSuffix, func(r registered) (string, string) {
		if strings.HasSuffix(r.path, "/") {
			return "", "the registered path ends with a slash"
		}
		return r.String() + "x", ""
	}},
	{catalog.RedirectTrailingSlash, func(r registered) (string, string) {
		if strings.HasSuffix(r.path, "/") {
			return r.origin() + strings.TrimSuffix(r.path, "/"), ""
		}
		return r.String() + "/", ""
	}},
	{catalog.RedirectAddedQuery, func(r registered) (string, string) {
		return r.String() + "?" + probeMarker + "=1", ""
	}},
	{catalog.RedirectOtherPort, func(r registered) (string, string) {
		port := 8443
		if p, err := strconv.Atoi(r.port); err == nil {
			port = p + 1
		} else if r.scheme == "http" {
			port = 8080
		}
		return r.scheme + "://" + net.JoinHostPort(r.host, strconv.Itoa(port)) + r.path, ""
	}},
	{catalog.RedirectSubdomain, func(r registered) (string, string) {
		if net.ParseIP(r.host) != nil {
			return "", "the registered host is an IP address"
		}
		s := r
		s.host = probeMarker + "." + r.host
		return s.String(), ""
	}},
	{catalog.RedirectOtherHost, func(r registered) (string, string) {
		s := r
		switch r.host {
		case "127.0.0.1":
			s.host = "localhost"
		case "localhost":
			s.host = "127.0.0.1"
		default:
			s.host = probeMarker + ".example"
		}
		return s.String(), ""
	}},
	{catalog.RedirectSchemeChange, func(r registered) (string, string) {
		s := r
		s.scheme = map[string]string{"https": "http", "http": "https"}[r.scheme]
		if s.scheme == "" {
			return "", "the registered scheme is " + r.scheme
		}
		return s.String(), ""
	}},
	{catalog.RedirectLetterCase, func(r registered) (string, string) {
		upper := strings.ToUpper(r.path)
		if upper == r.path {
			return "", "the registered path has no lowercase letters"
		}
		return r.origin() + upper, ""
	}},
	{catalog.RedirectEncodedSlash, func(r registered) (string, string) {
		return r.String() + "%2F..%2F" + probeMarker, ""
	}},
	{catalog.RedirectDotSegment, func(r registered) (string, string) {
		return r.String() + "/..%2F" + probeMarker, ""
	}},
	{catalog.RedirectDoubleEncoded, func(r registered) (string, string) {
		return r.origin() + r.dir() + "/" + probeMarker + "/%252e%252e/" + r.base(), ""
	}},
	{catalog.RedirectPathParameter, func(r registered) (string, string) {
		return r.String() + ";/../" + probeMarker, ""
	}},
	{catalog.RedirectNormalizesToReg, func(r registered) (string, string) {
		return r.origin() + r.dir() + "/" + probeMarker + "/..%2F" + r.base(), ""
	}},
	{catalog.RedirectUserinfo, func(r registered) (string, string) {
		return r.scheme + "://" + r.host + "@" + probeMarker + ".example" + r.path, ""
	}},
	{catalog.RedirectCodePollution, func(r registered) (string, string) {
		return r.String() + "?code=" + probeMarker + "-attacker-code", ""
	}},
}

// expectNotRedirectedTo is the verdict of a request naming the bent
// redirect URI, judged where the browser really lands (authorizeAs): a
// code or token delivered anywhere fails — a server that matches redirect
// URIs exactly delivers none for a URI it does not know (RFC 9700 §2.1,
// RFC 6749 §4.1.2.1), and one that replaced a parameter of the bent URI
// (RU-18's code) cannot be told from one that used it — and so does any
// redirect to the bent URI. A refusal (an error page, an error sent to the
// registered URI, the provider's error page on another origin) is
// judged against the control: the same request with the registered URI
// must deliver a code, or the check is undecided.
func expectNotRedirectedTo(ctx context.Context, l *loggedIn, ld *landing, bent string) {
	GinkgoHelper()
	ld.attach("redirect_uri=" + bent)
	if ld.delivered() {
		where := "the unregistered redirect URI " + bent
		if ld.sentTo(env.Profile.RedirectURI) {
			where = "the registered URI's path, for a request naming the unregistered redirect URI " + bent
		}
		harness.Broken("the server delivered a code or token to %s: %s", where, ld)
	}
	// An error sent to the registered URI, or the provider's error page
	// on another origin, is a refusal; a redirect to the bent URI is not.
	Expect(ld.wentTo(bent)).To(BeFalse(), "the server redirected to the unregistered redirect URI %s (%s)", bent, ld)
	requireControl(ctx, l, "the registered redirect URI", codeParams(env.Profile.Clients.Confidential, nil))
}

var _ = Describe("Redirect URI handling", Label("flow:authorization_code"), func() {
	// need returns the logged-in user and the registered URI, or skips/errs.
	need := func(ctx SpecContext) (*loggedIn, registered) {
		GinkgoHelper()
		harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		r, err := parseRegistered(env.Profile.RedirectURI)
		harness.Require(env, err)
		return l, r
	}

	harness.It(env, catalog.UnregisteredRedirectRefused, func(ctx SpecContext) {
		l, _ := need(ctx)
		bent := "https://" + probeMarker + ".example/unregistered"
		ld, err := authorizeAs(ctx, l, codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {bent}}), bent)
		harness.Require(env, err)
		expectNotRedirectedTo(ctx, l, ld, bent)
	})

	harness.It(env, catalog.UnregisteredRedirectBeforeLogin, func(ctx SpecContext) {
		harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client")
		bent := "https://" + probeMarker + ".example/unregistered"
		// The control: the registered URI shows a fresh user the login (the
		// shared login's first authorization ran login steps).
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		harness.SkipUnless(l.first != nil && l.first.result != nil && l.first.result.LoginSteps > 0,
			"the provider showed no login page to a fresh user with the registered redirect URI either (the shared login ran no login step)")
		// A fresh user: no cookies, and in the browser a session of its own.
		params := codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {bent}})
		p, err := env.ProbeAuthorize(ctx, params, nil)
		harness.Require(env, err)
		ld := &landing{probe: p, who: "as a user who is not signed in"}
		// A redirect off the provider that is neither to the bent URI nor
		// an answer to the client (a login app on another origin, say)
		// decides nothing yet: the browser follows it, and whether a login
		// step runs tells.
		offsite := p.Outcome == harness.OutcomeOtherRedirect && !ld.wentTo(bent)
		if (!final(p) || offsite) && p.Outcome != harness.OutcomeLoginPage {
			sess, err := env.NewSession(ctx)
			harness.Require(env, err)
			DeferCleanup(func() { _ = sess.Close() })
			ld.res, ld.deadEnd, err = continueInBrowser(ctx, sess, params, []string{bent})
			harness.Require(env, err)
		}
		ld.attach("redirect_uri=" + bent + ", as a user who is not signed in")
		Expect(p.Outcome).NotTo(Equal(harness.OutcomeLoginPage), "the login page is shown before the unregistered redirect URI is refused")
		steps := 0
		if ld.res != nil {
			steps = ld.res.LoginSteps
		} else if ld.deadEnd != nil {
			steps = ld.deadEnd.LoginSteps
		}
		Expect(steps).To(BeZero(), "the user was asked to sign in (%d login steps ran) before the unregistered redirect URI was refused: %s", steps, ld)
		Expect(ld.wentTo(bent)).To(BeFalse(), "redirected to the unregistered redirect URI: %s", ld)
		env.Attach(fmt.Sprintf("control: the registered redirect URI showed a fresh user the login (%d login steps ran in the shared login)", l.first.result.LoginSteps))
	})

	for _, v := range redirectVariants {
		harness.It(env, v.check, func(ctx SpecContext) {
			l, r := need(ctx)
			bent, notApplicable := v.build(r)
			harness.SkipUnless(notApplicable == "", "not applicable: %s", notApplicable)
			ld, err := authorizeAs(ctx, l, codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {bent}}), bent)
			harness.Require(env, err)
			expectNotRedirectedTo(ctx, l, ld, bent)
		})
	}

	harness.It(env, catalog.DuplicateRedirectURIRefused, func(ctx SpecContext) {
		l, r := need(ctx)
		bent := r.origin() + "/" + probeMarker
		ld, err := authorizeAs(ctx, l, codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {env.Profile.RedirectURI, bent}}), bent)
		harness.Require(env, err)
		Expect(ld.delivered()).To(BeFalse(), "a code was delivered for an ambiguous request: %s", ld)
		expectRefusedWithControl(ctx, l, ld, "redirect_uri twice: registered, then "+bent, "one redirect_uri", codeParams(env.Profile.Clients.Confidential, nil))
	})

	harness.It(env, catalog.MissingRedirectURIWithSeveral, func(ctx SpecContext) {
		var client *profile.Client
		for _, c := range []*profile.Client{env.Profile.Clients.Confidential, env.Profile.Clients.Confidential2, env.Profile.Clients.Public} {
			if c != nil && len(c.RedirectURIs) >= 2 {
				client = c
				break
			}
		}
		harness.SkipUnless(client != nil, "no client in the profile declares several redirect_uris")
		l, _ := need(ctx)
		// The user consents to this client once, through its first redirect URI,
		// so that a lenient server would answer at once.
		first := client.RedirectURIs[0]
		// A client without scopes of its own asks for the confidential
		// client's (a provider may require a scope, openid say).
		var scope url.Values
		if len(client.Scopes) == 0 && env.Profile.Clients.Confidential != nil && len(env.Profile.Clients.Confidential.Scopes) > 0 {
			scope = url.Values{"scope": {strings.Join(env.Profile.Clients.Confidential.Scopes, " ")}}
		}
		consentExtra := url.Values{"redirect_uri": {first}}
		for k, v := range scope {
			consentExtra[k] = v
		}
		// Through codeParams with the scope, so that an openid scope gets its nonce.
		consent := codeParams(client, consentExtra)
		res, err := l.sess.Authorize(ctx, driver.Request{URL: harness.AuthorizationURL(env.Endpoints.Authorization, consent), RedirectURI: first, Login: env.Profile.Login})
		harness.Require(env, err)
		env.AttachRedirects(res)
		env.Redactor.Add(res.Query.Get("code"))
		if res.Query.Get("code") == "" {
			harness.Undecided(env, fmt.Errorf("the control request with redirect_uri=%s did not deliver a code: %s", first, env.Redactor.String(res.Callback.String())))
		}
		cookies, err := l.sess.Cookies(ctx)
		harness.Require(env, err)
		params := codeParams(client, scope)
		params.Del("redirect_uri")
		p, err := env.ProbeAuthorize(ctx, params, cookies)
		harness.Require(env, err)
		ld := &landing{probe: p}
		if !final(p) {
			ld.res, ld.deadEnd, err = continueInBrowser(ctx, l.sess, params, client.RedirectURIs)
			harness.Require(env, err)
		}
		ld.attach(fmt.Sprintf("%s registers %v; no redirect_uri sent", client.ID, client.RedirectURIs))
		chose := ld.delivered()
		for _, uri := range client.RedirectURIs {
			chose = chose || ld.sentTo(uri)
		}
		Expect(chose).To(BeFalse(), "the server chose a redirect URI itself: %s", ld)
		// The control: the consent above, through the first redirect URI, delivered a code.
		env.Attach("control: the same request with redirect_uri=" + first + " delivered a code: " + env.Redactor.String(res.Callback.String()))
	})

	harness.It(env, catalog.NoOpenRedirectOnError, func(ctx SpecContext) {
		l, _ := need(ctx)
		bent := "https://" + probeMarker + ".example/open-redirect"
		ld, err := authorizeAs(ctx, l, codeParams(env.Profile.Clients.Confidential, url.Values{
			"redirect_uri": {bent}, "response_type": {"oauthconform_unknown_type"},
		}), bent)
		harness.Require(env, err)
		expectNotRedirectedTo(ctx, l, ld, bent)
	})
})
