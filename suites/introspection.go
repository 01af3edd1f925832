package suites

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// introspect sends an RFC 7662 §2.1 request authenticated as client.
func introspect(ctx context.Context, client *profile.Client, token, hint string) *harness.Exchange {
	GinkgoHelper()
	harness.SkipUnless(env.Endpoints.Introspection != "", "the target has no introspection endpoint")
	return tokenCall(ctx, env.Endpoints.Introspection, client, token, hint)
}

// tokenCall posts token= (and token_type_hint=) to a token-management
// endpoint — RFC 7009 §2.1 revocation, RFC 7662 §2.1 introspection — as client.
func tokenCall(ctx context.Context, endpoint string, client *profile.Client, token, hint string) *harness.Exchange {
	GinkgoHelper()
	form := url.Values{"token": {token}}
	if hint != "" {
		form.Set("token_type_hint", hint)
	}
	return tokenRequestTo(ctx, endpoint, client, form)
}

// tokenCallByGet sends token= in the query of a GET to a token-management
// endpoint as client (HTTP Basic): RFC 7009 §2.1 and RFC 7662 §2.1 ask for
// POST, and a token in a URL ends up in logs.
func tokenCallByGet(ctx context.Context, endpoint string, client *profile.Client, token string) *harness.Exchange {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+url.Values{"token": {token}}.Encode(), nil)
	harness.Require(env, err)
	req.SetBasicAuth(url.QueryEscape(client.ID), url.QueryEscape(client.Secret))
	rec := &harness.Recorder{}
	resp, err := env.HTTPClient(rec).Do(req)
	harness.Require(env, err)
	_ = resp.Body.Close()
	return rec.Last()
}

// confidentialFor is the confidential client, skipping when the target
// lacks the endpoint (named what) or the profile lacks the client.
func confidentialFor(endpoint, what string) *profile.Client {
	GinkgoHelper()
	harness.SkipUnless(endpoint != "", "the target has no %s endpoint", what)
	c := env.Profile.Clients.Confidential
	harness.SkipUnless(c != nil, "the profile has no confidential client")
	return c
}

var _ = Describe("Token introspection", Label("flow:refresh"), func() {
	confidential := func() *profile.Client {
		GinkgoHelper()
		return confidentialFor(env.Endpoints.Introspection, "introspection")
	}

	harness.It(env, catalog.IntrospectionActiveBoolean, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		x := introspect(ctx, g.client, g.access, "access_token")
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK))
		Expect(x.Header.Get("Content-Type")).To(ContainSubstring("application/json"))
		Expect(x.JSON()).To(HaveKeyWithValue("active", true), "active is not the boolean true for a fresh access token")
	})

	harness.It(env, catalog.IntrospectionAuthenticated, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		x, err := env.PostForm(ctx, env.Endpoints.Introspection, url.Values{"token": {g.access}}, "", "")
		harness.Require(env, err)
		env.Attach(env.Evidence(x))
		Expect(x.JSON()).NotTo(HaveKeyWithValue("active", true), "an unauthenticated caller learned the token is active")
		Expect(x.Status).To(BeNumerically(">=", 400), "the unauthenticated introspection request was answered")
	})

	harness.It(env, catalog.IntrospectionInactiveOnly, func(ctx SpecContext) {
		x := introspect(ctx, confidential(), "oauthconform-unknown-token", "")
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK), "an unknown token is answered as an error; RFC 7662 §2.3: it is an inactive token")
		Expect(x.JSON()).To(HaveKeyWithValue("active", false), "the answer for an unknown token")
	})

	harness.It(env, catalog.IntrospectionInactiveNothingMore, func(ctx SpecContext) {
		x := introspect(ctx, confidential(), "oauthconform-unknown-token", "")
		env.Attach(env.Evidence(x))
		harness.SkipUnless(x.Status == http.StatusOK && x.JSON()["active"] == false, "an unknown token does not introspect as active false (IN-03): no inactive answer to judge")
		Expect(x.JSON()).To(Equal(map[string]any{"active": false}), "the answer for an unknown token carries more than active (RFC 7662 §2.2 SHOULD NOT)")
	})

	harness.It(env, catalog.IntrospectionSeesRevocation, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.Revocation != "", "the target has no revocation endpoint")
		g := freshGrant(ctx, confidential())
		revokedOrSkip(revoke(ctx, g.client, g.refresh, "refresh_token"), "refresh tokens")
		x := introspect(ctx, g.client, g.refresh, "refresh_token")
		env.Attach(env.Evidence(x))
		Expect(x.JSON()).To(HaveKeyWithValue("active", false), "a revoked refresh token introspects as active")
	})

	harness.It(env, catalog.IntrospectionClaimsMatch, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		issued := time.Now()
		x := introspect(ctx, g.client, g.access, "access_token")
		env.Attach(env.Evidence(x))
		got := x.JSON()
		if got["active"] != true {
			harness.Undecided(env, fmt.Errorf("a fresh access token does not introspect as active (see IN-01):\n%s", env.Evidence(x)))
		}
		// Every member but active is OPTIONAL (RFC 7662 §2.2): the check
		// reports members that are present and describe another token.
		if id, ok := got["client_id"]; ok {
			Expect(id).To(Equal(g.client.ID), "client_id names another client than the one the token was issued to")
		}
		if _, ok := got["scope"]; ok && g.scope != "" {
			Expect(strings.Fields(stringField(got, "scope"))).To(ConsistOf(strings.Fields(g.scope)), "scope differs from the token response's")
		}
		if sub, ok := got["sub"]; ok {
			Expect(sub).NotTo(BeEmpty(), "sub is present but empty")
		}
		if v, ok := got["exp"]; ok {
			exp, isNum := v.(float64)
			Expect(isNum).To(BeTrue(), "exp %v is not a number", v)
			if g.expiresIn > 0 {
				// As issued: the token response's expires_in after the
				// exchange (a minute for clocks and the requests between).
				want := float64(issued.Unix()) + g.expiresIn
				Expect(math.Abs(exp-want)).To(BeNumerically("<", 60), "exp %s differs from the token response's expires_in %.0f s (%s)",
					time.Unix(int64(exp), 0), g.expiresIn, time.Unix(int64(want), 0))
			} else {
				Expect(math.Abs(exp-float64(issued.Unix()))).To(BeNumerically("<", 24*3600+60), "exp %s is far from now", time.Unix(int64(exp), 0))
			}
			Expect(exp).To(BeNumerically(">", float64(issued.Unix())), fmt.Sprintf("exp %s is in the past", time.Unix(int64(exp), 0)))
		}
	})

	harness.It(env, catalog.IntrospectionRefreshToken, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		x := introspect(ctx, g.client, g.refresh, "refresh_token")
		env.Attach(env.Evidence(x))
		Expect(x.JSON()).To(HaveKeyWithValue("active", true), "an active refresh token introspects as inactive")
	})

	harness.It(env, catalog.IntrospectionPostOnly, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		x := tokenCallByGet(ctx, env.Endpoints.Introspection, g.client, g.access)
		env.Attach("introspection by GET:\n" + env.Evidence(x))
		Expect(x.JSON()).NotTo(HaveKey("active"), "introspection answered a GET with the token in the URL")
	})
})
