package suites

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// userinfoEndpoint is the advertised userinfo_endpoint (OIDC Discovery
// §3), or a skip: a provider without one has no UserInfo to check.
func userinfoEndpoint() string {
	GinkgoHelper()
	needMetadata()
	ep, _ := env.Metadata["userinfo_endpoint"].(string)
	harness.SkipUnless(ep != "", "the provider does not advertise userinfo_endpoint")
	return ep
}

// userinfoGrant is a grant of the confidential client for the UserInfo
// checks: its access token, the sub of its ID Token and the scopes granted.
type userinfoGrant struct {
	token  string
	sub    string
	scopes []string
}

// userinfoShared is the grant the UserInfo checks share: one code of the
// shared login's session, over plain HTTP (no browser), with the client's
// scopes; a check that revokes takes a grant of its own.
var userinfoShared struct {
	mu    sync.Mutex
	grant *userinfoGrant
}

// sharedUserinfoGrant returns the shared UserInfo grant, or a skip when the
// provider has no UserInfo Endpoint or issues no ID Token.
func sharedUserinfoGrant(ctx context.Context) (string, *userinfoGrant) {
	GinkgoHelper()
	ep := userinfoEndpoint()
	_, _, _ = sharedIDToken(ctx) // skips for a provider that issues no ID Token
	userinfoShared.mu.Lock()
	defer userinfoShared.mu.Unlock()
	if g := userinfoShared.grant; g != nil && !userinfoAlive(ctx, ep, g.token) {
		// A provider may have revoked the grant since (a reused code
		// revokes every token of its grant on some), which says nothing of
		// the UserInfo Endpoint: a new grant serves the next checks.
		env.Attach("the shared UserInfo grant's access token no longer works (its grant was revoked since?): a new grant")
		userinfoShared.grant = nil
	}
	if userinfoShared.grant == nil {
		userinfoShared.grant = newUserinfoGrant(ctx)
	}
	return ep, userinfoShared.grant
}

// newUserinfoGrant obtains a fresh grant of the confidential client in the
// shared login's session.
func newUserinfoGrant(ctx context.Context) *userinfoGrant {
	GinkgoHelper()
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	client := env.Profile.Clients.Confidential
	code, params := codeForParams(ctx, l, client, nil)
	tok, x, err := exchange(ctx, client, code, verifierOpts(params)...)
	if err != nil {
		harness.Undecided(env, fmt.Errorf("the code exchange failed:\n%s", env.Evidence(x)))
	}
	raw, _ := tok.Extra("id_token").(string)
	harness.SkipUnless(raw != "", "the token response carries no id_token (no openid scope requested)")
	_, claims, ok := harness.JWTParts(raw)
	if !ok {
		harness.Undecided(env, fmt.Errorf("the id_token is not a JWT"))
	}
	g := &userinfoGrant{token: tok.AccessToken, sub: stringField(claims, "sub")}
	// RFC 6749 §5.1: scope is in the answer when it differs from the request's.
	g.scopes = strings.Fields(params.Get("scope"))
	if granted, ok := tok.Extra("scope").(string); ok && granted != "" {
		g.scopes = strings.Fields(granted)
	}
	return g
}

// userinfoCall calls the UserInfo Endpoint with method, the token in the
// Authorization header or, with inBody, as access_token in the form body.
func userinfoCall(ctx context.Context, ep, method, token string, inBody bool) *harness.Exchange {
	GinkgoHelper()
	var body io.Reader
	if inBody {
		body = strings.NewReader(url.Values{"access_token": {token}}.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, ep, body)
	harness.Require(env, err)
	if inBody {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := &harness.Recorder{}
	resp, err := env.HTTPClient(rec).Do(req)
	harness.Require(env, err)
	_ = resp.Body.Close()
	x := rec.Last()
	env.Attach(env.Evidence(x))
	return x
}

// userinfoAlive reports whether the UserInfo Endpoint answers a GET with
// token 200, recording nothing (a liveness probe of the shared grant).
func userinfoAlive(ctx context.Context, ep, token string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep, nil)
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := env.HTTPClient(nil).Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// isJWTResponse tells a signed (or encrypted) UserInfo Response, which
// OIDC Core §5.3.2 returns as application/jwt.
func isJWTResponse(x *harness.Exchange) bool {
	return strings.HasPrefix(strings.ToLower(x.Header.Get("Content-Type")), "application/jwt")
}

// userinfoClaims are the claims of a UserInfo Response: the JSON object, or
// the payload of a signed one (its signature is UI-13's business).
func userinfoClaims(x *harness.Exchange) map[string]any {
	GinkgoHelper()
	if isJWTResponse(x) {
		_, claims, ok := harness.JWTParts(strings.TrimSpace(string(x.Body)))
		Expect(ok).To(BeTrue(), "the application/jwt UserInfo Response is not a JWS (an encrypted one cannot be read)")
		return claims
	}
	claims := x.JSON()
	Expect(claims).NotTo(BeNil(), "the UserInfo Response is not a JSON object (OIDC Core §5.3.2)")
	return claims
}

// expectUserinfoAnswered asserts a UserInfo request succeeded with claims.
func expectUserinfoAnswered(x *harness.Exchange, what string) map[string]any {
	GinkgoHelper()
	Expect(x.Status).To(Equal(http.StatusOK), "%s was answered %d", what, x.Status)
	return userinfoClaims(x)
}

// userinfoWorks returns the claims of the RECOMMENDED request (GET, header),
// undecided when it fails: a refusal check proves nothing without it.
func userinfoWorks(ctx context.Context, ep string, g *userinfoGrant) map[string]any {
	GinkgoHelper()
	x := userinfoCall(ctx, ep, http.MethodGet, g.token, false)
	if x.Status != http.StatusOK {
		harness.Undecided(env, fmt.Errorf("the UserInfo Endpoint refuses the GET with a fresh token in the Authorization header (see UI-01):\n%s", env.Evidence(x)))
	}
	return userinfoClaims(x)
}

// scopeClaimNames are the claims each scope value requests (OIDC Core §5.4).
var scopeClaimNames = map[string][]string{
	"profile": {"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"},
	"email":   {"email", "email_verified"},
	"address": {"address"},
	"phone":   {"phone_number", "phone_number_verified"},
}

// expectScopeReleased is a scope check: the scope's claims at the UserInfo
// Endpoint, at least one of them (they are Voluntary Claims, OIDC Core §5.4,
// and a user may lack some); skipped when the profile's client does not ask
// for the scope or the provider did not grant it.
func expectScopeReleased(ctx context.Context, scope string) {
	GinkgoHelper()
	ep, g := sharedUserinfoGrant(ctx)
	client := env.Profile.Clients.Confidential
	harness.SkipUnless(slices.Contains(client.Scopes, scope), "the profile's confidential client does not request the %s scope (clients.confidential.scopes: %v)", scope, client.Scopes)
	harness.SkipUnless(slices.Contains(g.scopes, scope), "the provider did not grant the %s scope (granted: %v)", scope, g.scopes)
	claims := userinfoWorks(ctx, ep, g)
	var got []string
	for _, c := range scopeClaimNames[scope] {
		if _, ok := claims[c]; ok {
			got = append(got, c)
		}
	}
	env.Attach(fmt.Sprintf("claims of the %s scope released: %v", scope, got))
	Expect(got).NotTo(BeEmpty(), "a token granted the %s scope gets none of its claims (%v) at the UserInfo Endpoint; claims: %v", scope, scopeClaimNames[scope], claimNames(claims))
}

var _ = Describe("UserInfo", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.UserinfoGet, func(ctx SpecContext) {
		ep, g := sharedUserinfoGrant(ctx)
		expectUserinfoAnswered(userinfoCall(ctx, ep, http.MethodGet, g.token, false), "a GET with the token in the Authorization header")
	})

	harness.It(env, catalog.UserinfoPostHeader, func(ctx SpecContext) {
		ep, g := sharedUserinfoGrant(ctx)
		expectUserinfoAnswered(userinfoCall(ctx, ep, http.MethodPost, g.token, false), "a POST with the token in the Authorization header")
	})

	harness.It(env, catalog.UserinfoPostBody, func(ctx SpecContext) {
		ep, g := sharedUserinfoGrant(ctx)
		_ = userinfoWorks(ctx, ep, g)
		expectUserinfoAnswered(userinfoCall(ctx, ep, http.MethodPost, g.token, true), "a POST with the token as access_token in the form body")
	})

	harness.It(env, catalog.UserinfoSub, func(ctx SpecContext) {
		ep, g := sharedUserinfoGrant(ctx)
		claims := userinfoWorks(ctx, ep, g)
		Expect(stringField(claims, "sub")).NotTo(BeEmpty(), "the UserInfo Response has no sub; claims: %v", claimNames(claims))
	})

	harness.It(env, catalog.UserinfoSubMatches, func(ctx SpecContext) {
		ep, g := sharedUserinfoGrant(ctx)
		claims := userinfoWorks(ctx, ep, g)
		sub := stringField(claims, "sub")
		harness.SkipUnless(sub != "", "the UserInfo Response has no sub (UI-04)")
		Expect(sub).To(Equal(g.sub), "the UserInfo Response's sub is not the ID Token's")
	})

	harness.It(env, catalog.UserinfoScopeProfile, func(ctx SpecContext) { expectScopeReleased(ctx, "profile") })
	harness.It(env, catalog.UserinfoScopeEmail, func(ctx SpecContext) { expectScopeReleased(ctx, "email") })
	harness.It(env, catalog.UserinfoScopeAddress, func(ctx SpecContext) { expectScopeReleased(ctx, "address") })
	harness.It(env, catalog.UserinfoScopePhone, func(ctx SpecContext) { expectScopeReleased(ctx, "phone") })

	// invalid is answered once for UI-10 and UI-12.
	var invalid attempt
	invalidCall := func(ctx context.Context) *harness.Exchange {
		GinkgoHelper()
		ep, g := sharedUserinfoGrant(ctx)
		_ = userinfoWorks(ctx, ep, g) // the positive control
		x, _ := invalid.get(func() (*harness.Exchange, error) {
			return userinfoCall(ctx, ep, http.MethodGet, "oauthconform-invalid-"+harness.Random(), false), nil
		})
		return x
	}

	harness.It(env, catalog.UserinfoInvalidTokenRefused, func(ctx SpecContext) {
		x := invalidCall(ctx)
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(BeNumerically(">=", 400), "a made-up access token was answered %d with claims", x.Status)
	})

	harness.It(env, catalog.UserinfoChallenge, func(ctx SpecContext) {
		x := invalidCall(ctx)
		env.Attach(env.Evidence(x))
		harness.SkipUnless(x.Status >= 400, "the UserInfo Endpoint accepted a made-up token (UI-10): there is no refusal to judge")
		challenge := x.Header.Get("WWW-Authenticate")
		Expect(strings.HasPrefix(strings.ToLower(challenge), "bearer")).To(BeTrue(), "the refusal (status %d) has no Bearer challenge: WWW-Authenticate is %q", x.Status, challenge)
	})

	harness.It(env, catalog.UserinfoRevokedRefused, func(ctx SpecContext) {
		ep, _ := sharedUserinfoGrant(ctx)
		harness.SkipUnless(env.Endpoints.Revocation != "", "the target has no revocation endpoint")
		g := newUserinfoGrant(ctx)
		_ = userinfoWorks(ctx, ep, g)
		revokedOrSkip(revoke(ctx, env.Profile.Clients.Confidential, g.token, "access_token"), "access tokens")
		x := userinfoCall(ctx, ep, http.MethodGet, g.token, false)
		Expect(x.Status).To(BeNumerically(">=", 400), "a revoked access token was answered %d with claims", x.Status)
	})

	harness.It(env, catalog.UserinfoSignedIssAud, func(ctx SpecContext) {
		ep, g := sharedUserinfoGrant(ctx)
		// The response is signed for a client registered for it
		// (userinfo_signed_response_alg): the confidential client, or else
		// the second one.
		client := env.Profile.Clients.Confidential
		x := userinfoCall(ctx, ep, http.MethodGet, g.token, false)
		if x.Status == http.StatusOK && !isJWTResponse(x) && env.Profile.Clients.Confidential2 != nil {
			client = env.Profile.Clients.Confidential2
			l, err := sharedLogin(ctx)
			harness.Require(env, err)
			// A client without scopes of its own asks for the confidential
			// client's: the openid scope the UserInfo Endpoint needs.
			var scope url.Values
			if len(client.Scopes) == 0 {
				scope = url.Values{"scope": {strings.Join(env.Profile.Clients.Confidential.Scopes, " ")}}
			}
			code, params := codeForParams(ctx, l, client, scope)
			tok, tx, err := exchange(ctx, client, code, verifierOpts(params)...)
			if err != nil {
				harness.Undecided(env, fmt.Errorf("the second client's code exchange failed:\n%s", env.Evidence(tx)))
			}
			x = userinfoCall(ctx, ep, http.MethodGet, tok.AccessToken, false)
		}
		if x.Status != http.StatusOK {
			harness.Undecided(env, fmt.Errorf("the UserInfo Endpoint refuses the GET (see UI-01):\n%s", env.Evidence(x)))
		}
		algs, _ := env.Metadata["userinfo_signing_alg_values_supported"].([]any)
		harness.SkipUnless(isJWTResponse(x), "the UserInfo Responses are plain JSON: no client of the profile is registered for signed responses (userinfo_signed_response_alg; advertised algorithms: %v)", algs)
		raw := strings.TrimSpace(string(x.Body))
		header, claims, ok := harness.JWTParts(raw)
		Expect(ok).To(BeTrue(), "the application/jwt UserInfo Response is not a JWS")
		expectVerifiesWithJWKS(ctx, raw, header, "signed UserInfo Response")
		Expect(claims["iss"]).To(Equal(env.Endpoints.Issuer), "iss of the signed UserInfo Response")
		Expect(audience(claims)).To(ContainElement(client.ID), "aud of the signed UserInfo Response")
	})
	harness.It(env, catalog.UserinfoJSONContentType, func(ctx SpecContext) {
		ep, g := sharedUserinfoGrant(ctx)
		x := userinfoCall(ctx, ep, http.MethodGet, g.token, false)
		if x.Status != http.StatusOK {
			harness.Undecided(env, fmt.Errorf("the UserInfo Endpoint refuses the GET (see UI-01):\n%s", env.Evidence(x)))
		}
		harness.SkipUnless(!isJWTResponse(x), "the UserInfo Response is signed (application/jwt): UI-13 judges it")
		ct := x.Header.Get("Content-Type")
		Expect(strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json")).To(BeTrue(), "the UserInfo Response is served as %q, not application/json", ct)
	})
})
