package suites

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// codeGrant is one authorization code obtained in the browser.
type codeGrant struct {
	client   *profile.Client
	state    string
	verifier string // empty without PKCE
	result   *driver.Result
	code     string
}

// authorizeCode runs one authorization request (RFC 6749 §4.1.1) for client
// in a browser session; with pkce it sends an S256 challenge (RFC 7636 §4.3).
// The code is registered with the redactor.
func authorizeCode(ctx context.Context, sess *driver.Session, client *profile.Client, pkce bool) (*codeGrant, error) {
	return authorizeCodeWith(ctx, sess, client, pkce, env.Profile.Login)
}

// authorizeCodeWith is authorizeCode with the given login steps.
func authorizeCodeWith(ctx context.Context, sess *driver.Session, client *profile.Client, pkce bool, steps []profile.Step) (*codeGrant, error) {
	g := &codeGrant{client: client, state: harness.Random()}
	var opts []oauth2.AuthCodeOption
	if pkce {
		g.verifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(g.verifier))
	}
	if containsString(client.Scopes, "openid") {
		// An OpenID Connect request: a nonce (OIDC Core §3.1.2.1), which a
		// provider may require in the code flow too.
		opts = append(opts, oauth2.SetAuthURLParam("nonce", harness.Random()))
	}
	authURL := env.OAuth2Config(client).AuthCodeURL(g.state, opts...)
	res, err := sess.Authorize(ctx, driver.Request{URL: authURL, RedirectURI: env.Profile.RedirectURI, Login: steps})
	if err != nil {
		return nil, err
	}
	g.result = res
	// A code may arrive in the wrong component; the checks judge where it came.
	g.code = res.Query.Get("code")
	if g.code == "" {
		g.code = res.Fragment.Get("code")
	}
	env.Redactor.Add(g.code, g.verifier)
	if g.code == "" {
		return g, errors.New("the authorization response carries no code: " + env.Redactor.String(res.Callback.String()))
	}
	return g, nil
}

// codeParams are the parameters of an authorization request for client
// (RFC 6749 §4.1.1), with extra ones added or overriding; a name given with
// no value (nil) is left out. A code request carries a PKCE S256 challenge
// unless extra names code_challenge (noPKCE sends none), so that a provider
// requiring PKCE of every client refuses only what a check is about; its
// verifier is verifierOf(the request's state). A request whose scope holds
// openid carries a nonce unless extra names one (OIDC Core §3.1.2.1).
func codeParams(client *profile.Client, extra url.Values) url.Values {
	v := url.Values{
		"response_type": {"code"},
		"client_id":     {client.ID},
		"redirect_uri":  {env.Profile.RedirectURI},
		"state":         {harness.Random()},
	}
	if len(client.Scopes) > 0 {
		v.Set("scope", strings.Join(client.Scopes, " "))
	}
	for k, vals := range extra {
		v[k] = vals
	}
	if _, named := extra["code_challenge"]; !named && v.Get("response_type") == "code" && v.Get("state") != "" {
		v.Set("code_challenge", s256(verifierOf(v.Get("state"))))
		v.Set("code_challenge_method", "S256")
	}
	if _, named := extra["nonce"]; !named && containsString(strings.Fields(v.Get("scope")), "openid") {
		v.Set("nonce", harness.Random())
	}
	for k, vals := range v {
		if vals == nil {
			delete(v, k)
		}
	}
	return v
}

// noPKCE makes codeParams send no PKCE challenge (for the checks about PKCE).
func noPKCE() url.Values { return url.Values{"code_challenge": nil, "code_challenge_method": nil} }

// pkceKey derives the PKCE verifier of each codeParams request from its
// state: fixed for the process, never written anywhere.
var pkceKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}()

// verifierOf is the PKCE verifier (RFC 7636 §4.1: 43 characters of
// base64url) codeParams used for the request with this state.
func verifierOf(state string) string {
	m := hmac.New(sha256.New, pkceKey)
	m.Write([]byte(state))
	v := base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	env.Redactor.Add(v)
	return v
}

// verifierOpts sends the verifier of a codeParams request (by its state)
// with a code exchange; none for a request that carried no challenge.
func verifierOpts(params url.Values) []oauth2.AuthCodeOption {
	if params.Get("code_challenge") == "" || params.Get("code_challenge") != s256(verifierOf(params.Get("state"))) {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.VerifierOption(verifierOf(params.Get("state")))}
}

// s256 is the RFC 7636 §4.2 S256 challenge of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// s256Params are codeParams with an S256 challenge (RFC 7636 §4.3): the
// control of the PKCE checks' requests.
func s256Params(client *profile.Client) url.Values {
	return codeParams(client, url.Values{"code_challenge": {s256(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"}})
}

// codeFor obtains a code for client as the logged-in user; undecided when none comes.
func codeFor(ctx context.Context, l *loggedIn, client *profile.Client, extra url.Values) string {
	GinkgoHelper()
	code, _ := codeForParams(ctx, l, client, extra)
	return code
}

// codeForParams is codeFor that also returns the request's parameters
// (verifierOpts finds the PKCE verifier with them).
func codeForParams(ctx context.Context, l *loggedIn, client *profile.Client, extra url.Values) (string, url.Values) {
	GinkgoHelper()
	params := codeParams(client, extra)
	got, p, err := requestAs(ctx, l, params)
	harness.Require(env, err)
	if got.Get("code") == "" {
		what := "no redirect"
		if p != nil {
			what = p.String()
		}
		harness.Undecided(env, fmt.Errorf("no code for a valid authorization request (%s): %s", env.Redactor.String(got.Encode()), what))
	}
	return got.Get("code"), params
}

// exchange redeems a code with golang.org/x/oauth2 and records the HTTP exchange.
func exchange(ctx context.Context, client *profile.Client, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, *harness.Exchange, error) {
	rec := &harness.Recorder{}
	tok, err := env.OAuth2Config(client).Exchange(env.ClientContext(ctx, rec), code, opts...)
	if tok != nil {
		idToken, _ := tok.Extra("id_token").(string)
		env.Redactor.Add(tok.AccessToken, tok.RefreshToken, idToken)
	}
	return tok, rec.Last(), err
}

// exchangeRaw redeems a code with a hand-built token request, for requests a
// well-behaved client library would not send (a verifier without a
// challenge, a short verifier). verifier "" sends none.
func exchangeRaw(ctx context.Context, client *profile.Client, code, verifier string) (*harness.Exchange, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {env.Profile.RedirectURI}}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	user, pass := client.ID, client.Secret
	if client.Secret == "" || client.UsesPost() {
		form.Set("client_id", client.ID)
		if client.Secret != "" {
			form.Set("client_secret", client.Secret)
		}
		user, pass = "", ""
	}
	return env.PostForm(ctx, env.Endpoints.Token, form, user, pass)
}

// registeredErrors are the error codes of RFC 6749 §4.1.2.1 and §5.2.
var registeredErrors = map[string]bool{
	"invalid_request": true, "unauthorized_client": true, "access_denied": true, "unsupported_response_type": true,
	"invalid_scope": true, "server_error": true, "temporarily_unavailable": true, "invalid_client": true,
	"invalid_grant": true, "unsupported_grant_type": true,
}

// expectRejected asserts a token request failed with the given OAuth error code.
func expectRejected(err error, x *harness.Exchange, wantCode string) {
	GinkgoHelper()
	Expect(err).To(HaveOccurred(), "the request was accepted:\n%s", env.Evidence(x))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		harness.Undecided(env, err)
	}
	Expect(re.ErrorCode).To(Equal(wantCode), "expected error %q:\n%s", wantCode, env.Evidence(x))
}

// expectRefusedErr asserts an oauth2 token request was refused, whatever its answer:
// the security property (another client cannot redeem the code, say). The
// error code is judged apart, by expectRefusedWith.
func expectRefusedErr(err error, x *harness.Exchange) {
	GinkgoHelper()
	Expect(err).To(HaveOccurred(), "the request was accepted:\n%s", env.Evidence(x))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		harness.Undecided(env, err)
	}
}

// requireClientAccepted makes a refusal that is about the client's
// authentication (401, or invalid_client) undecided: a binding of a code or
// token holds only when the client presenting it was itself accepted.
func requireClientAccepted(err error, x *harness.Exchange, whose string) {
	GinkgoHelper()
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && (re.ErrorCode == "invalid_client" || re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized) {
		harness.Undecided(env, fmt.Errorf("%s authentication was refused (%s), so the refusal says nothing of the binding:\n%s", whose, re.ErrorCode, env.Evidence(x)))
	}
	if x != nil && err == nil && (x.Status == http.StatusUnauthorized || stringField(x.JSON(), "error") == "invalid_client") {
		harness.Undecided(env, fmt.Errorf("%s authentication was refused, so the refusal says nothing of the binding:\n%s", whose, env.Evidence(x)))
	}
}

// expectRefusedWith asserts the error code of a refused token request (RFC
// 6749 §5.2), the interoperability half of a refusal. It skips when the
// request was accepted: the property's check (named property) fails then.
func expectRefusedWith(err error, x *harness.Exchange, wantCode, property string) {
	GinkgoHelper()
	harness.SkipUnless(err != nil, "the request was accepted (%s): there is no refusal whose error code to judge", property)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		harness.Undecided(env, err)
	}
	Expect(re.ErrorCode).To(Equal(wantCode), "the request was refused (status %d) with error %q, not %q (RFC 6749 §5.2):\n%s", re.Response.StatusCode, re.ErrorCode, wantCode, env.Evidence(x))
}

// expectRawRefusedWith is expectRefusedWith for a hand-built request.
func expectRawRefusedWith(x *harness.Exchange, wantCode, property string) {
	GinkgoHelper()
	harness.SkipUnless(x.Status >= 400, "the request was accepted (%s): there is no refusal whose error code to judge", property)
	Expect(x.JSON()).To(HaveKeyWithValue("error", wantCode), "the request was refused (status %d) with another error than %q (RFC 6749 §5.2):\n%s", x.Status, wantCode, env.Evidence(x))
}

// expectRawRejected asserts a hand-built token request was refused with wantCode.
func expectRawRejected(x *harness.Exchange, wantCode string) {
	GinkgoHelper()
	Expect(x.Status).To(BeNumerically(">=", 400), "the request was accepted:\n%s", env.Evidence(x))
	Expect(x.JSON()).To(HaveKeyWithValue("error", wantCode), "expected error %q:\n%s", wantCode, env.Evidence(x))
}

// maxCodeLifetimeWait bounds how long CODE-05 waits for a code to expire.
const maxCodeLifetimeWait = 2 * time.Minute

var _ = Describe("Authorization Code flow", Label("flow:authorization_code"), runsLate, Ordered, ContinueOnFailure, func() {
	var (
		client *profile.Client
		login  *loggedIn
		// first is the shared login's authorization (confidential client,
		// PKCE S256); its code is redeemed once here and replayed by CODE-01.
		first    *codeGrant
		loginErr error
		token    *oauth2.Token
		tokenX   *harness.Exchange
		tokenErr error
		// expiring is a code obtained early, redeemed by CODE-05 after its lifetime.
		expiring       string
		expiringIssued time.Time
		expiringOpts   []oauth2.AuthCodeOption // its PKCE verifier
	)

	BeforeAll(func(ctx SpecContext) {
		client = env.Profile.Clients.Confidential
		if client == nil {
			return
		}
		login, loginErr = sharedLogin(ctx)
		if login != nil {
			first = login.first
			token, tokenX, tokenErr = login.token, login.tokenX, login.tokenErr
		}
		if loginErr == nil && env.Profile.CodeLifetime > 0 && env.Profile.CodeLifetime <= maxCodeLifetimeWait {
			e := expiringCodes.get(ctx)
			expiring, expiringIssued, expiringOpts = e.code, e.issued, e.opts
		}
	})

	// needFirst skips without a confidential client and is undecided when the
	// browser authorization failed without any response.
	needFirst := func() {
		GinkgoHelper()
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		if first == nil {
			harness.Require(env, loginErr)
		}
		env.AttachRedirects(first.result)
	}
	// needSuccess is needFirst for the checks of a successful authorization
	// response: an error response is not one, so such a check cannot be
	// decided (error, with the provider's error as the reason), never failed.
	needSuccess := func() {
		GinkgoHelper()
		needFirst()
		for _, params := range []url.Values{first.result.Query, first.result.Fragment} {
			if params.Get("code") == "" && params.Get("error") != "" {
				harness.Undecided(env, fmt.Errorf("the provider answered the authorization request with error=%s %q, not with a code: %s",
					params.Get("error"), params.Get("error_description"), env.Redactor.String(first.result.Callback.String())))
			}
		}
	}
	// needLogin also needs a usable code and the session's cookies.
	needLogin := func() {
		GinkgoHelper()
		needFirst()
		harness.Require(env, loginErr)
	}
	// exchangeControl: the shared login's code was redeemed by its own
	// client with the registered redirect_uri and its verifier, the
	// legitimate request a refused variation is contrasted with.
	exchangeControl := func() {
		GinkgoHelper()
		if tokenErr != nil || token == nil {
			harness.Undecided(env, fmt.Errorf("the control exchange (the client's own code, the registered redirect_uri, its verifier) did not succeed either:\n%s", env.Evidence(tokenX)))
		}
		env.Attach("control: the client's own code exchange with the registered redirect_uri and its verifier succeeded (the shared login)")
	}
	needToken := func() {
		GinkgoHelper()
		needLogin()
		if token == nil && tokenErr != nil && tokenX == nil {
			harness.Undecided(env, tokenErr)
		}
		Expect(tokenErr).NotTo(HaveOccurred(), "the code exchange failed:\n%s", env.Evidence(tokenX))
	}

	harness.It(env, catalog.CodeInQuery, func(ctx SpecContext) {
		needSuccess()
		env.Attach("redirect: " + first.result.Callback.String())
		Expect(first.result.Query.Get("code")).NotTo(BeEmpty(), "no code in the query of %s", env.Redactor.String(first.result.Callback.String()))
	})

	harness.It(env, catalog.CodeResponseStateEchoed, func(ctx SpecContext) {
		needSuccess()
		got := first.result.Query
		if got.Get("code") == "" {
			got = first.result.Fragment
		}
		Expect(got.Has("state")).To(BeTrue(), "no state in the authorization response %s", env.Redactor.String(first.result.Callback.String()))
		Expect(got.Get("state")).To(Equal(first.state), "state was not echoed exactly")
	})

	harness.It(env, catalog.IssuerInAuthorizationResponse, func(ctx SpecContext) {
		needSuccess()
		// iss travels with the response, in whichever component it came
		// (where the code belongs is AE-01's business).
		params := first.result.Query
		if params.Get("code") == "" && first.result.Fragment.Get("code") != "" {
			params = first.result.Fragment
		}
		advertised, _ := env.Metadata["authorization_response_iss_parameter_supported"].(bool)
		if !params.Has("iss") {
			harness.SkipUnless(advertised, "the target does not advertise authorization_response_iss_parameter_supported and sent no iss")
			harness.Broken("iss is advertised (authorization_response_iss_parameter_supported) but missing from %s", env.Redactor.String(first.result.Callback.String()))
		}
		Expect(params.Get("iss")).To(Equal(env.Endpoints.Issuer), "iss differs from the issuer")
	})

	harness.It(env, catalog.NoLoginRedirect307, func(ctx SpecContext) {
		needFirst()
		harness.SkipUnless(first.result.LoginSteps > 0, "the shared login reused an existing session, so no login POST was observed")
		// RFC 9700 §4.12 concerns a request that may carry the user's
		// credentials: a 307 answering a GET re-sends nothing.
		posted := map[string]bool{}
		for _, r := range first.result.Requests {
			if r.TopLevel && r.Method != http.MethodGet && r.Method != http.MethodHead {
				posted[r.URL] = true
			}
		}
		var hops []string
		for _, h := range first.result.Hops {
			hops = append(hops, fmt.Sprintf("%d %s", h.Status, h.URL))
		}
		env.Attach("hops: " + strings.Join(hops, " | "))
		for _, h := range first.result.Hops {
			if posted[h.URL] {
				Expect(h.Status).NotTo(Equal(http.StatusTemporaryRedirect), "a 307 answers the form posted to %s, so the browser re-posts the credentials to %s",
					env.Redactor.String(h.URL), env.Redactor.String(h.Location))
			}
		}
	})

	harness.It(env, catalog.PKCES256Accepted, func(ctx SpecContext) {
		needLogin()
		Expect(tokenErr).NotTo(HaveOccurred(), "redeeming the code with the correct S256 verifier failed:\n%s", env.Evidence(tokenX))
	})

	harness.It(env, catalog.TokenResponseShape, func(ctx SpecContext) {
		needToken()
		env.Attach(env.Evidence(tokenX))
		Expect(token.AccessToken).NotTo(BeEmpty(), "no access_token")
		Expect(strings.EqualFold(token.TokenType, "Bearer")).To(BeTrue(), "token_type is %q, want Bearer", token.TokenType)
	})

	harness.It(env, catalog.TokenResponseExpiresIn, func(ctx SpecContext) {
		needToken()
		Expect(tokenX.JSON()).To(HaveKey("expires_in"), "no expires_in in the token response:\n%s", env.Evidence(tokenX))
	})

	harness.It(env, catalog.TokenResponseNoStore, func(ctx SpecContext) {
		needToken()
		Expect(strings.ToLower(tokenX.Header.Get("Cache-Control"))).To(ContainSubstring("no-store"), "Cache-Control:\n%s", env.Evidence(tokenX))
	})

	harness.It(env, catalog.TokenResponsePragma, func(ctx SpecContext) {
		needToken()
		Expect(strings.ToLower(tokenX.Header.Get("Pragma"))).To(ContainSubstring("no-cache"),
			"no Pragma: no-cache. RFC 6749 §5.1 asks for it beside Cache-Control: no-store, but RFC 9111 §5.4 deprecates Pragma "+
				"(never defined for responses) and the OAuth 2.1 draft drops it: only HTTP/1.0 caches read it, so its absence is a warning:\n%s", env.Evidence(tokenX))
	})

	// The replay checks run in a login of their own: a replayed code may make
	// the provider revoke the whole grant, consent included.
	harness.It(env, catalog.CodeSingleUse, func(ctx SpecContext) {
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		iso, err := isolatedLogin(ctx)
		harness.Require(env, err)
		if iso.tokenErr != nil {
			harness.Undecided(env, fmt.Errorf("the first redemption failed:\n%s", env.Evidence(iso.tokenX)))
		}
		_, x, err := exchange(ctx, client, iso.first.code, oauth2.VerifierOption(iso.first.verifier))
		expectRejected(err, x, "invalid_grant")
	})

	harness.It(env, catalog.CodeReuseRevokesTokens, func(ctx SpecContext) {
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		iso, err := isolatedLogin(ctx)
		harness.Require(env, err)
		if iso.tokenErr != nil {
			harness.Undecided(env, fmt.Errorf("the first redemption failed:\n%s", env.Evidence(iso.tokenX)))
		}
		tok := iso.token
		_, x2, err := exchange(ctx, client, iso.first.code, oauth2.VerifierOption(iso.first.verifier))
		harness.SkipUnless(err != nil, "the second redemption succeeded (see CODE-01)")
		env.Attach("replay:\n" + env.Evidence(x2))
		// Observe revocation through the refresh token (RFC 6749 §6) or the protected resource.
		switch {
		case tok.RefreshToken != "":
			// Authenticated as the client authenticates (its auth_method):
			// an invalid_client says nothing of the token.
			rx, rerr := postAs(ctx, env.Endpoints.Token, client, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
			harness.Require(env, rerr)
			requireClientAuthenticated(rx)
			env.Redactor.Add(stringField(rx.JSON(), "access_token"), stringField(rx.JSON(), "refresh_token"))
			Expect(rx.Status).To(BeNumerically(">=", 400), "the refresh token from the first redemption still works:\n%s", env.Evidence(rx))
		case env.Profile.Resource != "":
			x := resourceCall(ctx, tok.AccessToken, false)
			Expect(x.Status).To(BeNumerically(">=", 400), "the access token from the first redemption still works: %s", env.Evidence(x))
		default:
			harness.SkipUnless(false, "no refresh token was issued and the profile names no resource: revocation cannot be observed")
		}
	})

	harness.It(env, catalog.IDTokenSubStable, func(ctx SpecContext) {
		_, _, claims := sharedIDToken(ctx)
		// Another sign-in of the same user: an isolated login some check
		// already made, or one of its own.
		subs := loginSubs.all()
		if len(subs) == 0 {
			l, err := isolatedLogin(ctx)
			harness.Require(env, err)
			if l.tokenErr != nil {
				harness.Undecided(env, fmt.Errorf("the second sign-in's code exchange failed:\n%s", env.Evidence(l.tokenX)))
			}
			subs = loginSubs.all()
		}
		harness.SkipUnless(len(subs) > 0, "the second sign-in's token response carries no id_token")
		env.Attach(fmt.Sprintf("%d other sign-in(s) of %s", len(subs), env.Profile.User.Username))
		for _, sub := range subs {
			Expect(sub).To(Equal(claims["sub"]), "another sign-in of the same user got another sub")
		}
	})

	harness.It(env, catalog.PKCEWrongVerifierRejected, func(ctx SpecContext) {
		needLogin()
		code := codeFor(ctx, login, client, url.Values{"code_challenge": {s256(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"}})
		_, x, err := exchange(ctx, client, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		expectRejected(err, x, "invalid_grant")
	})

	harness.It(env, catalog.PKCEMissingVerifierRejected, func(ctx SpecContext) {
		needLogin()
		code := codeFor(ctx, login, client, url.Values{"code_challenge": {s256(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"}})
		x, err := exchangeRaw(ctx, client, code, "")
		harness.Require(env, err)
		// A missing verifier is a missing parameter (RFC 6749 §5.2
		// invalid_request) or a failed verification (RFC 7636 §4.6 invalid_grant).
		Expect(x.Status).To(BeNumerically(">=", 400), "a redemption without code_verifier was accepted:\n%s", env.Evidence(x))
		Expect(stringField(x.JSON(), "error")).To(BeElementOf("invalid_request", "invalid_grant"), "error for a missing verifier:\n%s", env.Evidence(x))
	})

	harness.It(env, catalog.PKCEDowngradeRejected, func(ctx SpecContext) {
		needLogin()
		got, p, err := requestAs(ctx, login, codeParams(client, noPKCE()))
		harness.Require(env, err)
		if got.Get("code") == "" && got.Get("error") != "" {
			harness.SkipUnless(false, "the provider refuses a code request without code_challenge from this client too (it requires PKCE of every client), so no code without a challenge exists to downgrade: %s", describe(got, p))
		}
		code := codeFor(ctx, login, client, noPKCE())
		x, err := exchangeRaw(ctx, client, code, oauth2.GenerateVerifier())
		harness.Require(env, err)
		Expect(x.Status).To(BeNumerically(">=", 400), "a verifier was accepted for a code issued without a challenge:\n%s", env.Evidence(x))
	})

	harness.It(env, catalog.PKCEPlainVerifierForS256Rejected, func(ctx SpecContext) {
		needLogin()
		challenge := s256(oauth2.GenerateVerifier())
		code := codeFor(ctx, login, client, url.Values{"code_challenge": {challenge}, "code_challenge_method": {"S256"}})
		x, err := exchangeRaw(ctx, client, code, challenge)
		harness.Require(env, err)
		expectRawRejected(x, "invalid_grant")
	})

	harness.It(env, catalog.PKCEShortVerifierRejected, func(ctx SpecContext) {
		needLogin()
		short := oauth2.GenerateVerifier()[:42]
		env.Redactor.Add(short)
		code := codeFor(ctx, login, client, url.Values{"code_challenge": {s256(short)}, "code_challenge_method": {"S256"}})
		x, err := exchangeRaw(ctx, client, code, short)
		harness.Require(env, err)
		Expect(x.Status).To(BeNumerically(">=", 400), "a 42-character verifier was accepted:\n%s", env.Evidence(x))
	})

	harness.It(env, catalog.PKCEPlainRefused, func(ctx SpecContext) {
		needLogin()
		verifier := oauth2.GenerateVerifier()
		got, p, err := requestAs(ctx, login, codeParams(client, url.Values{"code_challenge": {verifier}, "code_challenge_method": {"plain"}}))
		harness.Require(env, err)
		if got.Get("code") == "" {
			p.attach("refused at the authorization endpoint: code_challenge_method=plain")
			requireControl(ctx, login, "an S256 challenge", s256Params(client))
			return
		}
		x, err := exchangeRaw(ctx, client, got.Get("code"), verifier)
		harness.Require(env, err)
		Expect(x.Status).To(BeNumerically(">=", 400), "plain PKCE was accepted end to end:\n%s", env.Evidence(x))
	})

	harness.It(env, catalog.PKCEUnknownMethodRefused, func(ctx SpecContext) {
		needLogin()
		got, p, err := requestAs(ctx, login, codeParams(client, url.Values{"code_challenge": {s256(oauth2.GenerateVerifier())}, "code_challenge_method": {"S512"}}))
		harness.Require(env, err)
		Expect(got.Get("code")).To(BeEmpty(), "a code was issued for code_challenge_method=S512: %s", describe(got, p))
		if got.Get("error") != "" {
			Expect(got.Get("error")).To(Equal("invalid_request"), "wrong error for an unsupported method: %s", describe(got, p))
		}
		expectRefusedWithControl(ctx, login, p, "code_challenge_method=S512", "code_challenge_method=S256", s256Params(client))
	})

	// A code redeemed by another client: CODE-02 judges the refusal,
	// CODE-07 its error code.
	var otherClient attempt
	redeemByOtherClient := func(ctx context.Context) (*harness.Exchange, error) {
		GinkgoHelper()
		return otherClient.get(func() (*harness.Exchange, error) {
			needLogin()
			other := env.Profile.Clients.Confidential2
			harness.SkipUnless(other != nil, "the profile has no second confidential client (confidential2)")
			// The code's own verifier: only the client binding may refuse it.
			code, params := codeForParams(ctx, login, client, nil)
			_, x, err := exchange(ctx, other, code, verifierOpts(params)...)
			return x, err
		})
	}
	harness.It(env, catalog.CodeBoundToClient, func(ctx SpecContext) {
		x, err := redeemByOtherClient(ctx)
		expectRefusedErr(err, x)
		requireClientAccepted(err, x, "the other client's")
		exchangeControl()
	})
	harness.It(env, catalog.CodeOtherClientInvalidGrant, func(ctx SpecContext) {
		x, err := redeemByOtherClient(ctx)
		expectRefusedWith(err, x, "invalid_grant", "CODE-02")
	})

	// A code redeemed with another redirect_uri: CODE-03 judges the
	// refusal, CODE-08 its error code.
	var otherRedirect attempt
	redeemAtOtherRedirect := func(ctx context.Context) (*harness.Exchange, error) {
		GinkgoHelper()
		return otherRedirect.get(func() (*harness.Exchange, error) {
			needLogin()
			code, params := codeForParams(ctx, login, client, nil)
			cfg := env.OAuth2Config(client)
			wrong, _ := url.Parse(cfg.RedirectURL)
			wrong.Path += "-other"
			cfg.RedirectURL = wrong.String()
			rec := &harness.Recorder{}
			tok, err := cfg.Exchange(env.ClientContext(ctx, rec), code, verifierOpts(params)...)
			if tok != nil {
				env.Redactor.Add(tok.AccessToken, tok.RefreshToken)
			}
			return rec.Last(), err
		})
	}
	harness.It(env, catalog.CodeBoundToRedirectURI, func(ctx SpecContext) {
		x, err := redeemAtOtherRedirect(ctx)
		expectRefusedErr(err, x)
		requireClientAccepted(err, x, "the client's")
		exchangeControl()
	})
	harness.It(env, catalog.CodeRedirectMismatchInvalidGrant, func(ctx SpecContext) {
		x, err := redeemAtOtherRedirect(ctx)
		expectRefusedWith(err, x, "invalid_grant", "CODE-03")
	})

	harness.It(env, catalog.CodeEntropy, func(ctx SpecContext) {
		needLogin()
		// The codes the run already obtained for this client first (each
		// new one may cost a consent page), then new ones up to the sample.
		const samples = 16
		codes := login.codes.all()
		reused := len(codes)
		for len(codes) < samples {
			codes = append(codes, codeFor(ctx, login, client, nil))
		}
		bits, how := harness.EstimateEntropy(codes)
		env.Attach(fmt.Sprintf("estimated %.0f bits from %d codes (%d of them obtained earlier in the run): %s", bits, len(codes), min(reused, len(codes)), how))
		Expect(bits).To(BeNumerically(">=", 128), "codes carry about %.0f bits: %s", bits, how)
	})

	// CODE-05 runs last in the flow, so that the code it redeems has mostly
	// aged while the other checks ran.
	harness.It(env, catalog.CodeExpires, func(ctx SpecContext) {
		lifetime := env.Profile.CodeLifetime
		harness.SkipUnless(lifetime > 0, "the profile declares no code_lifetime")
		harness.SkipUnless(lifetime <= maxCodeLifetimeWait, "the declared code_lifetime %s is longer than the harness waits (%s)", lifetime, maxCodeLifetimeWait)
		needLogin()
		if expiring == "" {
			harness.Undecided(env, errors.New("no code was obtained for the expiry check"))
		}
		margin := max(time.Second, lifetime/10)
		wait := time.Until(expiringIssued.Add(lifetime + margin))
		env.Attach(fmt.Sprintf("declared lifetime %s; redeemed %s after issue", lifetime, lifetime+margin))
		select {
		case <-time.After(wait): // the deadline is the point of the check
		case <-ctx.Done():
			harness.Undecided(env, ctx.Err())
		}
		_, x, err := exchange(ctx, client, expiring, expiringOpts...)
		expectRejected(err, x, "invalid_grant")
	})

	harness.It(env, catalog.PKCEPublicClient, func(ctx SpecContext) {
		needLogin()
		public := env.Profile.Clients.Public
		harness.SkipUnless(public != nil, "the profile has no public client")
		verifier := oauth2.GenerateVerifier()
		code := codeFor(ctx, login, public, url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}})
		tok, x, err := exchange(ctx, public, code, oauth2.VerifierOption(verifier))
		Expect(err).NotTo(HaveOccurred(), "the public client could not redeem its code:\n%s", env.Evidence(x))
		Expect(tok.AccessToken).NotTo(BeEmpty())
	})

	harness.It(env, catalog.PKCERequiredForPublic, func(ctx SpecContext) {
		needLogin()
		public := env.Profile.Clients.Public
		harness.SkipUnless(public != nil, "the profile has no public client")
		got, p, err := requestAs(ctx, login, codeParams(public, noPKCE()))
		harness.Require(env, err)
		if got.Get("code") == "" {
			p.attach("refused at the authorization endpoint: no code_challenge")
			requireControl(ctx, login, "an S256 challenge", s256Params(public))
			return
		}
		x, err := exchangeRaw(ctx, public, got.Get("code"), "")
		harness.Require(env, err)
		Expect(x.Status).To(BeNumerically(">=", 400), "a public client obtained tokens without PKCE:\n%s", env.Evidence(x))
	})
})

func stringField(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// expiringCode is the code CODE-05 redeems after its lifetime: asked for
// once per process as the shared login's user, by an early run when the
// suite starts (early.go) or by the flow's BeforeAll, so that it ages
// while the other checks run.
type expiringCode struct {
	once   sync.Once
	code   string // "" when none came
	issued time.Time
	opts   []oauth2.AuthCodeOption // its PKCE verifier
}

var expiringCodes expiringCode

// get asks for the code on first use (the caller has the shared login).
func (e *expiringCode) get(ctx context.Context) *expiringCode {
	e.once.Do(func() {
		login, err := sharedLogin(ctx)
		if err != nil {
			return
		}
		params := codeParams(env.Profile.Clients.Confidential, nil)
		if got, _, err := requestAs(ctx, login, params); err == nil && got.Get("code") != "" {
			e.code, e.issued, e.opts = got.Get("code"), time.Now(), verifierOpts(params)
		}
	})
	return e
}
