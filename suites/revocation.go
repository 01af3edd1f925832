package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// revoke sends an RFC 7009 §2.1 revocation request authenticated as client.
func revoke(ctx context.Context, client *profile.Client, token, hint string) *harness.Exchange {
	GinkgoHelper()
	harness.SkipUnless(env.Endpoints.Revocation != "", "the target has no revocation endpoint")
	return tokenCall(ctx, env.Endpoints.Revocation, client, token, hint)
}

// expectRevoked asserts a revocation request was answered 200 (RFC 7009
// §2.2). unsupported_token_type (§2.2.1) is a legitimate answer, not an
// undecided check: the server does not revoke that kind of token (what),
// and the check fails — a warning for a SHOULD such as revoking access
// tokens, a failure for the MUST of revoking refresh tokens.
func expectRevoked(x *harness.Exchange, what string) {
	GinkgoHelper()
	// A gomega assertion (not ginkgo's Fail), so that a SHOULD check's
	// harness turns it into a warning.
	Expect(stringField(x.JSON(), "error")).NotTo(Equal("unsupported_token_type"),
		"the server does not revoke %s: it answers unsupported_token_type (RFC 7009 §2.2.1):\n%s", what, env.Evidence(x))
	if x.Status != http.StatusOK {
		harness.Undecided(env, fmt.Errorf("the revocation request failed:\n%s", env.Evidence(x)))
	}
}

// revokedOrSkip is expectRevoked for a check about what follows a
// revocation: a server that does not revoke that kind of token skips it
// (the revocation checks judge that).
func revokedOrSkip(x *harness.Exchange, what string) {
	GinkgoHelper()
	harness.SkipUnless(!(x.Status == http.StatusBadRequest && stringField(x.JSON(), "error") == "unsupported_token_type"),
		"the server does not revoke %s (unsupported_token_type, RFC 7009 §2.2.1): nothing revoked to observe", what)
	expectRevoked(x, what)
}

// accessTokenDead tells whether an access token stopped working, by
// introspection (RFC 7662) or at the resource (RFC 6750); it skips when the
// target offers neither.
func accessTokenDead(ctx context.Context, client *profile.Client, token string) (bool, string) {
	GinkgoHelper()
	if env.Endpoints.Introspection != "" {
		x := introspect(ctx, client, token, "access_token")
		active, _ := x.JSON()["active"].(bool)
		return !active, env.Evidence(x)
	}
	harness.SkipUnless(env.Profile.Resource != "", "the target has neither an introspection endpoint nor a resource to observe access tokens with")
	x := resourceCall(ctx, token, false)
	return x.Status >= 400, env.Evidence(x)
}

var _ = Describe("Token revocation", Label("flow:refresh"), func() {
	confidential := func() *profile.Client {
		GinkgoHelper()
		return confidentialFor(env.Endpoints.Revocation, "revocation")
	}

	harness.It(env, catalog.RevokedRefreshTokenDead, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		expectRevoked(revoke(ctx, g.client, g.refresh, "refresh_token"), "refresh tokens")
		x := refresh(ctx, g.client, g.refresh, nil)
		expectRefused(x, "a revoked refresh token")
		requireClientAccepted(nil, x, "the client's")
	})

	harness.It(env, catalog.RevokedAccessTokenDead, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		expectRevoked(revoke(ctx, g.client, g.access, "access_token"), "access tokens")
		dead, evidence := accessTokenDead(ctx, g.client, g.access)
		Expect(dead).To(BeTrue(), "the revoked access token still works:\n%s", evidence)
	})

	harness.It(env, catalog.RevokingRefreshKillsAccess, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		revokedOrSkip(revoke(ctx, g.client, g.refresh, "refresh_token"), "refresh tokens")
		dead, evidence := accessTokenDead(ctx, g.client, g.access)
		Expect(dead).To(BeTrue(), "the grant's access token survived the revocation of its refresh token:\n%s", evidence)
	})

	harness.It(env, catalog.RevocationAuthenticated, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		x, err := env.PostForm(ctx, env.Endpoints.Revocation, url.Values{"token": {g.refresh}, "client_id": {g.client.ID}}, "", "")
		harness.Require(env, err)
		env.Attach("unauthenticated revocation:\n" + env.Evidence(x))
		expectRefreshWorks(refresh(ctx, g.client, g.refresh, nil), g.refresh)
		Expect(x.Status).To(BeNumerically(">=", 400), "the unauthenticated revocation request was not refused")
	})

	harness.It(env, catalog.RevocationBoundToClient, func(ctx SpecContext) {
		other := env.Profile.Clients.Confidential2
		harness.SkipUnless(other != nil, "the profile has no second confidential client (confidential2)")
		g := freshGrant(ctx, confidential())
		x := revoke(ctx, other, g.refresh, "refresh_token")
		env.Attach("revocation by another client:\n" + env.Evidence(x))
		expectRefreshWorks(refresh(ctx, g.client, g.refresh, nil), g.refresh)
	})

	harness.It(env, catalog.RevocationUnknownToken, func(ctx SpecContext) {
		x := revoke(ctx, confidential(), "oauthconform-unknown-token", "")
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK), "revoking an unknown token")
	})

	harness.It(env, catalog.RevocationHintNotBinding, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		x := revoke(ctx, g.client, g.refresh, "access_token")
		env.Attach("refresh token revoked with hint access_token:\n" + env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK), "a wrong hint made the request fail")
		expectRefused(refresh(ctx, g.client, g.refresh, nil), "the refresh token revoked with a wrong hint")
	})

	harness.It(env, catalog.RevocationPostOnly, func(ctx SpecContext) {
		g := freshGrant(ctx, confidential())
		env.Attach("revocation by GET:\n" + env.Evidence(tokenCallByGet(ctx, env.Endpoints.Revocation, g.client, g.refresh)))
		expectRefreshWorks(refresh(ctx, g.client, g.refresh, nil), g.refresh)
	})
})
