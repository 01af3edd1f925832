package suites

import (
	"context"
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
	"sync"

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
	page, closePage, err := serveForeign(body)
	harness.Require(env, err)
	DeferCleanup(closePage)
	return page
}

// serveForeign is foreignPage for a caller that closes the server itself.
func serveForeign(body []byte) (page string, closePage func(), err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
	}))
	srv.Listener = l
	page = "http://" + l.Addr().String() + "/"
	if env.Mock != nil && env.Mock.Certificate != nil {
		srv.Listener = env.Mock.Listener(l)
		page = "https://" + l.Addr().String() + "/"
	}
	srv.Start()
	return page, srv.Close, nil
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

var _ = Describe("Consent and registered response types", Label("flow:authorization_code"), runsLate, func() {
	harness.It(env, catalog.ConsentCSRFProtected, func(ctx SpecContext) {
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		harness.SkipUnless(consentStep() != nil, "the profile has no consent step (an optional click among the login steps)")
		f := consentForgery.gather(ctx)
		harness.SkipUnless(f.skip == "", "%s", f.skip)
		harness.Require(env, f.err)
		if f.perRequestAction {
			env.Attach(fmt.Sprintf("the consent form is posted to a URL made for each request (%s, then %s): a page of another origin cannot know where to post it", f.first.Action, f.second.Action))
		} else {
			env.Attach(fmt.Sprintf("consent form: %s %s on %s\nper-request fields (left out): %v\nfields submitted from %s: %v",
				f.second.Method, f.second.Action, f.second.PageURL, f.secret, f.page, f.forged))
			f.forgedAt.attach("the form submitted from " + f.page + " without its per-request fields")
			Expect(f.forgedAt.delivered()).To(BeFalse(), "the consent form submitted from another origin without its per-request fields %v issued a code: %s", f.secret, f.forgedAt)
		}
		// The control: the same consent, approved on the provider's page, issues a code.
		if f.controlErr != nil {
			harness.Undecided(env, fmt.Errorf("the control (approving the consent on the provider's page) failed: %w", f.controlErr))
		}
		if f.control.Query.Get("code") == "" && f.control.Fragment.Get("code") == "" {
			harness.Undecided(env, fmt.Errorf("the control (approving the consent on the provider's page) delivered no code either: %s", env.Redactor.String(f.control.Callback.String())))
		}
		env.Attach(fmt.Sprintf("control: the consent approved on the provider's page delivered a code after %d step(s)", f.control.LoginSteps))
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

// forgeryRun is AE-15's evidence, made once per process (early.go starts
// it when the suite starts): two sessions of the user stopped at the
// consent page, the form of the second submitted from a page of another
// origin without the values that differ between them, and the control,
// the same consent approved on the provider's page. It judges nothing.
type forgeryRun struct {
	once sync.Once
	f    *forgery
}

// forgery is what forgeryRun saw.
type forgery struct {
	// skip: the provider shows a new session no consent page; err: the
	// harness could not get the pages.
	skip string
	err  error
	// first and second are the two consent forms; secret the names of the
	// fields whose values differ between them (the anti-forgery values),
	// forged the others. perRequestAction: the form is posted to a URL
	// made for each request, and nothing was forged.
	first, second    *driver.Form
	secret, forged   []string
	perRequestAction bool
	// page is the page of another origin that submitted the form, and
	// forgedAt where the browser went.
	page     string
	forgedAt *landing
	// control is the consent approved on the provider's page.
	control    *driver.Result
	controlErr error
}

var consentForgery forgeryRun

// gather makes the evidence on first use, with the profile's confidential
// client and consent step (the caller has checked both).
func (r *forgeryRun) gather(ctx context.Context) *forgery {
	r.once.Do(func() { r.f = forgeConsent(ctx) })
	return r.f
}

func forgeConsent(ctx context.Context) *forgery {
	f := &forgery{}
	client, approve := env.Profile.Clients.Confidential, consentStep()
	// The shared login first, whatever it gives: a provider that remembers
	// consent per user then shows these sessions none, every time, instead
	// of one or two by the race with the checks that run meanwhile.
	_, _ = sharedLogin(ctx)
	sess, err := env.NewSession(ctx)
	if err != nil {
		f.err = err
		return f
	}
	defer func() { _ = sess.Close() }()
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
	if err != nil {
		f.err = err
		return f
	}
	defer func() { _ = other.Close() }()
	if f.first, err = other.FormOf(ctx, request(), approve.Click); err != nil {
		if errors.Is(err, driver.ErrFormNotShown) {
			f.skip = fmt.Sprintf("the provider shows a new session no consent page (%v)", err)
		}
		f.err = err
		return f
	}
	if f.second, err = sess.FormOf(ctx, request(), approve.Click); err != nil {
		if errors.Is(err, driver.ErrFormNotShown) {
			// A provider that remembers consent per user, given
			// meanwhile by a check beside this run.
			f.skip = fmt.Sprintf("the provider showed the first session a consent page and the second none: it remembers the user's consent (%v)", err)
		}
		f.err = err
		return f
	}
	first, second := f.first, f.second
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
	for name, vals := range second.Fields {
		if slices.Equal(vals, first.Fields[name]) || !slices.ContainsFunc(vals, func(v string) bool { return !knownToClient(v) }) {
			for _, v := range vals {
				forged = append(forged, formField{name, v})
			}
		} else {
			f.secret = append(f.secret, name)
		}
	}
	// A form posted to a URL the server made for this request alone
	// (an interaction id in its path or query) cannot be forged either.
	a1, err1 := url.Parse(first.Action)
	a2, err2 := url.Parse(second.Action)
	f.perRequestAction = err1 != nil || err2 != nil || a1.EscapedPath() != a2.EscapedPath()
	if !f.perRequestAction {
		for k, vs := range a2.Query() {
			if !slices.Equal(vs, a1.Query()[k]) && slices.ContainsFunc(vs, func(v string) bool { return !knownToClient(v) }) {
				f.perRequestAction = true
			}
		}
	}
	if !f.perRequestAction {
		sort.Slice(forged, func(i, j int) bool { return forged[i].Name < forged[j].Name })
		sort.Strings(f.secret)
		var body strings.Builder
		if f.err = forgerPage.Execute(&body, struct {
			Method, Action string
			Fields         []formField
		}{second.Method, second.Action, forged}); f.err != nil {
			return f
		}
		page, closePage, err := serveForeign([]byte(body.String()))
		if err != nil {
			f.err = err
			return f
		}
		defer closePage()
		f.page = page
		for _, ff := range forged {
			f.forged = append(f.forged, ff.Name)
		}
		// The forged submission, in the user's browser.
		res, err := sess.Authorize(ctx, driver.Request{URL: page, RedirectURI: env.Profile.RedirectURI, StopAtDeadEnd: true})
		f.forgedAt = &landing{res: res}
		var de *driver.DeadEndError
		if errors.As(err, &de) {
			f.forgedAt.deadEnd, err = de, nil
		}
		if err != nil {
			f.err = err
			return f
		}
		if res != nil {
			env.Redactor.Add(res.Query.Get("code"), res.Fragment.Get("code"))
		}
	}
	f.control, f.controlErr = sess.Authorize(ctx, request())
	if f.control != nil {
		env.Redactor.Add(f.control.Query.Get("code"), f.control.Fragment.Get("code"))
	}
	return f
}
