package suites

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// codeIDToken is the hybrid response type code id_token (OIDC Core §3.3).
const codeIDToken = "code id_token"

// hybridOffered skips unless the provider advertises code id_token
// (response_types_supported, in any order of its values) and the
// confidential client asks for openid; it returns the shared login.
func hybridOffered(ctx context.Context) *loggedIn {
	GinkgoHelper()
	needMetadata()
	types, _ := env.Metadata["response_types_supported"].([]any)
	offered := false
	for _, t := range types {
		f := strings.Fields(fmt.Sprint(t))
		slices.Sort(f)
		offered = offered || strings.Join(f, " ") == codeIDToken
	}
	harness.SkipUnless(offered, "the provider does not advertise the hybrid response type code id_token (response_types_supported: %v)", types)
	client := env.Profile.Clients.Confidential
	harness.SkipUnless(client != nil, "the profile has no confidential client")
	harness.SkipUnless(slices.Contains(client.Scopes, "openid"), "the confidential client does not ask for openid (clients.confidential.scopes: %v)", client.Scopes)
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	return l
}

// codeIDTokenParams are a code id_token request of the confidential client, with
// PKCE S256 and, unless nonce is nil, a nonce.
func codeIDTokenParams(nonce []string) url.Values {
	state := harness.Random()
	return codeParams(env.Profile.Clients.Confidential, url.Values{
		"response_type": {codeIDToken}, "state": {state}, "nonce": nonce,
		"code_challenge": {s256(verifierOf(state))}, "code_challenge_method": {"S256"},
	})
}

var _ = Describe("Hybrid flow", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.HybridCHash, func(ctx SpecContext) {
		l := hybridOffered(ctx)
		ld, err := authorizeAs(ctx, l, codeIDTokenParams([]string{harness.Random()}))
		harness.Require(env, err)
		got := ld.params()
		ld.attach("a code id_token request")
		if got.Get("id_token") == "" || got.Get("code") == "" {
			harness.SkipUnless(got.Get("error") == "", "the provider refused code id_token for the confidential client (error=%s): it may not be registered for it", got.Get("error"))
			harness.Undecided(env, fmt.Errorf("no code and id_token came back for a code id_token request: %s", ld))
		}
		env.Redactor.Add(got.Get("code"), got.Get("id_token"))
		header, claims := idToken(got.Get("id_token"))
		want, ok := harness.TokenHash(got.Get("code"), fmt.Sprint(header["alg"]))
		harness.SkipUnless(ok, "the id_token's alg %v has no defined hash for c_hash", header["alg"])
		Expect(claims["c_hash"]).To(Equal(want), "c_hash does not match the code")
	})

	harness.It(env, catalog.HybridNonceRequired, func(ctx SpecContext) {
		l := hybridOffered(ctx)
		control := codeIDTokenParams([]string{harness.Random()})
		// The control first: a client not registered for code id_token
		// is refused whatever the nonce (TF-21 skips the same way).
		if c, err := l.control(ctx, "a nonce "+control.Get("client_id"), control); err == nil && !c.delivered() {
			if e := c.params().Get("error"); e == "unauthorized_client" || e == "unsupported_response_type" {
				harness.SkipUnless(false, "the provider refused code id_token with a nonce for the confidential client (error=%s): it may not be registered for it", e)
			}
		}
		ld, err := authorizeAs(ctx, l, codeIDTokenParams(nil))
		harness.Require(env, err)
		expectRefusedWithControl(ctx, l, ld, "a code id_token request without nonce", "a nonce", control)
	})
})
