package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// Outcome is what the authorization endpoint did with a request, from the
// user's point of view: where the browser would end up.
type Outcome string

const (
	// OutcomeCodeDelivered: a redirect to the client carrying a code or a token — the worst answer to a bad request.
	OutcomeCodeDelivered Outcome = "delivered a code or token"
	// OutcomeErrorRedirect: a redirect to the client carrying an OAuth error.
	OutcomeErrorRedirect Outcome = "redirected with an error"
	// OutcomeOtherRedirect: a redirect off the provider carrying neither.
	OutcomeOtherRedirect Outcome = "redirected off the provider"
	// OutcomeLoginPage: the provider's login form (a password field).
	OutcomeLoginPage Outcome = "showed the login page"
	// OutcomeErrorPage: any other page on the provider. With a 4xx/5xx
	// status it is an error page; otherwise (a consent page, a page
	// rendered by script, a 200 error page) only the browser can tell.
	OutcomeErrorPage Outcome = "showed a page, no redirect"
)

// Probe is the result of one authorization request sent over plain HTTP.
type Probe struct {
	Outcome Outcome
	Status  int
	// Header is the header of the last response (the page, or the redirect).
	Header http.Header
	// Location is the off-provider redirect target (fragment included), redacted, for evidence.
	Location string
	// Target is the same redirect target, parsed and unredacted, for comparisons.
	Target *url.URL
	// Params are the redirect's query and fragment parameters together.
	Params url.Values
	// Hops are "STATUS URL" lines of every response, for evidence.
	Hops []string
	// HopHeaders are the headers of every response, in the order of Hops.
	HopHeaders []http.Header
	// PostsForm: the page holds a form that POSTs somewhere (a form_post
	// response, OAuth 2.0 Form Post Response Mode §2, which some providers
	// send with an error status too): only the browser can tell where it goes.
	PostsForm bool
	// PageError is the error code of an error page (status 400 or more)
	// whose body is a JSON object with "error", as some providers answer a
	// request they will not redirect ({"error": "invalid_client"}); "" else.
	PageError string
}

// Redirected reports whether the provider sent the browser to the client.
func (p *Probe) Redirected() bool {
	return p.Outcome == OutcomeCodeDelivered || p.Outcome == OutcomeErrorRedirect || p.Outcome == OutcomeOtherRedirect
}

// SentTo reports whether the redirect went to exactly uri (scheme, host and
// path; the parameters the server added are not compared).
func (p *Probe) SentTo(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && p.Target != nil && p.Target.Scheme == u.Scheme && p.Target.Host == u.Host &&
		p.Target.EscapedPath() == u.EscapedPath() && p.Target.User == nil
}

// String says what the server did, with the redirect target (redacted).
func (p *Probe) String() string {
	s := string(p.Outcome)
	if p.Location != "" {
		s += " → " + p.Location
	}
	return s + " (hops: " + strings.Join(p.Hops, " | ") + ")"
}

// maxProviderHops bounds redirects followed inside the provider (login, consent pages).
const maxProviderHops = 8

// ProbeAuthorize sends an authorization request (RFC 6749 §4.1.1) with the
// given parameters over plain HTTP, as the user owning cookies (nil: a fresh
// user), follows redirects that stay on the provider, and classifies where it
// ends. Codes and tokens it sees are registered with the redactor.
func (env *Env) ProbeAuthorize(ctx context.Context, params url.Values, cookies []*http.Cookie) (*Probe, error) {
	return env.probeURL(ctx, AuthorizationURL(env.Endpoints.Authorization, params), cookies)
}

// AuthorizationURL appends params to the endpoint, keeping a query it already has.
// The encoding is done by hand where a check needs exact bytes: params are
// encoded with url.Values, which sorts keys and percent-encodes values.
func AuthorizationURL(endpoint string, params url.Values) string {
	sep := "?"
	if strings.Contains(endpoint, "?") {
		sep = "&"
	}
	return endpoint + sep + params.Encode()
}

func (env *Env) probeURL(ctx context.Context, target string, cookies []*http.Cookie) (*Probe, error) {
	return env.probeURLWith(ctx, target, cookies, nil, false)
}

// ProbeLoginPage is ProbeAuthorize for a fresh user that follows redirects
// off the provider's origin too (a login app on another origin, as hosted
// providers have): it ends at the first page, or at a redirect to the
// profile's redirect URI or one carrying a code, token or error. The page
// is the one the browser would show the user.
func (env *Env) ProbeLoginPage(ctx context.Context, params url.Values) (*Probe, error) {
	return env.probeURLWith(ctx, AuthorizationURL(env.Endpoints.Authorization, params), nil, nil, true)
}

// ProbeURL is ProbeAuthorize for any URL of the provider (its logout
// endpoint, say): redirects that stay on the authorization endpoint's
// origin are followed, one off it is where the request ends.
func (env *Env) ProbeURL(ctx context.Context, target string, cookies []*http.Cookie) (*Probe, error) {
	return env.probeURL(ctx, target, cookies)
}

// ProbeAuthorizeWith is ProbeAuthorize with extra request headers (an Origin, say).
func (env *Env) ProbeAuthorizeWith(ctx context.Context, params url.Values, cookies []*http.Cookie, header http.Header) (*Probe, error) {
	return env.probeURLWith(ctx, AuthorizationURL(env.Endpoints.Authorization, params), cookies, header, false)
}

// probeURLWith follows redirects on the provider's origin, and with
// anyOrigin those off it that are not the client's (no redirect URI, no
// code, token or error).
func (env *Env) probeURLWith(ctx context.Context, target string, cookies []*http.Cookie, header http.Header, anyOrigin bool) (*Probe, error) {
	provider, err := url.Parse(env.Endpoints.Authorization)
	if err != nil {
		return nil, err
	}
	// A jar seeded with the user's cookies keeps those the provider sets
	// along the chain too (an interaction's own cookie, say).
	client := env.HTTPClient(nil)
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	seeded := make([]*http.Cookie, 0, len(cookies))
	for _, c := range cookies {
		c := *c
		c.Domain = "" // host-only for the provider; the jar refuses domain cookies on IP hosts
		seeded = append(seeded, &c)
	}
	jar.SetCookies(provider, seeded)
	client.Jar = jar
	p := &Probe{}
	for hop := 0; ; hop++ {
		if hop == maxProviderHops {
			return nil, fmt.Errorf("more than %d redirects inside the provider: %s", maxProviderHops, strings.Join(p.Hops, " | "))
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return nil, err
		}
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := readBody(resp)
		if err != nil {
			return nil, err
		}
		p.Status, p.Header = resp.StatusCode, resp.Header
		p.Hops = append(p.Hops, fmt.Sprintf("%d %s", resp.StatusCode, env.Redactor.String(target)))
		p.HopHeaders = append(p.HopHeaders, resp.Header)
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode > 399 || loc == "" {
			p.Outcome = OutcomeErrorPage
			if looksLikeLogin(body) {
				p.Outcome = OutcomeLoginPage
			}
			p.PostsForm = postsForm(body)
			if resp.StatusCode >= 400 {
				p.PageError = jsonError(body)
			}
			return p, nil
		}
		next, err := resp.Request.URL.Parse(loc)
		if err != nil {
			return nil, fmt.Errorf("unparsable Location %q: %w", env.Redactor.String(loc), err)
		}
		onProvider := next.Scheme == provider.Scheme && next.Host == provider.Host
		if (onProvider || anyOrigin && !carriesResult(redirectParams(next))) && !env.isRedirectURI(next) {
			target = next.String()
			continue
		}
		p.Target = next
		p.Params = redirectParams(next)
		env.Redactor.Add(p.Params.Get("code"), p.Params.Get("access_token"), p.Params.Get("id_token"), p.Params.Get("refresh_token"))
		p.Location = env.Redactor.String(next.String())
		switch {
		case p.Params.Get("code") != "" || p.Params.Get("access_token") != "" || p.Params.Get("id_token") != "":
			p.Outcome = OutcomeCodeDelivered
		case p.Params.Get("error") != "":
			p.Outcome = OutcomeErrorRedirect
		default:
			p.Outcome = OutcomeOtherRedirect
		}
		return p, nil
	}
}

// isRedirectURI reports whether u is the profile's redirect URI (which may
// share the provider's origin).
func (env *Env) isRedirectURI(u *url.URL) bool {
	r, err := url.Parse(env.Profile.RedirectURI)
	return err == nil && u.Scheme == r.Scheme && u.Host == r.Host && u.Path == r.Path
}

// carriesResult reports whether redirect parameters carry an authorization
// response: a code, a token or an error.
func carriesResult(p url.Values) bool {
	return p.Get("code") != "" || p.Get("access_token") != "" || p.Get("id_token") != "" || p.Get("error") != ""
}

func redirectParams(u *url.URL) url.Values {
	out := url.Values{}
	for _, raw := range []string{u.RawQuery, u.Fragment} {
		v, _ := url.ParseQuery(raw)
		for k, vs := range v {
			out[k] = append(out[k], vs...)
		}
	}
	return out
}

// postsForm: a page with a form whose method is POST.
func postsForm(body []byte) bool {
	b := strings.ToLower(string(body))
	return strings.Contains(b, "<form") && (strings.Contains(b, `method="post"`) || strings.Contains(b, `method='post'`) || strings.Contains(b, `method=post`))
}

// looksLikeLogin: a page with a password field is a login form, whatever the provider.
func looksLikeLogin(body []byte) bool {
	b := strings.ToLower(string(body))
	return strings.Contains(b, `type="password"`) || strings.Contains(b, `type='password'`) || strings.Contains(b, `type=password`)
}

// jsonError is the "error" member of a JSON object body, "" when the body
// is not one.
func jsonError(body []byte) string {
	var v struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	return v.Error
}
