package suites

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// idToken decodes an id_token, failing when it is not a JWT.
func idToken(raw string) (map[string]any, map[string]any) {
	GinkgoHelper()
	header, claims, ok := harness.JWTParts(raw)
	Expect(ok).To(BeTrue(), "the id_token is not a JWT")
	env.Attach(fmt.Sprintf("id_token header %v", header))
	return header, claims
}

// sharedIDToken is the id_token of the shared login's code exchange, or a
// skip: only OpenID Providers issue one, and only for the openid scope.
func sharedIDToken(ctx context.Context) (string, map[string]any, map[string]any) {
	GinkgoHelper()
	harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client")
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	if l.tokenErr != nil {
		harness.Undecided(env, fmt.Errorf("the code exchange failed:\n%s", env.Evidence(l.tokenX)))
	}
	raw := stringField(l.tokenX.JSON(), "id_token")
	harness.SkipUnless(raw != "", "the token response carries no id_token (not an OpenID Provider, or no openid scope requested)")
	header, claims := idToken(raw)
	return raw, header, claims
}

// audience reads aud, a string or an array (OIDC Core §2).
func audience(claims map[string]any) []string {
	switch aud := claims["aud"].(type) {
	case string:
		return []string{aud}
	case []any:
		var out []string
		for _, a := range aud {
			if s, ok := a.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

var _ = Describe("ID Tokens", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.IDTokenSigned, func(ctx SpecContext) {
		raw, header, _ := sharedIDToken(ctx)
		expectVerifiesWithJWKS(ctx, raw, header, "id_token")
	})

	harness.It(env, catalog.IDTokenIssuer, func(ctx SpecContext) {
		_, _, claims := sharedIDToken(ctx)
		Expect(claims["iss"]).To(Equal(env.Endpoints.Issuer), "iss of the id_token")
	})

	harness.It(env, catalog.IDTokenAudience, func(ctx SpecContext) {
		_, _, claims := sharedIDToken(ctx)
		Expect(audience(claims)).To(ContainElement(env.Profile.Clients.Confidential.ID), "aud of the id_token")
	})

	harness.It(env, catalog.IDTokenNotExpired, func(ctx SpecContext) {
		_, _, claims := sharedIDToken(ctx)
		exp, ok := claims["exp"].(float64)
		Expect(ok).To(BeTrue(), "no numeric exp")
		iat, _ := claims["iat"].(float64)
		Expect(exp).To(BeNumerically(">", iat), "exp is not after iat")
		// The shared login's token may be a few seconds old; a minute of leeway for clocks.
		Expect(time.Unix(int64(exp), 0)).To(BeTemporally(">", time.Now().Add(-time.Minute)), "the id_token had expired when issued")
	})

	harness.It(env, catalog.IDTokenNonce, func(ctx SpecContext) {
		_, _, _ = sharedIDToken(ctx) // skips for a plain OAuth 2.0 server
		l, _ := sharedLogin(ctx)
		client := env.Profile.Clients.Confidential
		nonce := harness.Random()
		verifier := oauth2.GenerateVerifier()
		code := codeFor(ctx, l, client, url.Values{"nonce": {nonce}, "code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}})
		tok, x, err := exchange(ctx, client, code, oauth2.VerifierOption(verifier))
		if err != nil {
			harness.Undecided(env, fmt.Errorf("the code exchange failed:\n%s", env.Evidence(x)))
		}
		raw, _ := tok.Extra("id_token").(string)
		Expect(raw).NotTo(BeEmpty(), "no id_token for a request with nonce and the openid scope")
		_, claims := idToken(raw)
		Expect(claims["nonce"]).To(Equal(nonce), "the id_token's nonce")
	})
	harness.It(env, catalog.IDTokenIat, func(ctx SpecContext) {
		_, _, claims := sharedIDToken(ctx)
		_, ok := claims["iat"].(float64)
		Expect(ok).To(BeTrue(), "the id_token has no numeric iat (iat: %v)", claims["iat"])
	})

	harness.It(env, catalog.IDTokenSubSyntax, func(ctx SpecContext) {
		_, _, claims := sharedIDToken(ctx)
		sub, ok := claims["sub"].(string)
		Expect(ok && sub != "").To(BeTrue(), "the id_token has no sub (sub: %v)", claims["sub"])
		Expect(len(sub)).To(BeNumerically("<=", 255), "sub is %d characters long", len(sub))
		for _, r := range sub {
			Expect(r).To(BeNumerically("<", 128), "sub has a character outside ASCII: %q", r)
		}
	})

	harness.It(env, catalog.IDTokenAzp, func(ctx SpecContext) {
		_, _, claims := sharedIDToken(ctx)
		azp, has := claims["azp"]
		harness.SkipUnless(has, "the id_token has no azp (OPTIONAL; audience %v)", audience(claims))
		Expect(azp).To(Equal(env.Profile.Clients.Confidential.ID), "azp of the id_token")
	})

	harness.It(env, catalog.IDTokenAlgAdvertised, func(ctx SpecContext) {
		_, header, _ := sharedIDToken(ctx)
		needMetadata()
		algs, ok := env.Metadata["id_token_signing_alg_values_supported"].([]any)
		harness.SkipUnless(ok, "the discovery document has no id_token_signing_alg_values_supported (DSC-11)")
		Expect(algs).To(ContainElement(header["alg"]), "the id_token's alg is not in id_token_signing_alg_values_supported %v", algs)
	})

	harness.It(env, catalog.IDTokenRS256Advertised, func(ctx SpecContext) {
		_, _, _ = sharedIDToken(ctx) // skips for a plain OAuth 2.0 server
		needMetadata()
		algs, ok := env.Metadata["id_token_signing_alg_values_supported"].([]any)
		harness.SkipUnless(ok, "the discovery document has no id_token_signing_alg_values_supported (DSC-11)")
		Expect(algs).To(ContainElement("RS256"), "id_token_signing_alg_values_supported")
	})

	harness.It(env, catalog.IDTokenNotUnsigned, func(ctx SpecContext) {
		_, header, _ := sharedIDToken(ctx)
		Expect(strings.EqualFold(fmt.Sprint(header["alg"]), "none")).To(BeFalse(), "the id_token is unsecured (alg %v)", header["alg"])
	})
})
