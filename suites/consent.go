package suites

import (
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// forgerPage submits a form, on load, to another origin's action.
var forgerPage = template.Must(template.New("forger").Parse(`<!doctype html>
<title>oauthconform cross-site form</title>
<form id="forged" method="{{.Method}}" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}</form>
<script>document.getElementById("forged").submit();</script>`))

type formField struct{ Name, Value string }

// foreignPage serves body on its own loopback port: another origin than
// the provider's (over HTTPS with the mock's certificate when the target
// is the bundled mock, as framer does).
func foreignPage(body []byte) string {
	GinkgoHelper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	harness.Require(env, err)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
	}))
	srv.Listener = l
	page := "http://" + l.Addr().String() + "/"
	if env.Mock != nil && env.Mock.Certificate != nil {
		srv.Listener = env.Mock.Listener(l)
		page = "https://" + l.Addr().String() + "/"
	}
	srv.Start()
	DeferCleanup(srv.Close)
	return page
}

// consentStep is the profile's consent approval: its last optional click
// step (the convention AE-11 reads too); nil when it has none.
func consentStep() *profile.Step {
	for i := len(env.Profile.Login) - 1; i >= 0; i-- {
		if s := env.Profile.Login[i]; s.Optional && s.Click != "" {
			return &s
		}
	}
	return nil
}

var _ = Describe("Consent and registered response types", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.ConsentCSRFProtected, func(ctx SpecContext) {
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		approve := consentStep()
		harness.SkipUnless(approve != nil, "the profile has no consent step (an optional click among the login steps)")
		sess, err := env.NewSession(ctx)
		harness.Require(env, err)
		DeferCleanup(func() { _ = sess.Close() })
		var sent []url.Values
		request := func() driver.Request {
			params := codeParams(client, nil)
			sent = append(sent, params)
			return driver.Request{URL: harness.AuthorizationURL(env.Endpoints.Authorization, params),
				RedirectURI: env.Profile.RedirectURI, Login: env.Profile.Login}
		}
		// The consent page twice, for two pending requests in two sessions
		// of the user: a value that differs between them is bound to the
		// request or to the session, and a page of another origin knows
		// neither.
		other, err := env.NewSession(ctx)
		harness.Require(env, err)
		DeferCleanup(func() { _ = other.Close() })
		first, err := other.FormOf(ctx, request(), approve.Click)
		if errors.Is(err, driver.ErrFormNotShown) {
			harness.SkipUnless(false, "the provider shows a new session no consent page (%v)", err)
		}
		harness.Require(env, err)
		second, err := sess.FormOf(ctx, request(), approve.Click)
		harness.Require(env, err)
		// knownToClient: a value the second request itself carried (its
		// state, say), which the client — the attacker of this threat — chose.
		knownToClient := func(v string) bool {
			for _, vs := range sent[1] {
				if v != "" && slices.Contains(vs, v) {
					return true
				}
			}
			return false
		}
		// What a page of another origin can know: the fields whose values
		// the two pages share, or that the request itself carried. Those
		// that differ otherwise are the anti-forgery values (per request or
		// per session).
		var forged []formField
		var secret []string
		for name, vals := range second.Fields {
			if slices.Equal(vals, first.Fields[name]) || !slices.ContainsFunc(vals, func(v string) bool { return !knownToClient(v) }) {
				for _, v := range vals {
					forged = append(forged, formField{name, v})
				}
			} else {
				secret = append(secret, name)
			}
		}
		// A form posted to a URL the server made for this request alone
		// (an interaction id in its path or query) cannot be forged either.
		a1, err1 := url.Parse(first.Action)
		a2, err2 := url.Parse(second.Action)
		perRequestAction := err1 != nil || err2 != nil || a1.EscapedPath() != a2.EscapedPath()
		if !perRequestAction {
			for k, vs := range a2.Query() {
				if !slices.Equal(vs, a1.Query()[k]) && slices.ContainsFunc(vs, func(v string) bool { return !knownToClient(v) }) {
					perRequestAction = true
				}
			}
		}
		if perRequestAction {
			env.Attach(fmt.Sprintf("the consent form is posted to a URL made for each request (%s, then %s): a page of another origin cannot know where to post it", first.Action, second.Action))
			ctl, err := sess.Authorize(ctx, request())
			if err != nil {
				harness.Undecided(env, fmt.Errorf("the control (approving the consent on the provider's page) failed: %w", err))
			}
			env.Redactor.Add(ctl.Query.Get("code"))
			if ctl.Query.Get("code") == "" && ctl.Fragment.Get("code") == "" {
				harness.Undecided(env, fmt.Errorf("the control (approving the consent on the provider's page) delivered no code either: %s", env.Redactor.String(ctl.Callback.String())))
			}
			env.Attach("control: the consent approved on the provider's page delivered a code")
			return
		}
		sort.Slice(forged, func(i, j int) bool { return forged[i].Name < forged[j].Name })
		sort.Strings(secret)
		var body strings.Builder
		harness.Require(env, forgerPage.Execute(&body, struct {
			Method, Action string
			Fields         []formField
		}{second.Method, second.Action, forged}))
		page := foreignPage([]byte(body.String()))
		names := make([]string, 0, len(forged))
		for _, f := range forged {
			names = append(names, f.Name)
		}
		env.Attach(fmt.Sprintf("consent form: %s %s on %s\nper-request fields (left out): %v\nfields submitted from %s: %v",
			second.Method, second.Action, second.PageURL, secret, page, names))
		// The forged submission, in the user's browser.
		res, err := sess.Authorize(ctx, driver.Request{URL: page, RedirectURI: env.Profile.RedirectURI, StopAtDeadEnd: true})
		ld := &landing{res: res}
		var de *driver.DeadEndError
		if errors.As(err, &de) {
			ld.deadEnd, err = de, nil
		}
		harness.Require(env, err)
		if res != nil {
			env.Redactor.Add(res.Query.Get("code"), res.Fragment.Get("code"))
		}
		ld.attach("the form submitted from " + page + " without its per-request fields")
		Expect(ld.delivered()).To(BeFalse(), "the consent form submitted from another origin without its per-request fields %v issued a code: %s", secret, ld)
		// The control: the same consent, approved on the provider's page, issues a code.
		ctl, err := sess.Authorize(ctx, request())
		if err != nil {
			harness.Undecided(env, fmt.Errorf("the control (approving the consent on the provider's page) failed: %w", err))
		}
		env.Redactor.Add(ctl.Query.Get("code"))
		if ctl.Query.Get("code") == "" && ctl.Fragment.Get("code") == "" {
			harness.Undecided(env, fmt.Errorf("the control (approving the consent on the provider's page) delivered no code either: %s", env.Redactor.String(ctl.Callback.String())))
		}
		env.Attach(fmt.Sprintf("control: the consent approved on the provider's page delivered a code after %d step(s)", ctl.LoginSteps))
	})

	harness.It(env, catalog.CodeOnlyForRegisteredClients, func(ctx SpecContext) {
		imp := env.Profile.Clients.Implicit
		harness.SkipUnless(imp != nil, "the profile has no client registered without the code response type (clients.implicit)")
		harness.SkipUnless(len(imp.ResponseTypes) > 0, "the profile does not say which response types %s is registered for (clients.implicit.response_types); the one it uses is not its whole registration", imp.ID)
		harness.SkipUnless(!slices.Contains(imp.ResponseTypes, "code"), "%s is registered for the code response type (clients.implicit.response_types)", imp.ID)
		rt := strings.Join(imp.ResponseTypes, ", ")
		conf := env.Profile.Clients.Confidential
		harness.SkipUnless(conf != nil, "the profile has no confidential client, whose login the request is made with")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		// With PKCE, so that a provider requiring it refuses nothing but the client's response type.
		params := codeParams(imp, url.Values{"response_type": {"code"}, "code_challenge": {s256(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"}})
		ld, err := authorizeAs(ctx, l, params)
		harness.Require(env, err)
		Expect(ld.params().Get("code")).To(BeEmpty(), "%s, registered for response_type=%s, obtained a code: %s", imp.ID, rt, ld)
		expectRefusedWithControl(ctx, l, ld, fmt.Sprintf("response_type=code for %s (registered for %s)", imp.ID, rt),
			"a client registered for code ("+conf.ID+")", s256Params(conf))
	})
})
