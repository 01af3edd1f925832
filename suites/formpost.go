package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// needFormPost skips a check unless the metadata advertises form_post.
func needFormPost() {
	GinkgoHelper()
	needMetadata()
	harness.SkipUnless(containsString(metadataList("response_modes_supported"), "form_post"),
		"the provider does not advertise response_mode form_post (response_modes_supported: %s)", listOrNone(metadataList("response_modes_supported")))
}

// formPostRun is the shared login's one code request with
// response_mode=form_post, which OP-18, OP-19 and OP-20 judge.
type formPostRun struct {
	mu     sync.Mutex
	done   bool
	params url.Values
	ld     *landing
	err    error
}

var formPostCode formPostRun

func (f *formPostRun) get(ctx context.Context) (*landing, url.Values) {
	GinkgoHelper()
	needFormPost()
	client := env.Profile.Clients.Confidential
	harness.SkipUnless(client != nil, "the profile has no confidential client")
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.done {
		var l *loggedIn
		if l, f.err = sharedLogin(ctx); f.err == nil {
			f.params = codeParams(client, url.Values{"response_mode": {"form_post"}})
			f.ld, f.err = authorizeAs(ctx, l, f.params)
		}
		f.done = true
	}
	harness.Require(env, f.err)
	f.ld.attach("response_mode=form_post")
	return f.ld, f.params
}

// formPage is the page that carried the form: the last response of the
// browser's navigations before the redirect URI, or the plain-HTTP answer.
func formPage(ld *landing) (string, http.Header) {
	if ld.res != nil && len(ld.res.Hops) > 0 {
		h := ld.res.Hops[len(ld.res.Hops)-1]
		return h.URL, h.Header
	}
	if ld.probe != nil && len(ld.probe.Hops) > 0 {
		return ld.probe.Hops[len(ld.probe.Hops)-1], ld.probe.Header
	}
	return "", nil
}

// postedForm judges where a form_post response came: fail when its
// parameters came in the redirect URI's URL, undecided when none came.
func postedForm(ld *landing, want ...string) {
	GinkgoHelper()
	if ld.res == nil {
		if ld.probe != nil && ld.probe.Redirected() {
			// The plain-HTTP answer was already a redirect with the response.
			harness.Broken("the response came by a redirect with its parameters in the URL, not in a form POST: %s", ld)
		}
		harness.Undecided(env, fmt.Errorf("the browser reached no redirect URI: %s", ld))
	}
	for _, v := range []url.Values{ld.res.Query, ld.res.Fragment} {
		for _, name := range want {
			if v.Has(name) {
				harness.Broken("%s came in the redirect URI's URL (%s), not in a form POST: %s", name, env.Redactor.String(ld.res.Callback.String()), ld)
			}
		}
	}
	if ld.res.Method != http.MethodPost {
		harness.Broken("the redirect URI was reached by %s, not by a form POST: %s", ld.res.Method, ld)
	}
	for _, name := range want {
		if ld.res.Form.Get(name) == "" {
			harness.Undecided(env, fmt.Errorf("the form POSTed to the redirect URI carries no %s (fields: %s)", name, strings.Join(formNames(ld.res.Form), ", ")))
		}
	}
}

func formNames(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	return out
}

var _ = Describe("Form Post Response Mode", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.FormPostCode, func(ctx SpecContext) {
		ld, _ := formPostCode.get(ctx)
		if !ld.delivered() {
			l, _ := sharedLogin(ctx)
			requireControl(ctx, l, "no response_mode", codeParams(env.Profile.Clients.Confidential, nil))
			harness.Broken("the request with response_mode=form_post delivered no code: %s", ld)
		}
		postedForm(ld, "code")
	})

	harness.It(env, catalog.FormPostState, func(ctx SpecContext) {
		ld, params := formPostCode.get(ctx)
		harness.SkipUnless(ld.res != nil && ld.res.Method == http.MethodPost, "the response was not POSTed (OP-18): no form to read state from")
		if got := ld.res.Form.Get("state"); got != params.Get("state") {
			harness.Broken("the form POSTed to the redirect URI carries state %q, not the request's", got)
		}
	})

	harness.It(env, catalog.FormPostNoStore, func(ctx SpecContext) {
		ld, _ := formPostCode.get(ctx)
		harness.SkipUnless(ld.res != nil && ld.res.Method == http.MethodPost, "the response was not POSTed (OP-18): no form page to judge")
		page, h := formPage(ld)
		cc := strings.ToLower(h.Get("Cache-Control"))
		env.Attach(fmt.Sprintf("the page with the form: %s\nCache-Control: %s", env.Redactor.String(page), cc))
		if !strings.Contains(cc, "no-store") {
			harness.Broken("the page that carries the authorization response allows storing it: Cache-Control %q", cc)
		}
	})

	harness.It(env, catalog.FormPostImplicit, func(ctx SpecContext) {
		needFormPost()
		client := env.Profile.Clients.Implicit
		harness.SkipUnless(client != nil, "the profile has no implicit client")
		harness.SkipUnless(containsString(metadataList("response_types_supported"), "id_token token"), "the metadata does not list response_type \"id_token token\"")
		harness.SkipUnless(len(client.ResponseTypes) == 0 || containsString(client.ResponseTypes, "id_token token"), "the implicit client is not registered for id_token token")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		params := implicitParams("id_token token", harness.Random(), harness.Random())
		params.Set("response_mode", "form_post")
		ld, err := authorizeAs(ctx, l, params)
		harness.Require(env, err)
		ld.attach("response_type=id_token token, response_mode=form_post")
		if e := ld.params().Get("error"); implicitRefusal(e) {
			harness.SkipUnless(false, "%s", notOfferedReason("id_token token", e))
		}
		postedForm(ld, "access_token", "id_token")
	})

	harness.It(env, catalog.FormPostHybrid, func(ctx SpecContext) {
		needFormPost()
		l := hybridOffered(ctx)
		params := codeIDTokenParams([]string{harness.Random()})
		params.Set("response_mode", "form_post")
		ld, err := authorizeAs(ctx, l, params)
		harness.Require(env, err)
		ld.attach("response_type=code id_token, response_mode=form_post")
		if e := ld.params().Get("error"); e != "" && !ld.delivered() {
			harness.SkipUnless(false, "the provider refused code id_token for the confidential client (error=%s): it may not be registered for it", e)
		}
		postedForm(ld, "code", "id_token")
	})

	harness.It(env, catalog.FormPostError, func(ctx SpecContext) {
		needFormPost()
		needLoginUI()
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		sess, err := env.NewSession(ctx)
		harness.Require(env, err)
		DeferCleanup(func() { _ = sess.Close() })
		ld, err := silently(ctx, sess, nil, codeParams(client, url.Values{"prompt": {"none"}, "response_mode": {"form_post"}}))
		harness.Require(env, err)
		ld.attach("prompt=none, response_mode=form_post, from a browser with no session")
		harness.SkipUnless(ld.params().Get("error") != "", "prompt=none from a browser with no session was not refused (OP-01): no error response to judge")
		postedForm(ld, "error")
	})
})
