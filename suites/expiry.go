package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// maxExpiryWait bounds how long a check waits for a token to expire: a
// provider whose short-lived client still gets tokens for minutes is not
// worth holding the run for.
const maxExpiryWait = time.Minute

// expiryMargin is waited beyond a token's lifetime: expires_in counts whole
// seconds, and the provider's clock started after the request was sent.
const expiryMargin = 2 * time.Second

// expiring is the access token of the short-lived client (profile role
// short_lived), requested when the suite starts so that its lifetime runs
// out while other checks run: the expiry checks then wait only for what is
// left of it. What the resource and the introspection endpoint said while it
// was fresh is kept, so that a refusal later can be put down to expiry.
var expiring struct {
	token     string
	expiresAt time.Time // lifetime and margin from the moment the answer came
	skip      string    // why the expiry checks cannot run, if they cannot
	err       error     // the harness could not obtain the token
	issued    *harness.Exchange
	resource  *harness.Exchange // the fresh token at the resource
	resErr    error             // why it could not be presented there
	inspected *harness.Exchange // the fresh token at introspection
}

// requestExpiringToken obtains expiring's token. It runs in BeforeSuite, so
// it decides nothing: every failure is kept for the checks to report.
func requestExpiringToken(ctx context.Context) {
	c := env.Profile.Clients.ShortLived
	if c == nil {
		expiring.skip = "the profile declares no short-lived client (clients.short_lived): waiting out an ordinary access token is not worth a check"
		return
	}
	x, err := postAs(ctx, env.Endpoints.Token, c, ccForm(c))
	if err != nil {
		expiring.err = err
		return
	}
	expiring.issued = x
	tok := stringField(x.JSON(), "access_token")
	if tok == "" {
		expiring.err = fmt.Errorf("no access token for the short-lived client %s:\n%s", c.ID, env.Evidence(x))
		return
	}
	lifetime := c.TokenLifetime
	if secs, ok := x.JSON()["expires_in"].(float64); ok && time.Duration(secs)*time.Second > lifetime {
		lifetime = time.Duration(secs) * time.Second
	}
	switch {
	case lifetime == 0:
		expiring.skip = "the short-lived client's token response has no expires_in and the profile declares no clients.short_lived.token_lifetime"
		return
	case lifetime > maxExpiryWait:
		expiring.skip = fmt.Sprintf("the short-lived client's tokens live %s, longer than the %s a check waits", lifetime, maxExpiryWait)
		return
	}
	expiring.token, expiring.expiresAt = tok, time.Now().Add(lifetime+expiryMargin)
	if env.Profile.Resource != "" {
		expiring.resource, expiring.resErr = resourceGet(ctx, tok)
	}
	if env.Endpoints.Introspection != "" {
		// Asked by the token's own client: whether other clients may
		// introspect it is policy (IN-08), not expiry.
		expiring.inspected, _ = postAs(ctx, env.Endpoints.Introspection, c, url.Values{"token": {tok}, "token_type_hint": {"access_token"}})
	}
}

// expiredToken waits until expiring's token has expired and returns it, or
// skips, or ends the check undecided.
func expiredToken(ctx context.Context) string {
	GinkgoHelper()
	harness.SkipUnless(expiring.skip == "", "%s", expiring.skip)
	if expiring.err != nil {
		harness.Undecided(env, expiring.err)
	}
	if wait := time.Until(expiring.expiresAt); wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			harness.Undecided(env, fmt.Errorf("waiting %s for the short-lived token to expire: %w", wait.Round(time.Millisecond), ctx.Err()))
		}
	}
	return expiring.token
}

var _ = Describe("Expired access tokens", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.BearerExpiredRefused, func(ctx SpecContext) {
		harness.SkipUnless(env.Profile.Resource != "", "the profile names no protected resource")
		tok := expiredToken(ctx)
		if fresh := expiring.resource; fresh == nil {
			harness.Undecided(env, fmt.Errorf("presenting the fresh short-lived token to the resource: %w", expiring.resErr))
		} else if fresh.Status != http.StatusOK {
			// A user-facing resource (userinfo, say) may not serve client
			// credentials tokens at all: expiry cannot be seen there.
			harness.SkipUnless(false, "the resource refused the short-lived client's token while it was fresh (status %d): it does not serve this client, so expiry cannot be observed there", fresh.Status)
		}
		x := resourceCall(ctx, tok, false)
		env.Attach(env.Evidence(x))
		// RFC 6749 §7: refused; how (401, invalid_token) is BR-11.
		Expect(x.Status).To(BeNumerically(">=", 400), "the resource accepted an expired token (status %d)", x.Status)
	})

	harness.It(env, catalog.BearerExpiredInvalidToken, func(ctx SpecContext) {
		harness.SkipUnless(env.Profile.Resource != "", "the profile names no protected resource")
		if fresh := expiring.resource; fresh == nil || fresh.Status != http.StatusOK {
			harness.SkipUnless(false, "the resource did not serve the short-lived client's token while it was fresh (see BR-08)")
		}
		x := resourceCall(ctx, expiredToken(ctx), false)
		env.Attach(env.Evidence(x))
		harness.SkipUnless(x.Status >= 400, "the resource accepted the expired token (BR-08): there is no refusal to judge")
		expectInvalidTokenAnswer(x, "an expired token")
	})

	harness.It(env, catalog.IntrospectionSeesExpiry, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.Introspection != "", "the target has no introspection endpoint")
		tok := expiredToken(ctx)
		c := env.Profile.Clients.ShortLived
		if fresh := expiring.inspected; fresh == nil || fresh.JSON()["active"] != true {
			harness.Undecided(env, fmt.Errorf("the short-lived token did not introspect as active while it was fresh, so an inactive answer now proves nothing:\n%s", env.Evidence(fresh)))
		}
		x := introspect(ctx, c, tok, "access_token")
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK), "introspection of an expired token: status")
		// Whatever else the answer carries is IN-10's concern (SHOULD NOT).
		Expect(x.JSON()).To(HaveKeyWithValue("active", false), "an expired token must introspect as active false")
	})
})
