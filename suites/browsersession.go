package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// The provider's login session in the browser, CORS at the endpoints
// clients call directly, and what the provider's pages send to other
// origins. The cookie and leak checks judge the shared login (one browser
// login for the whole run); the CORS check is plain HTTP.

// loginWithResult is the shared login, whose first authorization ran in a
// fresh browser session: its cookies and the requests its pages sent are
// the provider's doing alone.
func loginWithResult(ctx context.Context) *loggedIn {
	GinkgoHelper()
	harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client")
	l, err := sharedLogin(ctx)
	if l == nil || l.first == nil || l.first.result == nil {
		harness.Require(env, err)
	}
	env.AttachRedirects(l.first.result)
	return l
}

// providerCookies are the cookies the shared login's browser holds for the
// hosts of the provider's pages (its top-level documents on the way to the
// redirect URI, and the authorization endpoint), all of them set during
// login and consent. Cookies of other domains (set by a third-party
// resource, say) are listed in the evidence but not judged.
func providerCookies(ctx context.Context) []*http.Cookie {
	GinkgoHelper()
	harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client")
	l, err := sharedLogin(ctx)
	harness.Require(env, err) // the cookies are read once every shared authorization ran
	hosts := providerHosts(l.first.result)
	var mine, others, opFrame []*http.Cookie
	for _, c := range l.cookies {
		if opFrameCookie(c) {
			opFrame = append(opFrame, c)
			continue
		}
		if slices.ContainsFunc(hosts, func(h string) bool { return domainMatches(h, c.Domain) }) {
			mine = append(mine, c)
		} else {
			others = append(others, c)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "provider hosts: %s\ncookies after login and consent (values left out):\n", strings.Join(hosts, ", "))
	for _, c := range mine {
		fmt.Fprintf(&b, "  %s\n", describeCookie(c))
	}
	for _, c := range others {
		fmt.Fprintf(&b, "  %s (another domain: not judged)\n", describeCookie(c))
	}
	for _, c := range opFrame {
		fmt.Fprintf(&b, "  %s (scoped to the check_session_iframe, whose script reads it: not judged)\n", describeCookie(c))
	}
	env.Attach(b.String())
	harness.SkipUnless(len(mine) > 0, "the provider set no cookie during login and consent: there is no session cookie to judge")
	return mine
}

// opFrameCookie is whether c is scoped to the path of the advertised
// check_session_iframe: the OP User Agent state its script reads (OpenID
// Connect Session Management 1.0 §3.2: the HttpOnly flag likely cannot be
// set for it, and the frame is in another site's page). Sent to that page
// alone, it is no login session cookie.
func opFrameCookie(c *http.Cookie) bool {
	raw, _ := env.Metadata["check_session_iframe"].(string)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Path == "" || u.Path == "/" {
		return false
	}
	return strings.TrimSuffix(c.Path, "/") == strings.TrimSuffix(u.Path, "/") && domainMatches(u.Hostname(), c.Domain)
}

// providerHosts are the hosts that served the provider's top-level pages
// during the shared login's first authorization, and the authorization
// endpoint's.
func providerHosts(res *driver.Result) []string {
	redirect := driver.OriginOf(env.Profile.RedirectURI)
	var hosts []string
	add := func(raw string) {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" && !slices.Contains(hosts, strings.ToLower(u.Hostname())) {
			hosts = append(hosts, strings.ToLower(u.Hostname()))
		}
	}
	add(env.Endpoints.Authorization)
	for _, r := range res.Requests {
		if r.TopLevel && r.Origin() != redirect {
			add(r.URL)
		}
	}
	return hosts
}

// domainMatches: a cookie of domain (".example.com" for a domain cookie,
// "idp.example.com" for a host-only one) is sent to host (RFC 6265 §5.1.3).
func domainMatches(host, domain string) bool {
	d := strings.ToLower(strings.TrimPrefix(domain, "."))
	return host == d || strings.HasSuffix(host, "."+d)
}

func describeCookie(c *http.Cookie) string {
	site := map[http.SameSite]string{0: "unset", http.SameSiteDefaultMode: "unset", http.SameSiteLaxMode: "Lax", http.SameSiteStrictMode: "Strict", http.SameSiteNoneMode: "None"}[c.SameSite]
	return fmt.Sprintf("%s (domain %s, path %s): HttpOnly %t, Secure %t, SameSite %s", c.Name, c.Domain, c.Path, c.HttpOnly, c.Secure, site)
}

// cookieNames lists the cookies for which bad holds.
func cookieNames(cookies []*http.Cookie, bad func(*http.Cookie) bool) []string {
	var names []string
	for _, c := range cookies {
		if bad(c) {
			names = append(names, describeCookie(c))
		}
	}
	return names
}

// corsOrigin is the foreign origin of the CORS probes.
const corsOrigin = "https://" + probeMarker + ".attacker.example.test"

// corsProbe sends a cross-origin request from corsOrigin to endpoint: a
// CORS preflight for OPTIONS (the one a script's form POST with an
// Authorization header needs), the request itself for POST, with form.
func corsProbe(ctx context.Context, method, endpoint string, form url.Values) (*harness.Exchange, error) {
	rec := &harness.Recorder{}
	var body *strings.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Origin", corsOrigin)
	if method == http.MethodOptions {
		req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := env.HTTPClient(rec).Do(req)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	return rec.Last(), nil
}

// leaks are the requests of the provider's pages to an origin that is
// neither the provider's (the origins of its top-level pages) nor the
// redirect URI's, whose URL or Referer carries one of secrets; others are
// the remaining requests to such origins.
func leaks(res *driver.Result, secrets ...string) (leaked, others []driver.SentRequest) {
	own := map[string]bool{driver.OriginOf(env.Profile.RedirectURI): true, driver.OriginOf(env.Endpoints.Authorization): true}
	for _, r := range res.Requests {
		if r.TopLevel {
			own[r.Origin()] = true
		}
	}
	for _, r := range res.Requests {
		if own[r.Origin()] || r.Origin() == "" {
			continue
		}
		carries := slices.ContainsFunc(secrets, func(s string) bool {
			return s != "" && (strings.Contains(r.URL, s) || strings.Contains(r.Referer, s))
		})
		if carries {
			leaked = append(leaked, r)
		} else {
			others = append(others, r)
		}
	}
	return leaked, others
}

func describeRequests(rs []driver.SentRequest) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %s %s (%s, from %s)\n    Referer: %q (policy %s)\n", r.Method, r.URL, r.Type, r.DocumentURL, r.Referer, r.ReferrerPolicy)
	}
	return b.String()
}

var _ = Describe("Browser-level protections: session cookies, CORS, leaks", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.SessionCookieHTTPOnly, func(ctx SpecContext) {
		bad := cookieNames(providerCookies(ctx), func(c *http.Cookie) bool { return !c.HttpOnly })
		Expect(bad).To(BeEmpty(), "cookies of the provider's login that script can read (no HttpOnly)")
	})

	harness.It(env, catalog.SessionCookieSameSite, func(ctx SpecContext) {
		bad := cookieNames(providerCookies(ctx), func(c *http.Cookie) bool {
			return c.SameSite != http.SameSiteLaxMode && c.SameSite != http.SameSiteStrictMode
		})
		Expect(bad).To(BeEmpty(), "cookies of the provider's login that other sites' requests carry (SameSite neither Lax nor Strict)")
	})

	harness.It(env, catalog.SessionCookieSecure, func(ctx SpecContext) {
		u, err := url.Parse(env.Endpoints.Authorization)
		harness.Require(env, err)
		harness.SkipUnless(u.Scheme == "https", "the provider is served over %s (%s): RFC 6265 §8.3 asks for Secure on cookies used over a secure channel", u.Scheme, env.Endpoints.Authorization)
		bad := cookieNames(providerCookies(ctx), func(c *http.Cookie) bool { return !c.Secure })
		Expect(bad).To(BeEmpty(), "cookies of the https provider's login that the browser also sends over plain http (no Secure)")
	})

	harness.It(env, catalog.BackChannelNoCredentialedCORS, func(ctx SpecContext) {
		// Requests that reach each endpoint's logic without authenticating
		// anyone: an unknown code, an unknown token.
		client := "oauthconform-cors-probe"
		if c := env.Profile.Clients.Public; c != nil {
			client = c.ID
		}
		endpoints := []struct {
			name, url string
			form      url.Values
		}{
			{"token", env.Endpoints.Token, url.Values{"grant_type": {"authorization_code"}, "code": {harness.Random()}, "redirect_uri": {env.Profile.RedirectURI}, "client_id": {client}}},
			{"revocation", env.Endpoints.Revocation, url.Values{"token": {harness.Random()}, "client_id": {client}}},
			{"introspection", env.Endpoints.Introspection, url.Values{"token": {harness.Random()}}},
		}
		var seen, granted []string
		for _, ep := range endpoints {
			if ep.url == "" {
				seen = append(seen, ep.name+" endpoint: none")
				continue
			}
			for _, method := range []string{http.MethodOptions, http.MethodPost} {
				x, err := corsProbe(ctx, method, ep.url, ep.form)
				harness.Require(env, err)
				acao, acac := x.Header.Get("Access-Control-Allow-Origin"), x.Header.Get("Access-Control-Allow-Credentials")
				line := fmt.Sprintf("%s %s (%s endpoint), Origin: %s → %d, Access-Control-Allow-Origin: %q, Access-Control-Allow-Credentials: %q",
					method, ep.url, ep.name, corsOrigin, x.Status, acao, acac)
				seen = append(seen, line)
				// Browsers honour credentials only with the exact origin
				// echoed (never with "*"): that pair opens the endpoint to
				// every site, with the user's credentials.
				if strings.EqualFold(strings.TrimSpace(acao), corsOrigin) && strings.EqualFold(strings.TrimSpace(acac), "true") {
					granted = append(granted, line)
				}
			}
		}
		env.Attach(strings.Join(seen, "\n"))
		Expect(granted).To(BeEmpty(), "an arbitrary origin is granted credentialed cross-origin reads")
	})

	harness.It(env, catalog.AuthorizationRequestNotLeaked, func(ctx SpecContext) {
		l := loginWithResult(ctx)
		res := l.first.result
		state, challenge := l.first.state, ""
		if l.first.verifier != "" {
			challenge = s256(l.first.verifier)
		}
		leaked, others := leaks(res, state, challenge)
		env.Attach(fmt.Sprintf("%d requests sent by the browser during the shared login's first authorization (state %s, code_challenge %s); to other origins:\n%s%s",
			len(res.Requests), state, challenge, describeRequests(leaked), describeRequests(others)))
		Expect(leaked).To(BeEmpty(), "the provider's pages sent the authorization request's state or code_challenge to another origin:\n%s", describeRequests(leaked))
		if len(others) > 0 {
			harness.Info(env, fmt.Sprintf("the provider's pages load %d resources from other origins (RFC 9700 §4.2.4: SHOULD NOT), none of them with state or code_challenge:\n%s", len(others), describeRequests(others)))
		}
	})
})
