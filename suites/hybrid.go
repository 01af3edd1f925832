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

// hybridResponse is the answer to one code id_token request with a nonce,
// shared by the checks that read it.
type hybridResponse struct {
	done  bool
	nonce string
	got   url.Values
	ld    *landing
}

// get sends the request once, and skips when the provider refuses it (the
// client may not be registered for the response type).
func (h *hybridResponse) get(ctx context.Context) url.Values {
	GinkgoHelper()
	l := hybridOffered(ctx)
	if !h.done {
		h.nonce = harness.Random()
		ld, err := authorizeAs(ctx, l, codeIDTokenParams([]string{h.nonce}))
		harness.Require(env, err)
		h.ld, h.got, h.done = ld, ld.params(), true
		env.Redactor.Add(h.got.Get("code"), h.got.Get("id_token"))
	}
	h.ld.attach("a code id_token request")
	if h.got.Get("id_token") == "" || h.got.Get("code") == "" {
		harness.SkipUnless(h.got.Get("error") == "", "the provider refused code id_token for the confidential client (error=%s): it may not be registered for it", h.got.Get("error"))
		harness.Undecided(env, fmt.Errorf("no code and id_token came back for a code id_token request: %s", h.ld))
	}
	return h.got
}

var _ = Describe("Hybrid flow", Label("flow:authorization_code"), func() {
	var front hybridResponse

	harness.It(env, catalog.HybridCHash, func(ctx SpecContext) {
		got := front.get(ctx)
		header, claims := idToken(got.Get("id_token"))
		want, ok := harness.TokenHash(got.Get("code"), fmt.Sprint(header["alg"]))
		harness.SkipUnless(ok, "the id_token's alg %v has no defined hash for c_hash", header["alg"])
		Expect(claims["c_hash"]).To(Equal(want), "c_hash does not match the code")
	})

	harness.It(env, catalog.HybridIDTokenNonce, func(ctx SpecContext) {
		got := front.get(ctx)
		_, claims := idToken(got.Get("id_token"))
		Expect(claims["nonce"]).To(Equal(front.nonce), "the nonce of the code id_token response's id_token")
	})

	harness.It(env, catalog.HybridNonceRequired, func(ctx SpecContext) {
		l := hybridOffered(ctx)
		control := codeIDTokenParams([]string{harness.Random()})
		// The control first: a client not registered for code id_token
		// is refused whatever the nonce (TF-21 skips the same way).
		if c, err := l.control(ctx, "a nonce "+control.Get("client_id"), control); err == nil && !c.delivered() {
			if e := c.params().Get("error"); e != "" {
				harness.SkipUnless(false, "the provider refused code id_token with a nonce for the confidential client (error=%s): it may not be registered for it", e)
			}
		}
		ld, err := authorizeAs(ctx, l, codeIDTokenParams(nil))
		harness.Require(env, err)
		expectRefusedWithControl(ctx, l, ld, "a code id_token request without nonce", "a nonce", control)
	})
})
