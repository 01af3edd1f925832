package suites

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// keyedClient is the profile's client with a private key: one registered
// for private_key_jwt first (the private_key_jwt role, then the
// confidential client before the others);
// nil when no client has a key.
func keyedClient() *profile.Client {
	cl := env.Profile.Clients
	var any *profile.Client
	for _, c := range []*profile.Client{cl.KeyOnly, cl.Confidential, cl.Confidential2, cl.Service, cl.ShortLived} {
		if c == nil || c.Signer() == nil {
			continue
		}
		if c.RegisteredFor("private_key_jwt") {
			return c
		}
		if any == nil {
			any = c
		}
	}
	return any
}

// keyAlg is the algorithm c signs with: its key_alg, else the first its key
// signs with that the provider advertises
// (token_endpoint_auth_signing_alg_values_supported, RFC 8414 §2); "" when
// the provider advertises none of them.
func keyAlg(c *profile.Client) string {
	advertised := metadataList("token_endpoint_auth_signing_alg_values_supported")
	for _, a := range c.KeyAlgs() {
		if c.KeyAlg != "" || containsString(advertised, a) {
			return a
		}
	}
	return ""
}

// keySpec is what keyAssertion makes: claims, the key and algorithm it is
// signed with (the client's own, unless changed), or no signature at all.
type keySpec struct {
	assertionSpec
	alg string
	key crypto.Signer
	kid string
}

// keyOption changes one thing of a keyAssertion.
type keyOption func(*keySpec)

// claims applies client_secret_jwt's assertion options to a keyAssertion.
func claims(opts ...assertionOption) keyOption {
	return func(k *keySpec) {
		for _, o := range opts {
			o(&k.assertionSpec)
		}
	}
}

// signedBy signs with key instead of the client's (the kid stays the
// client's: the server finds the registered key and the signature fails).
func signedBy(key crypto.Signer) keyOption { return func(k *keySpec) { k.key = key } }

// signedWith signs by alg instead of the client's algorithm.
func signedWith(alg string) keyOption { return func(k *keySpec) { k.alg = alg } }

// withoutExpiry leaves exp out.
func withoutExpiry() keyOption { return func(k *keySpec) { k.claims.Expiry = nil } }

// keyAssertion is a private_key_jwt assertion (OIDC Core §9, RFC 7523 §2.2
// and §3): signed with c's key by alg, iss and sub the client_id, aud the
// token endpoint, a short exp and a fresh jti — changed by opts. It is
// registered with the redactor.
func keyAssertion(c *profile.Client, alg string, opts ...keyOption) (string, error) {
	now := time.Now()
	k := keySpec{assertionSpec: assertionSpec{claims: jwt.Claims{
		Issuer: c.ID, Subject: c.ID, Audience: jwt.Audience{env.Endpoints.Token},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(2 * time.Minute)), ID: harness.Random(),
	}}, alg: alg, key: c.Signer(), kid: c.KeyID}
	for _, o := range opts {
		o(&k)
	}
	raw, err := signJWT(k.claims, k.unsigned, k.alg, k.key, k.kid, "JWT")
	if err != nil {
		return "", err
	}
	env.Redactor.Add(raw)
	return raw, nil
}

// signJWT serialises claims as a JWS signed by alg with key (typ typ, kid
// when not empty), or by hand as an unsecured JWT (RFC 7519 §6), which
// go-jose refuses to make.
func signJWT(claims any, unsecured bool, alg string, key crypto.Signer, kid, typ string) (string, error) {
	if unsecured {
		payload, err := json.Marshal(claims)
		if err != nil {
			return "", err
		}
		enc := base64.RawURLEncoding.EncodeToString
		return enc([]byte(`{"alg":"none","typ":"`+typ+`"}`)) + "." + enc(payload) + ".", nil
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(alg), Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType(jose.ContentType(typ)))
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// freshKeyLike is a new private key of key's type and size: one the
// provider has never seen.
func freshKeyLike(key crypto.Signer) (crypto.Signer, error) {
	switch pub := key.Public().(type) {
	case *rsa.PublicKey:
		return rsa.GenerateKey(rand.Reader, pub.N.BitLen())
	case *ecdsa.PublicKey:
		return ecdsa.GenerateKey(pub.Curve, rand.Reader)
	}
	return nil, fmt.Errorf("a key of type %T", key.Public())
}

// assertionAccepted reports whether the token endpoint authenticated the
// client of a made-up code request: it then judges the code (invalid_grant,
// or unauthorized_client for a grant the client may not use).
func assertionAccepted(x *harness.Exchange) bool {
	code := stringField(x.JSON(), "error")
	return x.Status == http.StatusOK || code == "invalid_grant" || code == "unauthorized_client"
}

// keyBaseline starts a private_key_jwt check: it skips, with the reason,
// unless the metadata advertises the method, the profile gives a client a
// private key and the provider advertises an algorithm the key signs with;
// it ends the check as undecided when even an assertion made as OIDC Core
// §9 asks is refused (see PKJ-01). It returns the client and the
// algorithm.
func keyBaseline(ctx context.Context) (*profile.Client, string) {
	GinkgoHelper()
	c, alg, x := keyControl(ctx)
	if !assertionAccepted(x) && !c.RegisteredFor("private_key_jwt") {
		// A provider may bind each client to the one method it registered
		// (RFC 7591 §2): this client's key may serve its request objects only.
		harness.SkipUnless(false, "a correctly made private_key_jwt assertion for %s is refused, and the profile does not say %s is registered for private_key_jwt "+
			"(also_registered): there is no accepted assertion to compare a broken one with", c.ID, c.ID)
	}
	if !assertionAccepted(x) {
		harness.Undecided(env, fmt.Errorf("a correctly made private_key_jwt assertion is refused too (see PKJ-01), so refusing a broken one proves nothing:\n%s", env.Evidence(x)))
	}
	return c, alg
}

// keyControl sends the positive control: a correctly made assertion.
func keyControl(ctx context.Context) (*profile.Client, string, *harness.Exchange) {
	GinkgoHelper()
	needMetadata()
	harness.SkipUnless(containsString(metadataList("token_endpoint_auth_methods_supported"), "private_key_jwt"),
		"the metadata does not advertise private_key_jwt")
	c := keyedClient()
	harness.SkipUnless(c != nil, "no client of the profile has a private_key")
	alg := keyAlg(c)
	harness.SkipUnless(alg != "", "token_endpoint_auth_signing_alg_values_supported (%s) lists no algorithm %s's key signs with (%s)",
		listOrNone(metadataList("token_endpoint_auth_signing_alg_values_supported")), c.ID, listOrNone(c.KeyAlgs()))
	a, err := keyAssertion(c, alg)
	harness.Require(env, err)
	x, err := authenticateWithAssertion(ctx, a, "")
	harness.Require(env, err)
	env.Attach(fmt.Sprintf("a correctly made assertion, signed with %s's key by %s:\n%s", c.ID, alg, env.Evidence(x)))
	return c, alg, x
}

// expectKeyAssertionRefused is the verdict on a broken assertion: the
// client must not be authenticated (which error says so is PKJ-11's).
func expectKeyAssertionRefused(c *profile.Client, x *harness.Exchange, what string) {
	GinkgoHelper()
	env.Attach(what + ":\n" + env.Evidence(x))
	Expect(assertionAccepted(x)).To(BeFalse(), "%s authenticated %s: the token endpoint answered %d %s, as it does an authenticated client for the made-up code:\n%s",
		what, c.ID, x.Status, stringField(x.JSON(), "error"), env.Evidence(x))
}

// sendKeyAssertion makes and sends an assertion for c; clientID as in authenticateWithAssertion.
func sendKeyAssertion(ctx context.Context, c *profile.Client, alg, clientID string, opts ...keyOption) *harness.Exchange {
	GinkgoHelper()
	a, err := keyAssertion(c, alg, opts...)
	harness.Require(env, err)
	x, err := authenticateWithAssertion(ctx, a, clientID)
	harness.Require(env, err)
	return x
}

// unregisteredKeyAnswer is the answer to an assertion signed with a fresh
// key under the client's kid (PKJ-02, PKJ-11).
func unregisteredKeyAnswer(ctx context.Context, c *profile.Client, alg string) *harness.Exchange {
	GinkgoHelper()
	other, err := freshKeyLike(c.Signer())
	harness.Require(env, err)
	return sendKeyAssertion(ctx, c, alg, "", signedBy(other))
}

var _ = Describe("Client authentication: private_key_jwt", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.PrivateKeyJWTWorks, func(ctx SpecContext) {
		c, alg, x := keyControl(ctx)
		if !assertionAccepted(x) && !c.RegisteredFor("private_key_jwt") {
			harness.SkipUnless(false, "a correctly made private_key_jwt assertion for %s is refused, and the profile does not say %s is registered for private_key_jwt "+
				"(also_registered; a provider may bind each client to the one method it registered, RFC 7591 §2)", c.ID, c.ID)
		}
		Expect(assertionAccepted(x)).To(BeTrue(), "%s advertises private_key_jwt, but an assertion signed with %s's registered key by %s (advertised) was refused:\n%s",
			env.MetadataURL, c.ID, alg, env.Evidence(x))
	})

	harness.It(env, catalog.PrivateKeyJWTUnregisteredKeyRefused, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		expectKeyAssertionRefused(c, unregisteredKeyAnswer(ctx, c, alg), "an assertion signed with a fresh key (same type, same kid) that was never registered")
	})

	harness.It(env, catalog.PrivateKeyJWTInvalidClient, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		x := unregisteredKeyAnswer(ctx, c, alg)
		env.Attach("an assertion signed with a key that was never registered:\n" + env.Evidence(x))
		harness.SkipUnless(!assertionAccepted(x), "the assertion authenticated the client (see PKJ-02): there is no refusal to judge the error of")
		Expect(stringField(x.JSON(), "error")).To(Equal("invalid_client"), "the refusal carries %d %q, not invalid_client (RFC 7523 §3.2)", x.Status, stringField(x.JSON(), "error"))
	})

	harness.It(env, catalog.PrivateKeyJWTAudienceValues, func(ctx SpecContext) {
		needPAR()
		c, alg := keyBaseline(ctx)
		refused := refusedAudiences(ctx, c, alg)
		Expect(refused).To(BeEmpty(), "the PAR endpoint refused %s's private_key_jwt assertion whose aud was %s", c.ID, strings.Join(refused, ", "))
	})

	harness.It(env, catalog.PrivateKeyJWTForeignAudienceRefused, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		x := sendKeyAssertion(ctx, c, alg, "", claims(withAudience("https://attacker.example.test/token")))
		expectKeyAssertionRefused(c, x, "an assertion for another server (aud https://attacker.example.test/token)")
	})

	harness.It(env, catalog.PrivateKeyJWTWithoutExpRefused, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		expectKeyAssertionRefused(c, sendKeyAssertion(ctx, c, alg, "", withoutExpiry()), "an assertion without exp")
	})

	harness.It(env, catalog.PrivateKeyJWTExpiredRefused, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		expectKeyAssertionRefused(c, sendKeyAssertion(ctx, c, alg, "", claims(expiredFor(10*time.Minute))), "an assertion that expired 10 minutes ago")
	})

	harness.It(env, catalog.PrivateKeyJWTReplayRefused, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		a, err := keyAssertion(c, alg)
		harness.Require(env, err)
		first, err := authenticateWithAssertion(ctx, a, "")
		harness.Require(env, err)
		env.Attach("the assertion, first sent:\n" + env.Evidence(first))
		if !assertionAccepted(first) {
			harness.Undecided(env, fmt.Errorf("a fresh assertion was refused the first time: %s", env.Evidence(first)))
		}
		again, err := authenticateWithAssertion(ctx, a, "")
		harness.Require(env, err)
		expectKeyAssertionRefused(c, again, "the same assertion (same jti) sent a second time")
	})

	harness.It(env, catalog.PrivateKeyJWTSubjectChecked, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		other := otherClientID(c)
		x := sendKeyAssertion(ctx, c, alg, c.ID, claims(naming(other)))
		expectKeyAssertionRefused(c, x, fmt.Sprintf("an assertion whose iss and sub are %s, signed with %s's key and sent with client_id %s", other, c.ID, c.ID))
	})

	harness.It(env, catalog.PrivateKeyJWTUnadvertisedAlgRefused, func(ctx SpecContext) {
		c, _ := keyBaseline(ctx)
		advertised := metadataList("token_endpoint_auth_signing_alg_values_supported")
		var alg string
		for _, a := range profile.KeyTypeAlgs(c.Signer()) {
			if !containsString(advertised, a) {
				alg = a
				break
			}
		}
		harness.SkipUnless(alg != "", "every algorithm %s's key signs with (%s) is advertised", c.ID, listOrNone(profile.KeyTypeAlgs(c.Signer())))
		expectKeyAssertionRefused(c, sendKeyAssertion(ctx, c, alg, "", signedWith(alg)),
			fmt.Sprintf("an assertion signed with the registered key by %s, which token_endpoint_auth_signing_alg_values_supported (%s) does not list", alg, listOrNone(advertised)))
	})

	harness.It(env, catalog.PrivateKeyJWTUnsignedRefused, func(ctx SpecContext) {
		c, alg := keyBaseline(ctx)
		expectKeyAssertionRefused(c, sendKeyAssertion(ctx, c, alg, "", claims(unsigned())), "an unsigned assertion (alg none) naming "+c.ID)
	})
})
