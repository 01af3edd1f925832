package suites

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// inspectedToken is an access token to judge the format of: from the client
// credentials grant when the profile has a service client, else from the
// shared login's code exchange.
func inspectedToken(ctx context.Context) string {
	GinkgoHelper()
	if c := env.Profile.Clients.Service; c != nil {
		tokens, _ := sampleAccessTokens(ctx, c, 1)
		return tokens[0]
	}
	harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no client that can obtain an access token")
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	harness.Require(env, l.tokenErr)
	return l.token.AccessToken
}

// jwtToken returns the header and claims of a JWT access token, or skips:
// RFC 9068 applies only to JWT access tokens, and opaque ones are fine.
func jwtToken(ctx context.Context) (string, map[string]any, map[string]any) {
	GinkgoHelper()
	tok := inspectedToken(ctx)
	header, claims, ok := harness.JWTParts(tok)
	harness.SkipUnless(ok, "the access token is opaque, not a JWT; RFC 9068 does not apply")
	env.Attach(fmt.Sprintf("access token header %v", header))
	return tok, header, claims
}

// rfc9068Claimed reports whether a JWT access token falls under RFC 9068, a
// profile a provider opts into: the token says so (typ at+jwt, RFC 9068
// §2.1) or the target profile does (access_tokens: rfc9068).
func rfc9068Claimed(header map[string]any) bool {
	typ, _ := header["typ"].(string)
	return strings.EqualFold(typ, "at+jwt") || strings.EqualFold(typ, "application/at+jwt") || env.Profile.AccessTokens == "rfc9068"
}

// claimNames lists a token's claim names, sorted: what it carries, without
// the values.
func claimNames(claims map[string]any) string {
	names := make([]string, 0, len(claims))
	for k := range claims {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "no claims"
	}
	return "the claims " + strings.Join(names, ", ")
}

// expectVerifiesWithJWKS asserts a JWS verifies with a key of the JWKS
// (RFC 9068 §4, OIDC Core §10.1): the key its kid names, or, for a token
// without kid, the JWKS's only key. OIDC Core §10.1 requires a kid only
// when the JWKS has several keys.
func expectVerifiesWithJWKS(ctx context.Context, token string, header map[string]any, what string) {
	GinkgoHelper()
	jwks, err := env.FetchJWKS(ctx)
	harness.Require(env, err)
	kid, _ := header["kid"].(string)
	keys := jwks.Set.Keys
	if kid != "" {
		keys = jwks.Set.Key(kid)
		Expect(keys).NotTo(BeEmpty(), "kid %q of the %s is not in the JWKS at %s", kid, what, jwks.From)
	} else {
		Expect(len(keys)).To(BeNumerically("<=", 1), "the %s names no kid, and the JWKS at %s has %d keys: OIDC Core §10.1 requires a kid when there are several", what, jwks.From, len(keys))
		Expect(keys).NotTo(BeEmpty(), "the JWKS at %s has no key to verify the %s with", jwks.From, what)
	}
	parsed, err := jwt.ParseSigned(token, harness.SignatureAlgorithms)
	Expect(err).NotTo(HaveOccurred(), "the %s does not parse as a signed JWT", what)
	var claims map[string]any
	Expect(parsed.Claims(keys[0].Key, &claims)).To(Succeed(), "the signature of the %s does not verify with key %q", what, kid)
}

var _ = Describe("Token formats", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.JWTAccessTokenType, func(ctx SpecContext) {
		// The one place the format itself is reported: an opaque token is
		// fine (RFC 9068 is optional), so it is information, not a skip.
		tok := inspectedToken(ctx)
		header, _, ok := harness.JWTParts(tok)
		if !ok {
			harness.Info(env, fmt.Sprintf("access tokens are opaque (%d characters, not a JWT): the RFC 9068 checks do not apply", len(tok)))
			return
		}
		env.Attach(fmt.Sprintf("access token header %v", header))
		if !rfc9068Claimed(header) {
			_, claims, _ := harness.JWTParts(tok)
			harness.Info(env, fmt.Sprintf("a JWT access token (typ %v) that does not claim the RFC 9068 profile, nor does the profile (access_tokens: rfc9068): "+
				"RFC 9068 is a profile a provider opts into. It carries %s", header["typ"], claimNames(claims)))
			return
		}
		Expect(header["typ"]).To(Or(Equal("at+jwt"), Equal("application/at+jwt")), "the profile says the provider issues RFC 9068 access tokens, but typ is %v", header["typ"])
	})

	harness.It(env, catalog.JWTAccessTokenClaims, func(ctx SpecContext) {
		_, header, claims := jwtToken(ctx)
		if !rfc9068Claimed(header) {
			harness.Info(env, fmt.Sprintf("a JWT access token (typ %v) that does not claim the RFC 9068 profile: its claims are not RFC 9068's to judge. It carries %s",
				header["typ"], claimNames(claims)))
			return
		}
		for _, name := range []string{"iss", "exp", "aud", "sub", "client_id", "iat", "jti"} {
			Expect(claims).To(HaveKey(name), "the access token has no %s claim", name)
		}
	})

	harness.It(env, catalog.JWTAccessTokenIssuer, func(ctx SpecContext) {
		_, _, claims := jwtToken(ctx)
		Expect(claims["iss"]).To(Equal(env.Endpoints.Issuer), "iss of the access token")
	})

	harness.It(env, catalog.JWTAccessTokenNotUnsigned, func(ctx SpecContext) {
		_, header, _ := jwtToken(ctx)
		alg, _ := header["alg"].(string)
		Expect(alg).NotTo(BeEmpty(), "no alg")
		Expect(alg).NotTo(BeEquivalentTo("none"), "the access token is unsigned")
	})

	harness.It(env, catalog.JWTAccessTokenSigned, func(ctx SpecContext) {
		tok, header, _ := jwtToken(ctx)
		expectVerifiesWithJWKS(ctx, tok, header, "access token")
	})

	harness.It(env, catalog.JWKSNoPrivateKeys, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.JWKS != "", "the target names no jwks_uri")
		jwks, err := env.FetchJWKS(ctx)
		harness.Require(env, err)
		for i, k := range jwks.Raw {
			for _, private := range []string{"d", "p", "q", "dp", "dq", "qi"} {
				Expect(k).NotTo(HaveKey(private), "key %d (kid %v) in %s publishes the private parameter %q", i, k["kid"], jwks.From, private)
			}
		}
	})

	harness.It(env, catalog.JWKSNoSymmetricKeys, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.JWKS != "", "the target names no jwks_uri")
		jwks, err := env.FetchJWKS(ctx)
		harness.Require(env, err)
		for i, k := range jwks.Raw {
			Expect(k["kty"]).NotTo(Equal("oct"), "key %d (kid %v) in %s is symmetric", i, k["kid"], jwks.From)
			Expect(k).NotTo(HaveKey("k"), "key %d (kid %v) in %s publishes a symmetric secret", i, k["kid"], jwks.From)
		}
	})
})
