package suites

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// longState is a 1,500-character state value.
func longState() string {
	b := make([]byte, 1125)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

var _ = Describe("Authorization request and response", Label("flow:authorization_code"), func() {
	need := func(ctx SpecContext) (*loggedIn, *profile.Client) {
		GinkgoHelper()
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		return l, client
	}

	// errorResponse sends a request every server must refuse (an unknown
	// response_type) and returns the error redirect, skipping when the
	// provider answers it with a page instead.
	errorResponse := func(ctx SpecContext, state string) url.Values {
		GinkgoHelper()
		l, client := need(ctx)
		got, p, err := requestAs(ctx, l, codeParams(client, url.Values{"response_type": {"oauthconform_unknown_type"}, "state": {state}}))
		harness.Require(env, err)
		env.Attach("response_type=oauthconform_unknown_type\n" + describe(got, p))
		harness.SkipUnless(got.Has("error") || got.Has("code"), "the provider answers this error with a page, not a redirect")
		return got
	}

	harness.It(env, catalog.LongStateEchoed, func(ctx SpecContext) {
		l, client := need(ctx)
		state := longState()
		got, p, err := requestAs(ctx, l, codeParams(client, url.Values{"state": {state}}))
		harness.Require(env, err)
		if got.Get("code") == "" {
			env.Attach("refused: " + describe(got, p))
			return
		}
		Expect(len(got.Get("state"))).To(Equal(len(state)), "the state came back with another length")
		Expect(got.Get("state")).To(Equal(state), "the state was not echoed exactly")
	})

	harness.It(env, catalog.IssuerAdvertised, func(ctx SpecContext) {
		needMetadata()
		Expect(env.Metadata["authorization_response_iss_parameter_supported"]).To(Equal(true),
			"%s does not advertise authorization_response_iss_parameter_supported", env.MetadataURL)
	})

	harness.It(env, catalog.MissingResponseTypeRefused, func(ctx SpecContext) {
		l, client := need(ctx)
		params := codeParams(client, nil)
		params.Del("response_type")
		got, p, err := requestAs(ctx, l, params)
		harness.Require(env, err)
		Expect(got.Get("code")).To(BeEmpty(), "a code was issued without response_type: %s", describe(got, p))
		Expect(got.Has("error") || p.refused()).To(BeTrue(), "no error: %s", describe(got, p))
		expectRefusedWithControl(ctx, l, p, "no response_type", "response_type=code", codeParams(client, nil))
	})

	// An unknown response_type: AE-07 judges the refusal (no code, an
	// error), AE-17 its error code.
	harness.It(env, catalog.UnknownResponseTypeRefused, func(ctx SpecContext) {
		got := errorResponse(ctx, harness.Random())
		Expect(got.Get("code")).To(BeEmpty(), "a code was issued for an unknown response_type")
		Expect(got.Get("error")).NotTo(BeEmpty(), "an unknown response_type was answered without an error")
	})
	harness.It(env, catalog.UnknownResponseTypeError, func(ctx SpecContext) {
		got := errorResponse(ctx, harness.Random())
		harness.SkipUnless(got.Get("code") == "" && got.Get("error") != "", "the unknown response_type was not refused (AE-07): there is no error code to judge")
		Expect(got.Get("error")).To(Equal("unsupported_response_type"), "the refusal's error is %q, not unsupported_response_type (RFC 6749 §4.1.2.1)", got.Get("error"))
	})

	harness.It(env, catalog.UnknownParameterIgnored, func(ctx SpecContext) {
		l, client := need(ctx)
		got, p, err := requestAs(ctx, l, codeParams(client, url.Values{"oauthconform_unknown": {"1"}}))
		harness.Require(env, err)
		env.Attach("with oauthconform_unknown=1\n" + describe(got, p))
		Expect(got.Get("code")).NotTo(BeEmpty(), "the request with an unknown parameter was refused: %s", describe(got, p))
	})

	harness.It(env, catalog.DuplicateParameterRefused, func(ctx SpecContext) {
		l, client := need(ctx)
		got, p, err := requestAs(ctx, l, codeParams(client, url.Values{"state": {harness.Random(), harness.Random()}}))
		harness.Require(env, err)
		Expect(got.Get("code")).To(BeEmpty(), "a code was issued for a request with two state parameters: %s", describe(got, p))
		expectRefusedWithControl(ctx, l, p, "state twice", "one state", codeParams(client, nil))
	})

	harness.It(env, catalog.NoCodeInErrorResponse, func(ctx SpecContext) {
		got := errorResponse(ctx, harness.Random())
		Expect(got.Has("error")).To(BeTrue(), "the refusal carries no error parameter")
		Expect(got.Has("code")).To(BeFalse(), "the error response carries a code")
	})

	harness.It(env, catalog.ErrorResponseStateEchoed, func(ctx SpecContext) {
		state := harness.Random()
		got := errorResponse(ctx, state)
		Expect(got.Get("state")).To(Equal(state), "the error response does not echo state")
	})

	harness.It(env, catalog.ErrorCodeRegistered, func(ctx SpecContext) {
		got := errorResponse(ctx, harness.Random())
		Expect(registeredErrors).To(HaveKey(got.Get("error")), "error %q is not a registered code", got.Get("error"))
	})

	harness.It(env, catalog.ConsentDeniedIsAccessDenied, func(ctx SpecContext) {
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		deny := env.Profile.ConsentDeny
		harness.SkipUnless(deny != "", "the profile declares no consent_deny selector")
		// A fresh user, so that the consent page shows; the approval becomes a denial.
		steps := make([]profile.Step, 0, len(env.Profile.Login))
		for _, s := range env.Profile.Login {
			if s.Optional && s.Click != "" {
				s = profile.Step{Click: deny, LoginError: s.LoginError}
			}
			steps = append(steps, s)
		}
		sess, err := env.NewSession(ctx)
		harness.Require(env, err)
		DeferCleanup(func() { _ = sess.Close() })
		params := codeParams(client, nil)
		res, err := sess.Authorize(ctx, driver.Request{URL: harness.AuthorizationURL(env.Endpoints.Authorization, params), RedirectURI: env.Profile.RedirectURI, Login: steps})
		harness.Require(env, err)
		env.AttachRedirects(res)
		env.Attach(fmt.Sprintf("denied consent → %s (%d of %d login steps ran)", env.Redactor.String(res.Callback.String()), res.LoginSteps, len(steps)))
		// A provider that remembers consent (or asks none) shows no consent
		// page in a new session: the deny step never ran, nobody denied.
		harness.SkipUnless(res.LoginSteps == len(steps) || res.Query.Get("code") == "",
			"no consent page was shown (the provider remembers this user's consent, or asks none), so the deny step did not run: there was no denial to answer")
		Expect(res.Query.Get("code")).To(BeEmpty(), "a code was issued although the user denied consent")
		Expect(res.Query.Get("error")).To(Equal("access_denied"), "the denial came back as %q", res.Query.Get("error"))
	})
})
