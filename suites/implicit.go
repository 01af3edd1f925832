package suites

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// implicitParams are an implicit authorization request (RFC 6749 §4.2.1)
// for the implicit role; a response_type with id_token also sends the openid
// scope and, unless nonce is "", the nonce (OpenID Connect Core §3.2.2.1).
func implicitParams(responseType, state, nonce string) url.Values {
	client := env.Profile.Clients.Implicit
	scopes := client.Scopes
	q := url.Values{
		"response_type": {responseType},
		"client_id":     {client.ID},
		"redirect_uri":  {env.Profile.RedirectURI},
		"state":         {state},
	}
	if strings.Contains(responseType, "id_token") {
		if nonce != "" {
			q.Set("nonce", nonce)
		}
		if !containsString(scopes, "openid") {
			scopes = append([]string{"openid"}, scopes...)
		}
	}
	if !q.Has("nonce") && nonce != "" && containsString(scopes, "openid") {
		// An OpenID Connect request (openid scope): a nonce, which a
		// provider may require with any response type.
		q.Set("nonce", nonce)
	}
	if len(scopes) > 0 {
		q.Set("scope", strings.Join(scopes, " "))
	}
	return q
}

// implicitRefusal reports whether error is how a target says it does not
// offer a client the response type it asked for: unsupported_response_type
// or unauthorized_client (RFC 6749 §4.2.2.1).
func implicitRefusal(code string) bool {
	return code == "unsupported_response_type" || code == "unauthorized_client"
}

// notOfferedReason is why the checks of an implicit response skip when the
// target refused the grant, which is what RFC 9700 §2.1.2 recommends (IMP-09
// reports it as a pass).
func notOfferedReason(responseType, code string) string {
	return fmt.Sprintf("the target does not offer the implicit grant (response_type=%s answered error=%s), as RFC 9700 §2.1.2 recommends: nothing to check", responseType, code)
}

// redirectParams are the error and the access token of an authorization
// response, from whichever component (query or fragment) carries them.
type redirectParams struct {
	error, description string
	errorInQuery       bool
	issued             bool // an access token came back
}

func readRedirect(query, fragment url.Values) redirectParams {
	r := redirectParams{issued: query.Get("access_token") != "" || fragment.Get("access_token") != ""}
	src := fragment
	if !fragment.Has("error") && query.Has("error") {
		src, r.errorInQuery = query, true
	}
	r.error, r.description = src.Get("error"), src.Get("error_description")
	return r
}

// authorizeImplicit runs an implicit request in the browser session and
// registers the tokens that come back.
func authorizeImplicit(ctx context.Context, sess *driver.Session, q url.Values) (*driver.Result, error) {
	res, err := sess.Authorize(ctx, driver.Request{URL: harness.AuthorizationURL(env.Endpoints.Authorization, q), RedirectURI: env.Profile.RedirectURI, Login: env.Profile.Login})
	if res != nil {
		for _, v := range []url.Values{res.Query, res.Fragment} {
			env.Redactor.Add(v.Get("access_token"), v.Get("refresh_token"), v.Get("id_token"), v.Get("code"))
		}
	}
	return res, err
}

var _ = Describe("Implicit flow", Label("flow:implicit"), Ordered, ContinueOnFailure, func() {
	var (
		state  string
		sess   *driver.Session
		res    *driver.Result
		resErr error
	)

	// One browser authorization (RFC 6749 §4.2.1) serves every implicit check.
	BeforeAll(func(ctx SpecContext) {
		client := env.Profile.Clients.Implicit
		if client == nil {
			return
		}
		sess, resErr = env.NewSession(ctx)
		if resErr != nil {
			return
		}
		DeferCleanup(func() { _ = sess.Close() })
		state = harness.Random()
		res, resErr = authorizeImplicit(ctx, sess, implicitParams(client.ImplicitResponseType(), state, harness.Random()))
	})

	// skipIfRefused skips when the implicit client's request was refused:
	// with the reason that the grant is not offered for the refusals that say
	// so (RFC 6749 §4.2.2.1), and with the error for any other.
	skipIfRefused := func() {
		GinkgoHelper()
		r := readRedirect(res.Query, res.Fragment)
		if r.error == "" {
			return
		}
		harness.SkipUnless(!implicitRefusal(r.error), "%s", notOfferedReason(env.Profile.Clients.Implicit.ImplicitResponseType(), r.error))
		harness.SkipUnless(false, "the target refused the implicit request with error=%s (%s), not as a grant it does not offer: nothing to check", r.error, r.description)
	}

	// offered skips without an implicit client or when the target refused
	// its request, and is undecided when the browser authorization failed:
	// the checks of an implicit response need one.
	offered := func() {
		GinkgoHelper()
		harness.SkipUnless(env.Profile.Clients.Implicit != nil, "the profile has no implicit client")
		harness.Require(env, resErr)
		env.AttachRedirects(res)
		skipIfRefused()
	}

	// idTokenTokenOffered skips unless the provider offers the implicit grant
	// and advertises response_type "id_token token" (an OpenID Provider's
	// implicit flow).
	idTokenTokenOffered := func() {
		GinkgoHelper()
		harness.SkipUnless(env.Profile.Clients.Implicit != nil, "the profile has no implicit client")
		types, _ := env.Metadata["response_types_supported"].([]any)
		if !containsAny(types, "id_token token") {
			if resErr == nil {
				skipIfRefused() // the grant refused altogether is the clearer reason
			}
			harness.SkipUnless(false, "the metadata does not list response_type \"id_token token\"")
		}
		offered()
	}

	harness.It(env, catalog.IDTokenAtHash, func(ctx SpecContext) {
		idTokenTokenOffered()
		got, err := authorizeImplicit(ctx, sess, implicitParams("id_token token", harness.Random(), harness.Random()))
		harness.Require(env, err)
		raw, access := got.Fragment.Get("id_token"), got.Fragment.Get("access_token")
		Expect(raw).NotTo(BeEmpty(), "no id_token in %s", env.Redactor.String(got.Callback.String()))
		Expect(access).NotTo(BeEmpty(), "no access_token in %s", env.Redactor.String(got.Callback.String()))
		header, claims := idToken(raw)
		want, ok := harness.TokenHash(access, fmt.Sprint(header["alg"]))
		harness.SkipUnless(ok, "the id_token's alg %v has no defined hash for at_hash", header["alg"])
		Expect(claims["at_hash"]).To(Equal(want), "at_hash does not match the access token")
	})

	harness.It(env, catalog.ImplicitNonceRequired, func(ctx SpecContext) {
		idTokenTokenOffered()
		// As the signed-in user who consented, so that only the nonce is missing.
		got, err := authorizeImplicit(ctx, sess, implicitParams("id_token token", harness.Random(), ""))
		harness.Require(env, err)
		env.Attach("id_token token without nonce → " + got.Callback.String())
		for _, v := range []url.Values{got.Fragment, got.Query} {
			Expect(v.Get("id_token")).To(BeEmpty(), "an id_token was issued without a nonce")
			Expect(v.Get("access_token")).To(BeEmpty(), "an access token was issued without a nonce")
		}
	})

	// IMP-09 judges the implicit client's own request (its response type,
	// token or id_token token, is the grant) when the profile has one, and
	// otherwise asks for response_type=token with the public client, or else
	// the confidential one, as the signed-in user — then it can only tell
	// whether that client is refused. Where the refusal goes is IMP-07's
	// requirement: a refusal in the query still passes here, with a note.
	harness.It(env, catalog.ImplicitNotOffered, func(ctx SpecContext) {
		var (
			r           redirectParams
			who, rt     string
			redirect    string
			redirected  = true
			implicitCli = env.Profile.Clients.Implicit
		)
		if implicitCli != nil {
			harness.Require(env, resErr)
			who, rt = "the implicit client "+implicitCli.ID, implicitCli.ImplicitResponseType()
			r, redirect = readRedirect(res.Query, res.Fragment), res.Callback.String()
		} else {
			client, role := env.Profile.Clients.Public, "public"
			if client == nil {
				client, role = env.Profile.Clients.Confidential, "confidential"
			}
			harness.SkipUnless(client != nil, "the profile has no implicit, public or confidential client")
			l, err := sharedLogin(ctx)
			harness.Require(env, err)
			p, err := env.ProbeAuthorize(ctx, codeParams(client, url.Values{"response_type": {"token"}}), l.cookies)
			harness.Require(env, err)
			who, rt = "the "+role+" client "+client.ID+" (the profile has no implicit client)", "token"
			redirect, redirected = p.String(), p.Redirected()
			if p.Target != nil {
				q, _ := url.ParseQuery(p.Target.RawQuery)
				f, _ := url.ParseQuery(p.Target.EscapedFragment())
				r = readRedirect(q, f)
			}
		}
		env.Attach(fmt.Sprintf("response_type=%s for %s → %s", rt, who, redirect))
		Expect(r.issued).To(BeFalse(), "the target offers the implicit grant: response_type=%s issued an access token to %s in the authorization response (RFC 9700 §2.1.2: SHOULD NOT)", rt, who)
		switch {
		case !redirected || r.error == "":
			harness.Undecided(env, fmt.Errorf("response_type=%s for %s issued no token and no error response (%s): whether the implicit grant is offered is unknown", rt, who, env.Redactor.String(redirect)))
		case !implicitRefusal(r.error):
			harness.Undecided(env, fmt.Errorf("response_type=%s for %s answered error=%s (%s), which does not say whether the implicit grant is offered (want unsupported_response_type or unauthorized_client)", rt, who, r.error, r.description))
		case r.errorInQuery:
			env.Attach("refused, but in the query instead of the fragment: IMP-07 judges where the error goes")
		}
	})

	harness.It(env, catalog.ImplicitTokenInFragment, func(ctx SpecContext) {
		offered()
		env.Attach("redirect: " + res.Callback.String())
		Expect(res.Query.Has("access_token")).To(BeFalse(), "access_token in the query of %s", env.Redactor.String(res.Callback.String()))
		Expect(res.Fragment.Get("access_token")).NotTo(BeEmpty(), "no access_token in the fragment of %s", env.Redactor.String(res.Callback.String()))
	})

	harness.It(env, catalog.ImplicitStateEchoed, func(ctx SpecContext) {
		offered()
		params := res.Fragment
		if !params.Has("access_token") {
			params = res.Query
		}
		Expect(params.Has("state")).To(BeTrue(), "no state in %s", env.Redactor.String(res.Callback.String()))
		Expect(params.Get("state")).To(Equal(state), "state was not echoed exactly")
	})

	harness.It(env, catalog.ImplicitNoRefreshToken, func(ctx SpecContext) {
		offered()
		Expect(res.Fragment.Has("refresh_token") || res.Query.Has("refresh_token")).To(BeFalse(),
			"a refresh token was issued in %s", env.Redactor.String(res.Callback.String()))
	})

	harness.It(env, catalog.ImplicitTokenType, func(ctx SpecContext) {
		offered()
		Expect(strings.EqualFold(res.Fragment.Get("token_type"), "Bearer")).To(BeTrue(),
			"token_type is %q, want Bearer", res.Fragment.Get("token_type"))
	})

	// DSC-05 lives here because it needs this flow's answer.
	harness.It(env, catalog.MetadataResponseTypesTrue, func(ctx SpecContext) {
		needMetadata()
		harness.SkipUnless(env.Profile.Clients.Implicit != nil, "the profile has no implicit client")
		harness.Require(env, resErr)
		types, _ := env.Metadata["response_types_supported"].([]any)
		rt := env.Profile.Clients.Implicit.ImplicitResponseType()
		issued := res.Fragment.Get("access_token") != "" || res.Query.Get("access_token") != ""
		env.Attach(fmt.Sprintf("response_types_supported %v; %q issued a token: %t", types, rt, issued))
		Expect(containsAny(types, rt)).To(Equal(issued), "the metadata and the authorization endpoint disagree about response_type %q", rt)
	})

	harness.It(env, catalog.ImplicitExpiresIn, func(ctx SpecContext) {
		offered()
		Expect(res.Fragment.Get("expires_in")).NotTo(BeEmpty(), "no expires_in in %s", env.Redactor.String(res.Callback.String()))
	})
})

// The implicit grant's restrictions, judged on a client registered for the
// code flow only, as the logged-in user who consented to it.
var _ = Describe("Implicit grant restrictions", Label("flow:implicit"), func() {
	// refusal asks for response_type=token with the code-only client, as the
	// user sees it (authorizeAs: past a consent page, in the browser).
	refusal := func(ctx SpecContext) (*loggedIn, *landing) {
		GinkgoHelper()
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil, "the profile has no confidential (code-only) client")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		ld, err := authorizeAs(ctx, l, codeParams(client, url.Values{"response_type": {"token"}}))
		harness.Require(env, err)
		return l, ld
	}

	harness.It(env, catalog.ImplicitOnlyForRegisteredClients, func(ctx SpecContext) {
		l, ld := refusal(ctx)
		ld.attach("response_type=token for a code-only client")
		Expect(ld.params().Get("access_token")).To(BeEmpty(), "a code-only client obtained an access token: %s", ld)
		imp := env.Profile.Clients.Implicit
		if imp == nil {
			// The control: the same client, with the response type it is registered for.
			requireControl(ctx, l, "response_type=code", codeParams(env.Profile.Clients.Confidential, nil))
			return
		}
		// The control isolates the property: the client registered for the
		// implicit grant gets a token the same way. Without that, the
		// refusal says only that the grant is not offered at all (IMP-09).
		rt := imp.ImplicitResponseType()
		params := codeParams(imp, url.Values{"response_type": {rt}})
		if strings.Contains(rt, "id_token") {
			params.Set("nonce", harness.Random())
			if !containsString(strings.Fields(params.Get("scope")), "openid") {
				params.Set("scope", strings.TrimSpace("openid "+params.Get("scope")))
			}
		}
		c, err := l.control(ctx, "implicit "+imp.ID, params)
		harness.Require(env, err)
		if c.params().Get("access_token") == "" {
			if e := c.params().Get("error"); e != "" {
				harness.SkipUnless(false, "the implicit grant is not offered to %s, registered for it, either (error=%s): no client obtains a token this way (IMP-09 reports it)", imp.ID, e)
			}
			harness.Undecided(env, fmt.Errorf("the control request of %s, registered for response_type=%s, delivered no token either: %s", imp.ID, rt, c))
		}
		env.Attach("control: the same request from " + imp.ID + ", registered for response_type=" + rt + ", delivered a token\n" + c.String())
	})

	// IMP-10 asks, as the signed-in user, for each hybrid response type that
	// puts an access token in the authorization response (OIDC Core §3.3):
	// with the implicit client, whose registration is the likeliest to
	// allow token-issuing types, and with the confidential client, for which
	// the hybrid flow is made (a type is offered to the clients registered
	// for it, so one refusal says nothing of the other). Plain HTTP with the
	// session's cookies; the browser only when the provider answers with a
	// page (requestAs). A refusal of any kind, or no access token, passes.
	harness.It(env, catalog.HybridTokenNotOffered, func(ctx SpecContext) {
		type asker struct {
			client *profile.Client
			who    string
		}
		var askers []asker
		if c := env.Profile.Clients.Implicit; c != nil {
			askers = append(askers, asker{c, "the implicit client " + c.ID})
		}
		c := env.Profile.Clients.Confidential
		harness.SkipUnless(c != nil, "the profile has no confidential client, whose login the requests are made with")
		askers = append(askers, asker{c, "the confidential client " + c.ID})
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		var issued []string
		for _, a := range askers {
			for _, rt := range []string{"code token", "code id_token token"} {
				got, p, err := requestAs(ctx, l, hybridParams(a.client, rt))
				harness.Require(env, err)
				env.Redactor.Add(got.Get("id_token"), got.Get("refresh_token"))
				answer := "no access token"
				switch {
				case got.Get("access_token") != "":
					answer = "an access token"
					issued = append(issued, fmt.Sprintf("response_type=%q for %s", rt, a.who))
				case got.Get("error") != "":
					answer = "refused: error=" + got.Get("error")
				case p.refused():
					answer = "refused with an error page"
				}
				p.attach(fmt.Sprintf("response_type=%s for %s: %s", rt, a.who, answer))
			}
		}
		Expect(issued).To(BeEmpty(), "the target issues an access token in the authorization response to %s (RFC 9700 §2.1.2: SHOULD NOT)", strings.Join(issued, " and "))
		requireControl(ctx, l, "response_type=code", codeParams(c, nil))
	})

	harness.It(env, catalog.ImplicitErrorInFragment, func(ctx SpecContext) {
		_, ld := refusal(ctx)
		ld.attach("response_type=token for a code-only client")
		harness.SkipUnless(ld.redirected(), "the provider refuses with a page, not a redirect")
		t := ld.target()
		q, _ := url.ParseQuery(t.RawQuery)
		f, _ := url.ParseQuery(t.EscapedFragment())
		// A server that does not know the implicit grant at all (its
		// metadata lists no response type with token) answers by the rules
		// of the code flow it does know (RFC 6749 §4.1.2.1 lists
		// unsupported_response_type, in the query): §4.2.2.1 binds a server
		// that offers the implicit grant.
		types, _ := env.Metadata["response_types_supported"].([]any)
		unknown := q.Get("error") == "unsupported_response_type" && !f.Has("error") && !listsTokenResponse(types)
		harness.SkipUnless(!unknown,
			"the target does not know response_type=token (its metadata lists no response type with token, and it answers unsupported_response_type in the query, as RFC 6749 §4.1.2.1 has it): the fragment rule of §4.2.2.1 binds a server that offers the implicit grant")
		Expect(q.Has("error")).To(BeFalse(), "the error is in the query: %s", ld)
		Expect(f.Has("error")).To(BeTrue(), "no error in the fragment: %s", ld)
	})
})

// hybridParams are a hybrid authorization request (OIDC Core §3.3.2.1) of
// response type rt for client: with a PKCE S256 challenge, so that a
// provider requiring PKCE for the code refuses nothing but the response
// type, and, with an id_token, the openid scope and a nonce (§3.3.2.11).
func hybridParams(client *profile.Client, rt string) url.Values {
	q := codeParams(client, url.Values{
		"response_type":         {rt},
		"code_challenge":        {s256(oauth2.GenerateVerifier())},
		"code_challenge_method": {"S256"},
	})
	if strings.Contains(rt, "id_token") {
		q.Set("nonce", harness.Random())
		if !containsString(strings.Fields(q.Get("scope")), "openid") {
			q.Set("scope", strings.TrimSpace("openid "+q.Get("scope")))
		}
	}
	return q
}

// listsTokenResponse reports whether response_types_supported lists a
// response type that returns an access token from the authorization
// endpoint (one whose values include token, in any order).
func listsTokenResponse(types []any) bool {
	for _, t := range types {
		if s, _ := t.(string); containsString(strings.Fields(s), "token") {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
