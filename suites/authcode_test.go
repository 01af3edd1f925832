package suites

import (
	"context"
	"errors"
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

// codeGrant is one authorization code obtained in the browser.
type codeGrant struct {
	client   *profile.Client
	state    string
	verifier string // empty without PKCE
	result   *driver.Result
	code     string
}

// authorizeCode runs one authorization request (RFC 6749 §4.1.1) for client
// in the flow's browser session; with pkce it sends an S256 challenge
// (RFC 7636 §4.3). The code is registered with the redactor.
func authorizeCode(ctx context.Context, sess *driver.Session, client *profile.Client, pkce bool) (*codeGrant, error) {
	g := &codeGrant{client: client, state: harness.Random()}
	var opts []oauth2.AuthCodeOption
	if pkce {
		g.verifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(g.verifier))
	}
	authURL := env.OAuth2Config(client).AuthCodeURL(g.state, opts...)
	res, err := sess.Authorize(ctx, driver.Request{URL: authURL, RedirectURI: env.Profile.RedirectURI, Login: env.Profile.Login})
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

// exchange redeems a code with golang.org/x/oauth2 and records the HTTP exchange.
func exchange(ctx context.Context, client *profile.Client, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, *harness.Exchange, error) {
	rec := &harness.Recorder{}
	tok, err := env.OAuth2Config(client).Exchange(env.ClientContext(ctx, rec), code, opts...)
	if tok != nil {
		env.Redactor.Add(tok.AccessToken, tok.RefreshToken)
	}
	return tok, rec.Last(), err
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

var _ = Describe("Authorization Code flow", Label("flow:authorization_code"), Ordered, ContinueOnFailure, func() {
	var (
		client  *profile.Client
		sess    *driver.Session
		sessErr error
		// first is the first authorization of the flow (confidential client, PKCE S256);
		// its code is redeemed by PK-01 and replayed by CODE-01.
		first    *codeGrant
		firstErr error
		token    *oauth2.Token
		tokenX   *harness.Exchange
		tokenErr error
	)

	BeforeAll(func(ctx SpecContext) {
		client = env.Profile.Clients.Confidential
		if client == nil {
			return
		}
		sess, sessErr = env.NewSession(ctx)
		if sessErr != nil {
			return
		}
		DeferCleanup(func() { _ = sess.Close() })
		first, firstErr = authorizeCode(ctx, sess, client, true)
		if firstErr == nil {
			token, tokenX, tokenErr = exchange(ctx, client, first.code, oauth2.VerifierOption(first.verifier))
		}
	})

	// needFirst skips without a confidential client and is undecided when the
	// browser authorization failed.
	needFirst := func() {
		GinkgoHelper()
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		harness.Require(env, sessErr)
		if first == nil {
			harness.Require(env, firstErr)
		}
	}
	needToken := func() {
		GinkgoHelper()
		needFirst()
		harness.Require(env, firstErr)
		if token == nil && tokenErr != nil && tokenX == nil {
			harness.Undecided(env, tokenErr)
		}
		Expect(tokenErr).NotTo(HaveOccurred(), "the code exchange failed:\n%s", env.Evidence(tokenX))
	}

	harness.It(catalog.CodeInQuery, func(ctx SpecContext) {
		needFirst()
		env.Attach("redirect: " + first.result.Callback.String())
		Expect(first.result.Query.Get("code")).NotTo(BeEmpty(), "no code in the query of %s", env.Redactor.String(first.result.Callback.String()))
	})

	harness.It(catalog.CodeResponseStateEchoed, func(ctx SpecContext) {
		needFirst()
		got := first.result.Query
		if got.Get("code") == "" {
			got = first.result.Fragment
		}
		Expect(got.Has("state")).To(BeTrue(), "no state in the authorization response %s", env.Redactor.String(first.result.Callback.String()))
		Expect(got.Get("state")).To(Equal(first.state), "state was not echoed exactly")
	})

	harness.It(catalog.IssuerInAuthorizationResponse, func(ctx SpecContext) {
		needFirst()
		params := first.result.Query
		advertised, _ := env.Metadata["authorization_response_iss_parameter_supported"].(bool)
		if !params.Has("iss") {
			harness.SkipUnless(advertised, "the target does not advertise authorization_response_iss_parameter_supported and sent no iss")
			Fail("iss is advertised (authorization_response_iss_parameter_supported) but missing from " + env.Redactor.String(first.result.Callback.String()))
		}
		Expect(params.Get("iss")).To(Equal(env.Endpoints.Issuer), "iss differs from the issuer")
	})

	harness.It(catalog.PKCES256Accepted, func(ctx SpecContext) {
		needFirst()
		harness.Require(env, firstErr)
		Expect(tokenErr).NotTo(HaveOccurred(), "redeeming the code with the correct S256 verifier failed:\n%s", env.Evidence(tokenX))
	})

	harness.It(catalog.TokenResponseShape, func(ctx SpecContext) {
		needToken()
		env.Attach(env.Evidence(tokenX))
		Expect(token.AccessToken).NotTo(BeEmpty(), "no access_token")
		Expect(strings.EqualFold(token.TokenType, "Bearer")).To(BeTrue(), "token_type is %q, want Bearer", token.TokenType)
	})

	harness.It(catalog.TokenResponseExpiresIn, func(ctx SpecContext) {
		needToken()
		Expect(tokenX.JSON()).To(HaveKey("expires_in"), "no expires_in in the token response:\n%s", env.Evidence(tokenX))
	})

	harness.It(catalog.TokenResponseNoStore, func(ctx SpecContext) {
		needToken()
		Expect(strings.ToLower(tokenX.Header.Get("Cache-Control"))).To(ContainSubstring("no-store"), "Cache-Control:\n%s", env.Evidence(tokenX))
		Expect(strings.ToLower(tokenX.Header.Get("Pragma"))).To(ContainSubstring("no-cache"), "Pragma:\n%s", env.Evidence(tokenX))
	})

	harness.It(catalog.CodeSingleUse, func(ctx SpecContext) {
		needToken()
		_, x, err := exchange(ctx, client, first.code, oauth2.VerifierOption(first.verifier))
		expectRejected(err, x, "invalid_grant")
	})

	harness.It(catalog.PKCEWrongVerifierRejected, func(ctx SpecContext) {
		needFirst()
		g, err := authorizeCode(ctx, sess, client, true)
		harness.Require(env, err)
		_, x, err := exchange(ctx, client, g.code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		expectRejected(err, x, "invalid_grant")
	})

	harness.It(catalog.CodeBoundToClient, func(ctx SpecContext) {
		needFirst()
		other := env.Profile.Clients.Confidential2
		harness.SkipUnless(other != nil, "the profile has no second confidential client (confidential2)")
		g, err := authorizeCode(ctx, sess, client, false)
		harness.Require(env, err)
		_, x, err := exchange(ctx, other, g.code)
		expectRejected(err, x, "invalid_grant")
	})

	harness.It(catalog.CodeBoundToRedirectURI, func(ctx SpecContext) {
		needFirst()
		g, err := authorizeCode(ctx, sess, client, false)
		harness.Require(env, err)
		other := *client
		cfg := env.OAuth2Config(&other)
		wrong, _ := url.Parse(cfg.RedirectURL)
		wrong.Path += "-other"
		cfg.RedirectURL = wrong.String()
		rec := &harness.Recorder{}
		tok, err := cfg.Exchange(env.ClientContext(ctx, rec), g.code)
		if tok != nil {
			env.Redactor.Add(tok.AccessToken, tok.RefreshToken)
		}
		expectRejected(err, rec.Last(), "invalid_grant")
	})
})
