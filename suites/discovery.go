package suites

import (
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

var _ = Describe("Discovery", Label("flow:discovery"), func() {
	harness.It(env, catalog.MetadataIssuerIdentical, func(ctx SpecContext) {
		needMetadata()
		env.Attach("metadata: " + env.MetadataURL)
		Expect(env.Metadata["issuer"]).To(Equal(env.Endpoints.Issuer), "issuer in %s", env.MetadataURL)
	})

	harness.It(env, catalog.MetadataIsJSON, func(ctx SpecContext) {
		needMetadata()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, env.MetadataURL, nil)
		harness.Require(env, err)
		rec := &harness.Recorder{}
		resp, err := env.HTTPClient(rec).Do(req)
		harness.Require(env, err)
		_ = resp.Body.Close()
		x := rec.Last()
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK))
		Expect(x.Header.Get("Content-Type")).To(HavePrefix("application/json"), "Content-Type of %s", env.MetadataURL)
	})

	harness.It(env, catalog.MetadataRequiredFields, func(ctx SpecContext) {
		needMetadata()
		for _, field := range []string{"issuer", "authorization_endpoint", "token_endpoint", "response_types_supported"} {
			Expect(env.Metadata).To(HaveKey(field), "%s has no %s", env.MetadataURL, field)
		}
	})

	harness.It(env, catalog.MetadataPKCEMethods, func(ctx SpecContext) {
		needMetadata()
		methods, _ := env.Metadata["code_challenge_methods_supported"].([]any)
		Expect(containsAny(methods, "S256")).To(BeTrue(), "code_challenge_methods_supported is %v", env.Metadata["code_challenge_methods_supported"])
	})

	harness.It(env, catalog.JWKSKidsUnique, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.JWKS != "", "the target names no jwks_uri")
		jwks, err := env.FetchJWKS(ctx)
		harness.Require(env, err)
		// kid is OPTIONAL (RFC 7517 §4.5); the keys that have one SHOULD
		// have distinct values. Whether a token names the key it needs is
		// TF-04 and TF-08 (OIDC Core §10.1).
		seen := map[string]bool{}
		for _, k := range jwks.Raw {
			kid, _ := k["kid"].(string)
			if kid == "" {
				continue
			}
			Expect(seen[kid]).To(BeFalse(), "kid %q appears twice in %s: RFC 7517 §4.5 asks for distinct kid values", kid, jwks.From)
			seen[kid] = true
		}
	})

	harness.It(env, catalog.PasswordGrantRefused, func(ctx SpecContext) {
		if env.Metadata != nil {
			grants, _ := env.Metadata["grant_types_supported"].([]any)
			Expect(containsAny(grants, "password")).To(BeFalse(), "%s advertises the password grant", env.MetadataURL)
		}
		c := env.Profile.Clients.Confidential
		if c == nil {
			c = env.Profile.Clients.Service
		}
		harness.SkipUnless(c != nil, "the profile has no confidential client to try the password grant with")
		harness.SkipUnless(env.Profile.User.Username != "", "the profile has no user")
		x := tokenRequest(ctx, c, url.Values{"grant_type": {"password"}, "username": {env.Profile.User.Username}, "password": {env.Profile.User.Password}})
		env.Attach(env.Evidence(x))
		expectRefused(x, "the password grant")
	})
})
