package suites

import (
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

// expectNotRedirectedTo asserts the provider did not send the user to the
// bent URI: any redirect other than to the exact registered URI (without
// the probe's own additions) is what an attacker registered nothing for.
func expectNotRedirectedTo(p *harness.Probe, bent string) {
	GinkgoHelper()
	env.Attach(fmt.Sprintf("redirect_uri=%s\nserver %s", bent, env.Redactor.String(p.String())))
	if !p.Redirected() {
		return
	}
	harmless := p.SentTo(env.Profile.RedirectURI) && !p.Params.Has(probeMarker) &&
		!strings.Contains(strings.Join(p.Params["code"], " "), probeMarker)
	if p.Outcome == harness.OutcomeCodeDelivered {
		Expect(harmless).To(BeTrue(), "the server delivered a code to the unregistered redirect URI %s: %s", bent, env.Redactor.String(p.String()))
	}
	Expect(harmless).To(BeTrue(), "the server redirected to the unregistered redirect URI %s (%s)", bent, env.Redactor.String(p.String()))
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
		p, err := env.ProbeAuthorize(ctx, codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {bent}}), l.cookies)
		harness.Require(env, err)
		expectNotRedirectedTo(p, bent)
	})

	harness.It(env, catalog.UnregisteredRedirectBeforeLogin, func(ctx SpecContext) {
		harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client")
		bent := "https://" + probeMarker + ".example/unregistered"
		// A fresh user: no cookies.
		p, err := env.ProbeAuthorize(ctx, codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {bent}}), nil)
		harness.Require(env, err)
		env.Attach("server " + env.Redactor.String(p.String()))
		Expect(p.Outcome).NotTo(Equal(harness.OutcomeLoginPage), "the login page is shown before the unregistered redirect URI is refused")
		Expect(p.Redirected()).To(BeFalse(), "redirected: %s", env.Redactor.String(p.String()))
	})

	for _, v := range redirectVariants {
		harness.It(env, v.check, func(ctx SpecContext) {
			l, r := need(ctx)
			bent, notApplicable := v.build(r)
			harness.SkipUnless(notApplicable == "", "not applicable: %s", notApplicable)
			p, err := env.ProbeAuthorize(ctx, codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {bent}}), l.cookies)
			harness.Require(env, err)
			expectNotRedirectedTo(p, bent)
		})
	}

	harness.It(env, catalog.DuplicateRedirectURIRefused, func(ctx SpecContext) {
		l, r := need(ctx)
		bent := r.origin() + "/" + probeMarker
		p, err := env.ProbeAuthorize(ctx, codeParams(env.Profile.Clients.Confidential, url.Values{"redirect_uri": {env.Profile.RedirectURI, bent}}), l.cookies)
		harness.Require(env, err)
		env.Attach("redirect_uri twice: registered, then " + bent + "\nserver " + env.Redactor.String(p.String()))
		Expect(p.Outcome).NotTo(Equal(harness.OutcomeCodeDelivered), "a code was delivered for an ambiguous request: %s", env.Redactor.String(p.String()))
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
		consent := codeParams(client, url.Values{"redirect_uri": {first}})
		res, err := l.sess.Authorize(ctx, driver.Request{URL: harness.AuthorizationURL(env.Endpoints.Authorization, consent), RedirectURI: first, Login: env.Profile.Login})
		harness.Require(env, err)
		env.AttachRedirects(res)
		env.Redactor.Add(res.Query.Get("code"))
		cookies, err := l.sess.Cookies(ctx)
		harness.Require(env, err)
		params := codeParams(client, nil)
		params.Del("redirect_uri")
		p, err := env.ProbeAuthorize(ctx, params, cookies)
		harness.Require(env, err)
		env.Attach(fmt.Sprintf("%s registers %v; no redirect_uri sent\nserver %s", client.ID, client.RedirectURIs, env.Redactor.String(p.String())))
		Expect(p.Redirected()).To(BeFalse(), "the server chose a redirect URI itself: %s", env.Redactor.String(p.String()))
	})

	harness.It(env, catalog.NoOpenRedirectOnError, func(ctx SpecContext) {
		l, _ := need(ctx)
		bent := "https://" + probeMarker + ".example/open-redirect"
		p, err := env.ProbeAuthorize(ctx, codeParams(env.Profile.Clients.Confidential, url.Values{
			"redirect_uri": {bent}, "response_type": {"oauthconform_unknown_type"},
		}), l.cookies)
		harness.Require(env, err)
		expectNotRedirectedTo(p, bent)
	})
})
