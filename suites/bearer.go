package suites

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// freshAccessToken obtains a new access token for the resource: from the
// code flow as the logged-in user (what a /me-style resource expects), or
// from the client credentials grant.
func freshAccessToken(ctx context.Context) string {
	GinkgoHelper()
	if c := env.Profile.Clients.Confidential; c != nil {
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		verifier := oauth2.GenerateVerifier()
		code := codeFor(ctx, l, c, url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}})
		tok, x, err := exchange(ctx, c, code, oauth2.VerifierOption(verifier))
		if err != nil {
			harness.Undecided(env, fmt.Errorf("no access token for the resource checks:\n%s", env.Evidence(x)))
		}
		return tok.AccessToken
	}
	c := env.Profile.Clients.Service
	harness.SkipUnless(c != nil, "the profile has no client that can obtain an access token")
	tokens, _ := sampleAccessTokens(ctx, c, 1)
	return tokens[0]
}

// resourceCall presents a token to the profile's resource (RFC 6750), in the
// Authorization header or, with inQuery, as ?access_token=.
func resourceCall(ctx context.Context, token string, inQuery bool) *harness.Exchange {
	GinkgoHelper()
	x, err := resourceRequest(ctx, token, inQuery)
	harness.Require(env, err)
	return x
}

// resourceGet presents a token in the Authorization header, returning the
// error instead of deciding the check with it (for set-up code).
func resourceGet(ctx context.Context, token string) (*harness.Exchange, error) {
	return resourceRequest(ctx, token, false)
}

func resourceRequest(ctx context.Context, token string, inQuery bool) (*harness.Exchange, error) {
	target := env.Profile.Resource
	if inQuery {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + url.Values{"access_token": {token}}.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	if !inQuery {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := &harness.Recorder{}
	resp, err := env.HTTPClient(rec).Do(req)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	return rec.Last(), nil
}

// needResource skips without a resource and returns a token the resource
// accepts, undecided when it accepts none (the other checks would prove nothing).
func needResource(ctx context.Context) string {
	GinkgoHelper()
	harness.SkipUnless(env.Profile.Resource != "", "the profile names no protected resource")
	tok := freshAccessToken(ctx)
	if x := resourceCall(ctx, tok, false); x.Status != http.StatusOK {
		harness.Undecided(env, fmt.Errorf("the resource refuses a fresh token in the Authorization header (see BR-01):\n%s", env.Evidence(x)))
	}
	env.Attach("control: the resource accepts the untouched token in the Authorization header (200)")
	return tok
}

// cacheDirectives returns the Cache-Control directives of h, lower-cased
// (RFC 9111 §5.2: case-insensitive, comma-separated, in one or more header
// lines). A directive with an argument keeps it ("private=\"set-cookie\""),
// so that the qualified private, which covers only the fields it names
// (RFC 9111 §5.2.2.7), is not taken for the whole response's.
func cacheDirectives(h http.Header) []string {
	var out []string
	for _, line := range h.Values("Cache-Control") {
		for _, d := range strings.Split(line, ",") {
			if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
				out = append(out, d)
			}
		}
	}
	return out
}

// expectRefusedToken asserts the resource refused a token. RFC 6750 §3.1
// says 401 SHOULD answer invalid_token; BR-03 judges that answer, the other
// checks only whether the token got through.
func expectRefusedToken(x *harness.Exchange, what string) {
	GinkgoHelper()
	env.Attach(env.Evidence(x))
	Expect(x.Status).To(BeNumerically(">=", 400), "%s was accepted", what)
}

// expectInvalidTokenAnswer asserts the RFC 6750 §3.1 answer to a token the
// resource refused as invalid or expired: 401 with a Bearer challenge
// carrying error="invalid_token" (both SHOULD).
func expectInvalidTokenAnswer(x *harness.Exchange, what string) {
	GinkgoHelper()
	challenge := x.Header.Get("WWW-Authenticate")
	Expect(x.Status).To(Equal(http.StatusUnauthorized), "%s is refused with status %d, not 401 (RFC 6750 §3.1 SHOULD); WWW-Authenticate %q", what, x.Status, challenge)
	Expect(challenge).To(ContainSubstring(`error="invalid_token"`), "%s: WWW-Authenticate is %q, without error=\"invalid_token\" (RFC 6750 §3.1)", what, challenge)
}

// forge re-encodes a JWT with a changed header or payload, keeping the
// original signature, or none: the hostile artefacts themselves.
func forge(token string, header, payload func(map[string]any), signature string) string {
	GinkgoHelper()
	h, p, ok := harness.JWTParts(token)
	harness.SkipUnless(ok, "the access token is opaque, not a JWT")
	if header != nil {
		header(h)
	}
	if payload != nil {
		payload(p)
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	if signature == "keep" {
		signature = strings.Split(token, ".")[2]
	}
	return enc(h) + "." + enc(p) + "." + signature
}

var _ = Describe("Bearer token use", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.BearerHeaderAccepted, func(ctx SpecContext) {
		harness.SkipUnless(env.Profile.Resource != "", "the profile names no protected resource")
		x := resourceCall(ctx, freshAccessToken(ctx), false)
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK), "a valid token in the Authorization header was refused")
	})

	harness.It(env, catalog.BearerQueryRefused, func(ctx SpecContext) {
		tok := needResource(ctx)
		x := resourceCall(ctx, tok, true)
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(BeNumerically(">=", 400), "the resource accepted ?access_token=")
	})

	// BR-09 judges the answer BR-02 hopes never comes: a success response to
	// a token in the query. A resource that refuses such requests has none.
	harness.It(env, catalog.BearerQueryResponsePrivate, func(ctx SpecContext) {
		tok := needResource(ctx)
		x := resourceCall(ctx, tok, true)
		env.Attach(env.Evidence(x))
		harness.SkipUnless(x.Status < 400, "the resource refuses tokens in the query (BR-02 passes, status %d): nothing to cache", x.Status)
		harness.SkipUnless(x.Status >= 200 && x.Status < 300, "the resource answered a token in the query with status %d, not a success (2XX) response: RFC 6750 §2.3 concerns only those", x.Status)
		directives := cacheDirectives(x.Header)
		Expect(containsString(directives, "private") || containsString(directives, "no-store")).To(BeTrue(),
			"the resource accepted ?access_token= and its 2XX answer has Cache-Control %q: neither private nor no-store (RFC 6750 §2.3 SHOULD)", strings.Join(x.Header.Values("Cache-Control"), ", "))
	})

	harness.It(env, catalog.BearerInvalidTokenChallenge, func(ctx SpecContext) {
		_ = needResource(ctx)
		x := resourceCall(ctx, "oauthconform-invalid-token", false)
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(BeNumerically(">=", 400), "an invalid token was accepted (status %d)", x.Status)
		// RFC 6750 §3: the challenge is a MUST; its status and error code
		// are SHOULDs (RFC 6750 §3.1), judged by BR-10.
		challenge := x.Header.Get("WWW-Authenticate")
		Expect(strings.HasPrefix(strings.ToLower(challenge), "bearer")).To(BeTrue(), "the refusal has no Bearer challenge: WWW-Authenticate is %q", challenge)
	})

	harness.It(env, catalog.BearerInvalidTokenError, func(ctx SpecContext) {
		_ = needResource(ctx)
		x := resourceCall(ctx, "oauthconform-invalid-token", false)
		env.Attach(env.Evidence(x))
		harness.SkipUnless(x.Status >= 400, "the resource accepted an invalid token (BR-03): there is no refusal to judge")
		expectInvalidTokenAnswer(x, "an invalid token")
	})

	harness.It(env, catalog.BearerTamperedRefused, func(ctx SpecContext) {
		tok := needResource(ctx)
		tampered := forge(tok, nil, func(p map[string]any) { p["scope"] = "oauthconform-tampered admin"; p["sub"] = "oauthconform-tampered" }, "keep")
		expectRefusedToken(resourceCall(ctx, tampered, false), "a tampered token")
	})

	harness.It(env, catalog.BearerAlgNoneRefused, func(ctx SpecContext) {
		tok := needResource(ctx)
		unsigned := forge(tok, func(h map[string]any) { h["alg"] = "none"; delete(h, "kid") }, nil, "")
		expectRefusedToken(resourceCall(ctx, unsigned, false), "an alg none token")
	})

	harness.It(env, catalog.BearerEmbeddedKeyRefused, func(ctx SpecContext) {
		tok := needResource(ctx)
		h, p, ok := harness.JWTParts(tok)
		harness.SkipUnless(ok, "the access token is opaque, not a JWT")
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		harness.Require(env, err)
		opts := (&jose.SignerOptions{EmbedJWK: true}).WithType(jose.ContentType(fmt.Sprint(h["typ"])))
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, opts)
		harness.Require(env, err)
		payload, _ := json.Marshal(p)
		obj, err := signer.Sign(payload)
		harness.Require(env, err)
		forged, err := obj.CompactSerialize()
		harness.Require(env, err)
		expectRefusedToken(resourceCall(ctx, forged, false), "a token signed with its own embedded key")
	})

	harness.It(env, catalog.BearerRevokedRefused, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.Revocation != "", "the target has no revocation endpoint")
		tok := needResource(ctx)
		c := env.Profile.Clients.Confidential
		if c == nil {
			c = env.Profile.Clients.Service
		}
		expectRevoked(revoke(ctx, c, tok, "access_token"), "access tokens")
		expectRefusedToken(resourceCall(ctx, tok, false), "a revoked token")
	})
})
