package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// clientCredentials asks for a token (RFC 6749 §4.4.2) with golang.org/x/oauth2.
func clientCredentials(ctx context.Context, c *profile.Client, secret string, style oauth2.AuthStyle) (*oauth2.Token, *harness.Exchange, error) {
	rec := &harness.Recorder{}
	cfg := clientcredentials.Config{ClientID: c.ID, ClientSecret: secret, TokenURL: env.Endpoints.Token, Scopes: c.Scopes, AuthStyle: style}
	tok, err := cfg.Token(env.ClientContext(ctx, rec))
	if tok != nil {
		env.Redactor.Add(tok.AccessToken, tok.RefreshToken)
	}
	return tok, rec.Last(), err
}

func authStyle(c *profile.Client) oauth2.AuthStyle {
	if c.UsesPost() {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleInHeader
}

var _ = Describe("Client Credentials flow", Label("flow:client_credentials"), Ordered, ContinueOnFailure, func() {
	var (
		client *profile.Client
		token  *oauth2.Token
		x      *harness.Exchange
		err    error
	)

	BeforeAll(func(ctx SpecContext) {
		client = env.Profile.Clients.Service
		if client != nil {
			token, x, err = clientCredentials(ctx, client, client.Secret, authStyle(client))
		}
	})

	need := func() {
		GinkgoHelper()
		harness.SkipUnless(client != nil, "the profile has no service (client credentials) client")
		if x == nil && err != nil {
			harness.Undecided(env, err) // no HTTP answer at all
		}
	}

	harness.It(env, catalog.ClientCredentialsIssued, func(ctx SpecContext) {
		need()
		env.Attach(env.Evidence(x))
		Expect(err).NotTo(HaveOccurred(), "no token for valid credentials:\n%s", env.Evidence(x))
		Expect(token.AccessToken).NotTo(BeEmpty())
	})

	// A wrong secret: CC-02 judges the refusal, CC-07 its error code.
	var wrongSecret attempt
	tryWrongSecret := func(ctx context.Context) (*harness.Exchange, error) {
		GinkgoHelper()
		return wrongSecret.get(func() (*harness.Exchange, error) {
			need()
			_, wx, werr := clientCredentials(ctx, client, client.Secret+"-wrong", authStyle(client))
			return wx, werr
		})
	}
	harness.It(env, catalog.WrongSecretRefused, func(ctx SpecContext) {
		wx, werr := tryWrongSecret(ctx)
		expectRefusedErr(werr, wx)
	})
	harness.It(env, catalog.WrongSecretInvalidClient, func(ctx SpecContext) {
		wx, werr := tryWrongSecret(ctx)
		expectRefusedWith(werr, wx, "invalid_client", "CC-02")
	})

	harness.It(env, catalog.InvalidClientIs401, func(ctx SpecContext) {
		need()
		// Basic on purpose: §5.2's 401 requirement is about the Authorization header.
		_, wx, werr := clientCredentials(ctx, client, client.Secret+"-wrong", oauth2.AuthStyleInHeader)
		Expect(werr).To(HaveOccurred(), "a wrong secret was accepted:\n%s", env.Evidence(wx))
		var re *oauth2.RetrieveError
		if !errors.As(werr, &re) {
			harness.Undecided(env, werr)
		}
		Expect(re.Response.StatusCode).To(Equal(http.StatusUnauthorized), "status:\n%s", env.Evidence(wx))
		Expect(strings.TrimSpace(re.Response.Header.Get("WWW-Authenticate"))).NotTo(BeEmpty(), "no WWW-Authenticate:\n%s", env.Evidence(wx))
	})

	harness.It(env, catalog.ClientCredentialsNoRefreshToken, func(ctx SpecContext) {
		need()
		harness.Require(env, err)
		Expect(x.JSON()).NotTo(HaveKey("refresh_token"), "a refresh token was issued:\n%s", env.Evidence(x))
	})

	// control: the service client's own request (BeforeAll) got a token,
	// so a refusal of another client's is about that client.
	control := func() {
		GinkgoHelper()
		if err != nil || token == nil || token.AccessToken == "" {
			harness.Undecided(env, fmt.Errorf("the control request, the service client's own client credentials request, got no token either:\n%s", env.Evidence(x)))
		}
		env.Attach("control: the service client " + client.ID + " got a token with the same grant")
	}

	harness.It(env, catalog.ClientCredentialsConfidentialOnly, func(ctx SpecContext) {
		need()
		public := env.Profile.Clients.Public
		harness.SkipUnless(public != nil, "the profile has no public client")
		form := ccForm(client)
		form.Set("client_id", public.ID)
		rx, rerr := env.PostForm(ctx, env.Endpoints.Token, form, "", "")
		harness.Require(env, rerr)
		registerTokens(rx)
		expectRefused(rx, "the client credentials grant for a public client")
		control()
	})

	harness.It(env, catalog.ClientCredentialsRegisteredOnly, func(ctx SpecContext) {
		need()
		c := env.Profile.Clients.Confidential
		harness.SkipUnless(c != nil, "the profile has no confidential client")
		harness.SkipUnless(len(c.GrantTypes) > 0, "the profile does not declare the confidential client's registered grant_types")
		harness.SkipUnless(!containsString(c.GrantTypes, "client_credentials"), "the confidential client is registered for client_credentials")
		// No scope: a refusal of the browser client's scopes for this grant
		// would be about the scope, not the grant.
		rx := tokenRequest(ctx, c, url.Values{"grant_type": {"client_credentials"}})
		registerTokens(rx)
		env.Attach(fmt.Sprintf("the confidential client %s, registered for %s, asks for client_credentials", c.ID, strings.Join(c.GrantTypes, ", ")))
		if rx.Status == http.StatusUnauthorized || rx.JSON()["error"] == "invalid_client" {
			harness.Undecided(env, fmt.Errorf("the confidential client's authentication was refused, so the refusal says nothing of the grant:\n%s", env.Evidence(rx)))
		}
		expectRefused(rx, "the client credentials grant for a client not registered for it")
		control()
	})

	harness.It(env, catalog.ClientCredentialsScopeChecked, func(ctx SpecContext) {
		need()
		const unregistered = "oauthconform.not-registered"
		form := ccForm(client)
		form.Set("scope", unregistered)
		rx := tokenRequest(ctx, client, form)
		env.Attach(env.Evidence(rx))
		got := rx.JSON()
		if rx.Status >= 400 {
			return // refused (whatever the error code): nothing was granted
		}
		scope, has := got["scope"].(string)
		Expect(has).To(BeTrue(), "the unregistered scope was granted silently: no scope in the response")
		Expect(strings.Fields(scope)).NotTo(ContainElement(unregistered), "the unregistered scope was granted")
	})
})
