package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// tokenRequest sends a hand-built token request (RFC 6749 §3.2) for client,
// authenticating the way its profile says unless the form already carries
// credentials. Tokens in the answer are registered with the redactor.
func tokenRequest(ctx context.Context, client *profile.Client, form url.Values) *harness.Exchange {
	GinkgoHelper()
	return tokenRequestTo(ctx, env.Endpoints.Token, client, form)
}

// tokenRequestTo is tokenRequest to another endpoint authenticating the same
// way (revocation, introspection: RFC 7009 §2.1, RFC 7662 §2.1).
func tokenRequestTo(ctx context.Context, endpoint string, client *profile.Client, form url.Values) *harness.Exchange {
	GinkgoHelper()
	x, err := postAs(ctx, endpoint, client, form)
	harness.Require(env, err)
	return x
}

// requireClientAuthenticated ends the check as undecided when x refused
// the client itself (invalid_client, RFC 6749 §5.2): a refusal for the
// client's credentials says nothing of the code or token it presented.
func requireClientAuthenticated(x *harness.Exchange) {
	GinkgoHelper()
	if x.Status >= 400 && stringField(x.JSON(), "error") == "invalid_client" {
		harness.Undecided(env, fmt.Errorf("the token endpoint refused the client's own authentication (invalid_client), so the refusal says nothing of the token:\n%s", env.Evidence(x)))
	}
}

// postAs is tokenRequestTo returning its error instead of deciding the check
// with it (for set-up code outside a check).
func postAs(ctx context.Context, endpoint string, client *profile.Client, form url.Values) (*harness.Exchange, error) {
	user, pass := "", ""
	switch {
	case client.Secret == "":
		form.Set("client_id", client.ID)
	case client.UsesPost():
		form.Set("client_id", client.ID)
		form.Set("client_secret", client.Secret)
	default:
		user, pass = client.ID, client.Secret
	}
	x, err := env.PostForm(ctx, endpoint, form, user, pass)
	if err != nil {
		return nil, err
	}
	registerTokens(x)
	return x, nil
}

func registerTokens(x *harness.Exchange) {
	m := x.JSON()
	env.Redactor.Add(stringField(m, "access_token"), stringField(m, "refresh_token"), stringField(m, "id_token"))
}

// serviceClient is the client credentials role, or a skip.
func serviceClient() *profile.Client {
	GinkgoHelper()
	c := env.Profile.Clients.Service
	harness.SkipUnless(c != nil, "the profile has no service (client credentials) client")
	return c
}

// ccForm is a client credentials request (RFC 6749 §4.4.2).
func ccForm(c *profile.Client) url.Values {
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(c.Scopes) > 0 {
		form.Set("scope", strings.Join(c.Scopes, " "))
	}
	return form
}

// sampleAccessTokens asks for n access tokens with the client credentials grant.
func sampleAccessTokens(ctx context.Context, c *profile.Client, n int) ([]string, *harness.Exchange) {
	GinkgoHelper()
	var tokens []string
	var last *harness.Exchange
	for range n {
		last = tokenRequest(ctx, c, ccForm(c))
		tok := stringField(last.JSON(), "access_token")
		if tok == "" {
			harness.Undecided(env, fmt.Errorf("no access token from the client credentials grant:\n%s", env.Evidence(last)))
		}
		tokens = append(tokens, tok)
	}
	return tokens, last
}

// expectRefused asserts a token request got an error and no token.
func expectRefused(x *harness.Exchange, what string) {
	GinkgoHelper()
	Expect(x.JSON()).NotTo(HaveKey("access_token"), "%s was accepted:\n%s", what, env.Evidence(x))
	Expect(x.Status).To(BeNumerically(">=", 400), "%s was not refused:\n%s", what, env.Evidence(x))
}

var _ = Describe("Token endpoint", func() {
	confidential := func(ctx SpecContext) (*loggedIn, *profile.Client) {
		GinkgoHelper()
		c := env.Profile.Clients.Confidential
		harness.SkipUnless(c != nil, "the profile has no confidential client")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		return l, c
	}

	harness.It(env, catalog.TokenErrorIs400JSON, func(ctx SpecContext) {
		_, c := confidential(ctx)
		x := tokenRequest(ctx, c, url.Values{"grant_type": {"authorization_code"}, "code": {"oauthconform-invalid-code"}, "redirect_uri": {env.Profile.RedirectURI}})
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusBadRequest), "status for an invalid code")
		Expect(x.Header.Get("Content-Type")).To(ContainSubstring("application/json"))
		Expect(x.JSON()).To(HaveKeyWithValue("error", "invalid_grant"))
	})

	harness.It(env, catalog.UnsupportedGrantType, func(ctx SpecContext) {
		_, c := confidential(ctx)
		x := tokenRequest(ctx, c, url.Values{"grant_type": {"urn:oauthconform:unknown-grant"}})
		expectRawRejected(x, "unsupported_grant_type")
	})

	harness.It(env, catalog.MissingParameterInvalidRequest, func(ctx SpecContext) {
		_, c := confidential(ctx)
		x := tokenRequest(ctx, c, url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {env.Profile.RedirectURI}})
		expectRawRejected(x, "invalid_request")
	})

	harness.It(env, catalog.TokenGetRefused, func(ctx SpecContext) {
		c := serviceClient()
		q := ccForm(c)
		target := env.Endpoints.Token + "?" + q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		harness.Require(env, err)
		req.SetBasicAuth(url.QueryEscape(c.ID), url.QueryEscape(c.Secret))
		rec := &harness.Recorder{}
		resp, err := env.HTTPClient(rec).Do(req)
		harness.Require(env, err)
		_ = resp.Body.Close()
		registerTokens(rec.Last())
		expectRefused(rec.Last(), "a token request by GET")
	})

	harness.It(env, catalog.TokenUnknownParameterIgnored, func(ctx SpecContext) {
		c := serviceClient()
		form := ccForm(c)
		form.Set("oauthconform_unknown", "1")
		x := tokenRequest(ctx, c, form)
		Expect(x.JSON()).To(HaveKey("access_token"), "a request with an unknown parameter was refused:\n%s", env.Evidence(x))
	})

	harness.It(env, catalog.TokenDuplicateParameterRefused, func(ctx SpecContext) {
		c := serviceClient()
		form := ccForm(c)
		form["grant_type"] = []string{"client_credentials", "client_credentials"}
		x := tokenRequest(ctx, c, form)
		expectRawRejected(x, "invalid_request")
	})

	harness.It(env, catalog.AccessTokenCharset, func(ctx SpecContext) {
		c := serviceClient()
		tokens, _ := sampleAccessTokens(ctx, c, 3)
		for _, tok := range tokens {
			for i, r := range tok {
				Expect(r >= 0x20 && r <= 0x7e).To(BeTrue(), "character %q at position %d is outside VSCHAR (%%x20-7E)", r, i)
			}
		}
	})

	harness.It(env, catalog.AccessTokenEntropy, func(ctx SpecContext) {
		c := serviceClient()
		const samples = 16
		tokens, _ := sampleAccessTokens(ctx, c, samples)
		bits, how := harness.EstimateEntropy(tokens)
		env.Attach(fmt.Sprintf("estimated %.0f bits from %d access tokens: %s", bits, samples, how))
		Expect(bits).To(BeNumerically(">=", 128), "access tokens carry about %.0f bits: %s", bits, how)
	})

	harness.It(env, catalog.AccessTokenShortLived, func(ctx SpecContext) {
		c := serviceClient()
		_, x := sampleAccessTokens(ctx, c, 1)
		lifetime, ok := x.JSON()["expires_in"].(float64)
		harness.SkipUnless(ok, "the token response has no numeric expires_in")
		env.Attach(fmt.Sprintf("expires_in %.0f s", lifetime))
		Expect(lifetime).To(BeNumerically("<=", 3600), "access tokens live %.0f s", lifetime)
	})

	harness.It(env, catalog.PublicClientIDRequired, func(ctx SpecContext) {
		l, _ := confidential(ctx)
		public := env.Profile.Clients.Public
		harness.SkipUnless(public != nil, "the profile has no public client")
		verifier := oauth2.GenerateVerifier()
		code := codeFor(ctx, l, public, url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}})
		x, err := env.PostForm(ctx, env.Endpoints.Token, url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {env.Profile.RedirectURI}, "code_verifier": {verifier},
		}, "", "")
		harness.Require(env, err)
		registerTokens(x)
		expectRefused(x, "a code redemption without client_id")
	})
})

var _ = Describe("Client authentication", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.BasicAuthWorks, func(ctx SpecContext) {
		c := serviceClient()
		tok, x, err := clientCredentials(ctx, c, c.Secret, oauth2.AuthStyleInHeader)
		if x == nil {
			harness.Require(env, err) // no HTTP answer at all: undecided
		}
		env.Attach(env.Evidence(x))
		Expect(err).NotTo(HaveOccurred(), "client_secret_basic failed:\n%s", env.Evidence(x))
		Expect(tok.AccessToken).NotTo(BeEmpty())
	})

	harness.It(env, catalog.PostAuthWorks, func(ctx SpecContext) {
		c := serviceClient()
		methods, _ := env.Metadata["token_endpoint_auth_methods_supported"].([]any)
		harness.SkipUnless(containsAny(methods, "client_secret_post"), "the metadata does not advertise client_secret_post")
		tok, x, err := clientCredentials(ctx, c, c.Secret, oauth2.AuthStyleInParams)
		if x == nil {
			harness.Require(env, err)
		}
		Expect(err).NotTo(HaveOccurred(), "client_secret_post failed:\n%s", env.Evidence(x))
		Expect(tok.AccessToken).NotTo(BeEmpty())
	})

	// A confidential client without its secret: CA-03 judges the refusal,
	// CA-11 its error code.
	var noSecret attempt
	tryWithoutSecret := func(ctx context.Context) *harness.Exchange {
		GinkgoHelper()
		x, _ := noSecret.get(func() (*harness.Exchange, error) {
			c := serviceClient()
			form := ccForm(c)
			form.Set("client_id", c.ID)
			x, err := env.PostForm(ctx, env.Endpoints.Token, form, "", "")
			harness.Require(env, err)
			registerTokens(x)
			return x, nil
		})
		return x
	}
	harness.It(env, catalog.MissingSecretRefused, func(ctx SpecContext) {
		expectRefused(tryWithoutSecret(ctx), "a confidential client's request without its secret")
	})
	harness.It(env, catalog.MissingSecretInvalidClient, func(ctx SpecContext) {
		expectRawRefusedWith(tryWithoutSecret(ctx), "invalid_client", "CA-03")
	})

	harness.It(env, catalog.QueryCredentialsRefused, func(ctx SpecContext) {
		c := serviceClient()
		target := env.Endpoints.Token + "?" + url.Values{"client_id": {c.ID}, "client_secret": {c.Secret}}.Encode()
		x, err := env.PostForm(ctx, target, ccForm(c), "", "")
		harness.Require(env, err)
		registerTokens(x)
		expectRefused(x, "client credentials in the request URI")
	})

	harness.It(env, catalog.SingleAuthMethod, func(ctx SpecContext) {
		c := serviceClient()
		form := ccForm(c)
		form.Set("client_id", c.ID)
		form.Set("client_secret", c.Secret)
		x, err := env.PostForm(ctx, env.Endpoints.Token, form, c.ID, c.Secret)
		harness.Require(env, err)
		registerTokens(x)
		expectRefused(x, "a request authenticated by both Basic and client_secret_post")
	})
})

func containsAny(list []any, want string) bool {
	for _, v := range list {
		if s, _ := v.(string); s == want {
			return true
		}
	}
	return false
}
