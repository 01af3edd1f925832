package suites

import (
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

var framerPage = template.Must(template.New("framer").Parse(`<!doctype html>
<title>oauthconform framing probe</title>
<p>This page, on another origin, frames the provider's authorization URL.</p>
<iframe id="target" src="{{.}}" width="800" height="600"></iframe>`))

// frameControlID is the element of the control page the framer frames.
const frameControlID = "oauthconform-frame-control"

// framer serves, on its own loopback port (another origin than any
// provider), a page that frames authURL.
func framer(authURL string) string {
	GinkgoHelper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	harness.Require(env, err)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/control":
			// The control: the same framing page around a page that allows framing.
			_ = framerPage.Execute(w, "/framable")
		case "/framable":
			_, _ = w.Write([]byte(`<!doctype html><title>framable</title><form><input id="` + frameControlID + `"></form>`))
		default:
			_ = framerPage.Execute(w, authURL)
		}
	}))
	srv.Listener = l
	url := "http://" + l.Addr().String() + "/"
	if env.Mock != nil && env.Mock.Certificate != nil {
		// Over HTTPS with the mock's own certificate (which the browser
		// trusts): another origin (another port), but the same site, so
		// that a browser with site isolation keeps the frame in the page's
		// process, where the driver can look into it.
		srv.Listener = env.Mock.Listener(l)
		url = "https://" + l.Addr().String() + "/"
	}
	srv.Start()
	DeferCleanup(srv.Close)
	return url
}

// loginPage fetches the authorization URL as a fresh user and returns the
// page the provider shows (its login form), with its headers.
func loginPage(ctx SpecContext) *harness.Probe {
	GinkgoHelper()
	c := env.Profile.Clients.Confidential
	harness.SkipUnless(c != nil, "the profile has no confidential client")
	// The page the user is shown, wherever it lives: a login app on another
	// origin is followed to.
	p, err := env.ProbeLoginPage(ctx, codeParams(c, nil))
	harness.Require(env, err)
	harness.SkipUnless(!p.Redirected(), "the provider sent a fresh user back to the client without a page: %s", env.Redactor.String(p.String()))
	var headers []string
	for _, k := range []string{"X-Frame-Options", "Content-Security-Policy", "Referrer-Policy", "Access-Control-Allow-Origin"} {
		headers = append(headers, fmt.Sprintf("%s: %s", k, p.Header.Get(k)))
	}
	env.Attach(env.Redactor.String(p.String()) + "\n" + strings.Join(headers, "\n"))
	return p
}

var _ = Describe("Browser-level protections", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.FramingBlocked, func(ctx SpecContext) {
		c := env.Profile.Clients.Confidential
		harness.SkipUnless(c != nil, "the profile has no confidential client")
		harness.SkipUnless(len(env.Profile.Login) > 0, "the profile has no login steps to recognise the login page by")
		first := env.Profile.Login[0]
		selector := first.Fill + first.Click + first.WaitFor
		harness.SkipUnless(selector != "", "the first login step waits for a URL, not an element")
		sess, err := env.NewSession(ctx)
		harness.Require(env, err)
		DeferCleanup(func() { _ = sess.Close() })
		authURL := harness.AuthorizationURL(env.Endpoints.Authorization, codeParams(c, nil))
		page := framer(authURL)
		rendered, err := sess.FrameRenders(ctx, page, selector, 2*time.Second)
		harness.Require(env, err)
		env.Attach(fmt.Sprintf("framed from %s; %q rendered inside the frame: %t", page, selector, rendered))
		Expect(rendered).To(BeFalse(), "the login page rendered inside a frame of another origin (clickjacking)")
		// Not rendered: blocked, if the same framing page renders a page
		// that allows framing, and the login page renders top-level; a
		// frame that failed for another reason decides nothing.
		control, err := sess.FrameRenders(ctx, page+"control", "#"+frameControlID, 2*time.Second)
		harness.Require(env, err)
		if !control {
			harness.Undecided(env, fmt.Errorf("the control frame (a page that allows framing, framed the same way from %scontrol) did not render either: the frame failing says nothing of the provider", page))
		}
		shown, err := sess.PageShows(ctx, authURL, selector, 2*time.Second)
		if err != nil {
			harness.Undecided(env, fmt.Errorf("the control failed: the login page does not load top-level: %w", err))
		}
		if !shown {
			harness.Undecided(env, fmt.Errorf("the control failed: %q does not render on the login page top-level either, so its absence in the frame proves nothing", selector))
		}
		env.Attach(fmt.Sprintf("control: a page that allows framing rendered in the same frame (%scontrol), and %q renders on the login page top-level", page, selector))
	})

	harness.It(env, catalog.FrameAncestorsCSP, func(ctx SpecContext) {
		p := loginPage(ctx)
		Expect(strings.ToLower(p.Header.Get("Content-Security-Policy"))).To(ContainSubstring("frame-ancestors"), "no CSP frame-ancestors on the authorization page")
	})

	harness.It(env, catalog.XFrameOptions, func(ctx SpecContext) {
		p := loginPage(ctx)
		xfo := strings.ToUpper(strings.TrimSpace(p.Header.Get("X-Frame-Options")))
		Expect(xfo).To(BeElementOf("DENY", "SAMEORIGIN"), "X-Frame-Options is %q", xfo)
	})

	harness.It(env, catalog.ReferrerPolicy, func(ctx SpecContext) {
		p := loginPage(ctx)
		policy := strings.ToLower(p.Header.Get("Referrer-Policy"))
		Expect(policy).NotTo(BeEmpty(), "no Referrer-Policy on the authorization page")
		for _, leaky := range []string{"unsafe-url", "no-referrer-when-downgrade", "origin-when-cross-origin"} {
			Expect(strings.Split(policy, ",")).NotTo(ContainElement(leaky), "Referrer-Policy %q sends the full URL to other origins", policy)
		}
	})

	harness.It(env, catalog.AuthorizationNoCORS, func(ctx SpecContext) {
		c := env.Profile.Clients.Confidential
		harness.SkipUnless(c != nil, "the profile has no confidential client")
		origin := "https://" + probeMarker + ".example"
		// Every hop of the chain, as a fresh user (the login page) and as
		// the signed-in user (the redirect carrying the code): a script
		// reading any of them cross-origin reads what the user sees.
		users := []struct {
			who     string
			cookies []*http.Cookie
		}{{"a fresh user", nil}}
		if l, err := sharedLogin(ctx); err == nil {
			users = append(users, struct {
				who     string
				cookies []*http.Cookie
			}{"the signed-in user", l.cookies})
		}
		var allowed, evidence []string
		for _, u := range users {
			p, err := env.ProbeAuthorizeWith(ctx, codeParams(c, nil), u.cookies, http.Header{"Origin": {origin}})
			harness.Require(env, err)
			for i, h := range p.HopHeaders {
				acao := h.Get("Access-Control-Allow-Origin")
				line := fmt.Sprintf("%s, hop %s: Access-Control-Allow-Origin %q", u.who, p.Hops[i], acao)
				evidence = append(evidence, line)
				if acao == origin || acao == "*" {
					allowed = append(allowed, line)
				}
			}
		}
		env.Attach("Origin: " + origin + "\n" + strings.Join(evidence, "\n"))
		Expect(allowed).To(BeEmpty(), "the authorization endpoint allows cross-origin reads")
	})
})
