package suites

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// grant is one authorization's tokens, as the token endpoint returned them.
type grant struct {
	client                 *profile.Client
	access, refresh, scope string
	// expiresIn is the token response's expires_in in seconds (0 without one).
	expiresIn float64
}

// freshGrant runs the code flow once more for client as the logged-in user
// (over plain HTTP with the session's cookies) and redeems the code with
// PKCE; it skips when the target issues no refresh token.
func freshGrant(ctx context.Context, client *profile.Client) *grant {
	GinkgoHelper()
	return freshGrantWith(ctx, client, nil)
}

// freshGrantWith is freshGrant with extra authorization request parameters
// (a narrower scope, say).
func freshGrantWith(ctx context.Context, client *profile.Client, extra url.Values) *grant {
	GinkgoHelper()
	harness.SkipUnless(client != nil, "the profile has no client for this role")
	harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client to log in with")
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	verifier := oauth2.GenerateVerifier()
	params := url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}}
	for k, v := range extra {
		params[k] = v
	}
	code := codeFor(ctx, l, client, params)
	tok, x, err := exchange(ctx, client, code, oauth2.VerifierOption(verifier))
	if err != nil {
		harness.Undecided(env, fmt.Errorf("the code exchange failed:\n%s", env.Evidence(x)))
	}
	harness.SkipUnless(tok.RefreshToken != "", "the target issued no refresh token to %s", client.ID)
	if client == env.Profile.Clients.Confidential {
		l.refreshTokens.add(tok.RefreshToken)
	}
	expiresIn, _ := x.JSON()["expires_in"].(float64)
	return &grant{client: client, access: tok.AccessToken, refresh: tok.RefreshToken, scope: stringField(x.JSON(), "scope"), expiresIn: expiresIn}
}

// refresh sends a refresh_token grant (RFC 6749 §6) authenticated as client.
func refresh(ctx context.Context, client *profile.Client, token string, extra url.Values) *harness.Exchange {
	GinkgoHelper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}}
	for k, v := range extra {
		form[k] = v
	}
	return tokenRequest(ctx, client, form)
}

// expectRefreshWorks asserts a refresh succeeded and returns its new refresh
// token (the old one when the server does not rotate).
func expectRefreshWorks(x *harness.Exchange, old string) string {
	GinkgoHelper()
	Expect(x.Status).To(Equal(http.StatusOK), "the refresh failed:\n%s", env.Evidence(x))
	Expect(x.JSON()).To(HaveKey("access_token"), "no access token:\n%s", env.Evidence(x))
	if rt := stringField(x.JSON(), "refresh_token"); rt != "" {
		return rt
	}
	return old
}

func publicClient() *profile.Client {
	GinkgoHelper()
	c := env.Profile.Clients.Public
	harness.SkipUnless(c != nil, "the profile has no public client")
	return c
}

var _ = Describe("Refresh tokens", Label("flow:refresh"), func() {
	harness.It(env, catalog.RefreshWorks, func(ctx SpecContext) {
		g := freshGrant(ctx, env.Profile.Clients.Confidential)
		x := refresh(ctx, g.client, g.refresh, nil)
		env.Attach(env.Evidence(x))
		expectRefreshWorks(x, g.refresh)
		Expect(strings.ToLower(x.Header.Get("Cache-Control"))).To(ContainSubstring("no-store"), "no Cache-Control: no-store")
	})

	harness.It(env, catalog.RefreshBoundToClient, func(ctx SpecContext) {
		other := env.Profile.Clients.Confidential2
		harness.SkipUnless(other != nil, "the profile has no second confidential client (confidential2)")
		g := freshGrant(ctx, env.Profile.Clients.Confidential)
		x := refresh(ctx, other, g.refresh, nil)
		expectRefused(x, "another client's refresh token")
		requireClientAccepted(nil, x, "the other client's")
	})

	harness.It(env, catalog.RefreshRequiresAuthentication, func(ctx SpecContext) {
		g := freshGrant(ctx, env.Profile.Clients.Confidential)
		x, err := env.PostForm(ctx, env.Endpoints.Token, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {g.refresh}, "client_id": {g.client.ID}}, "", "")
		harness.Require(env, err)
		registerTokens(x)
		expectRefused(x, "a refresh without client authentication")
	})

	harness.It(env, catalog.RefreshRotated, func(ctx SpecContext) {
		g := freshGrant(ctx, publicClient())
		x := refresh(ctx, g.client, g.refresh, nil)
		next := expectRefreshWorks(x, g.refresh)
		if stringField(x.JSON(), "refresh_token") == "" {
			// No successor (RFC 6749 §6: the server MAY issue a new
			// refresh token): the used one is judged alone, and it must
			// stop working like a rotated-out one.
			env.Attach("the refresh response carried no new refresh token; the used one, sent again:")
			expectRefused(refresh(ctx, g.client, g.refresh, nil), "the used refresh token (the refresh response carried no new one: neither rotated nor single-use)")
			return
		}
		Expect(next).NotTo(Equal(g.refresh), "the refresh token was not rotated (and the harness cannot see a sender constraint)")
		expectRefused(refresh(ctx, g.client, g.refresh, nil), "the rotated-out refresh token")
	})

	harness.It(env, catalog.RefreshReuseDetected, func(ctx SpecContext) {
		g := freshGrant(ctx, publicClient())
		next := expectRefreshWorks(refresh(ctx, g.client, g.refresh, nil), g.refresh)
		harness.SkipUnless(next != g.refresh, "the refresh response carried no new refresh token, so there is no active successor to revoke (see RT-04)")
		replay := refresh(ctx, g.client, g.refresh, nil)
		harness.SkipUnless(replay.Status >= 400, "the rotated-out token still works (see RT-04)")
		x := refresh(ctx, g.client, next, nil)
		env.Attach("after replaying the old token, the active one:\n" + env.Evidence(x))
		expectRefused(x, "the active refresh token after a replay of its predecessor")
	})

	harness.It(env, catalog.RefreshScopeNotBroadened, func(ctx SpecContext) {
		// The property alone: a grant made with a subset of the client's own
		// scopes, then a refresh asking for another of them. A server may
		// refuse it or narrow it (RFC 6749 §3.3, with scope in the answer);
		// granting it widens what the resource owner consented to.
		c := env.Profile.Clients.Confidential
		harness.SkipUnless(c != nil, "the profile has no confidential client")
		var left string
		var kept []string
		for _, sc := range c.Scopes {
			if left == "" && sc != "openid" && sc != "offline_access" {
				left = sc
				continue
			}
			kept = append(kept, sc)
		}
		harness.SkipUnless(left != "", "the confidential client requests no scope besides openid and offline_access (%v), so a grant cannot leave one of its own scopes out for the refresh to ask for", c.Scopes)
		harness.SkipUnless(len(kept) > 0, "the confidential client requests one scope (%v): a grant without it would have no scope of its own to keep, so no scope can be left out for the refresh to ask for", c.Scopes)
		g := freshGrantWith(ctx, c, url.Values{"scope": {strings.Join(kept, " ")}})
		harness.SkipUnless(!slices.Contains(strings.Fields(g.scope), left), "the provider granted %s although the authorization request left it out (scope %q)", left, g.scope)
		x := refresh(ctx, g.client, g.refresh, url.Values{"scope": {strings.Join(append(kept, left), " ")}})
		env.Attach(fmt.Sprintf("grant: scope %q (asked %q); refresh asks for %q as well:\n%s", g.scope, strings.Join(kept, " "), left, env.Evidence(x)))
		if x.Status != http.StatusOK {
			return // refused: the grant's scope stands
		}
		scope, has := x.JSON()["scope"].(string)
		Expect(has).To(BeTrue(), "the refresh asking for %s, which the grant never had, was answered 200 without scope: granted as asked (RFC 6749 §3.3)", left)
		Expect(strings.Fields(scope)).NotTo(ContainElement(left), "the refresh granted %s, which the grant never had", left)
	})

	harness.It(env, catalog.RefreshRaceSingleWinner, func(ctx SpecContext) {
		g := freshGrant(ctx, env.Profile.Clients.Confidential)
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {g.refresh}}
		const racers = 2
		var wg sync.WaitGroup
		results := make([]*harness.Exchange, racers)
		errs := make([]error, racers)
		start := make(chan struct{})
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errs[i] = postAs(ctx, env.Endpoints.Token, g.client, maps.Clone(form))
			}()
		}
		close(start)
		wg.Wait()
		wins := 0
		for i := range racers {
			harness.Require(env, errs[i])
			registerTokens(results[i])
			requireClientAuthenticated(results[i])
			if results[i].Status == http.StatusOK {
				wins++
			}
		}
		rotates := stringField(results[0].JSON(), "refresh_token") != g.refresh && stringField(results[1].JSON(), "refresh_token") != g.refresh
		harness.SkipUnless(wins < racers || rotates, "the target does not rotate refresh tokens, so both refreshes may succeed")
		Expect(wins).To(BeNumerically("<=", 1), "%d of %d racing refreshes with one token succeeded", wins, racers)
	})

	harness.It(env, catalog.RefreshTokenEntropy, func(ctx SpecContext) {
		// The refresh tokens of the grants the run already made first (each
		// new grant may cost a consent page), then new ones up to the sample.
		const samples = 16
		var tokens []string
		reused := 0
		if l, err := sharedLogin(ctx); err == nil {
			tokens = l.refreshTokens.all()
			reused = len(tokens)
		}
		// Then the successors of one new grant's token, while the server
		// rotates (each refresh answer a new, distinct token: one more
		// authorization at most, where consent may be asked every time).
		rotated := 0
		if len(tokens) < samples {
			g := freshGrant(ctx, env.Profile.Clients.Confidential)
			tokens = append(tokens, g.refresh)
			seen := map[string]bool{}
			for _, t := range tokens {
				seen[t] = true
			}
			for cur := g.refresh; len(tokens) < samples; rotated++ {
				x := refresh(ctx, g.client, cur, nil)
				registerTokens(x)
				next := stringField(x.JSON(), "refresh_token")
				if x.Status != http.StatusOK || next == "" || seen[next] {
					break
				}
				seen[next] = true
				tokens = append(tokens, next)
				cur = next
			}
		}
		for len(tokens) < samples {
			tokens = append(tokens, freshGrant(ctx, env.Profile.Clients.Confidential).refresh)
		}
		bits, how := harness.EstimateEntropy(tokens)
		env.Attach(fmt.Sprintf("estimated %.0f bits from %d refresh tokens (%d of them from earlier grants of the run, %d successors by rotation): %s", bits, len(tokens), min(reused, len(tokens)), rotated, how))
		Expect(bits).To(BeNumerically(">=", 128), "refresh tokens carry about %.0f bits: %s", bits, how)
	})

	harness.It(env, catalog.RefreshTokenCharset, func(ctx SpecContext) {
		for range 3 {
			rt := freshGrant(ctx, env.Profile.Clients.Confidential).refresh
			for i, r := range rt {
				Expect(r >= 0x20 && r <= 0x7e).To(BeTrue(), "character %q at position %d is outside VSCHAR", r, i)
			}
		}
	})

	harness.It(env, catalog.PublicClientRefresh, func(ctx SpecContext) {
		g := freshGrant(ctx, publicClient())
		x := refresh(ctx, g.client, g.refresh, nil)
		env.Attach(env.Evidence(x))
		expectRefreshWorks(x, g.refresh)
	})
})
