package suites

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// mtlsEndpoint is the endpoint an mTLS client uses: its alias in
// mtls_endpoint_aliases, else the top-level one (RFC 8705 §5).
func mtlsEndpoint(name, fallback string) string {
	if aliases, ok := env.Metadata["mtls_endpoint_aliases"].(map[string]any); ok {
		if u, ok := aliases[name].(string); ok && u != "" {
			return u
		}
	}
	return fallback
}

// mtlsClient is the profile's client of the role that authenticates by
// method, or a skip (the method not advertised, or no such client).
func mtlsClient(method string, c *profile.Client, role string) *profile.Client {
	GinkgoHelper()
	harness.SkipUnless(containsString(metadataList("token_endpoint_auth_methods_supported"), method), "the provider does not advertise %s in token_endpoint_auth_methods_supported (RFC 8705 §2)", method)
	harness.SkipUnless(c != nil && c.TLSCertificate() != nil, "the profile has no %s client with a certificate (clients.%s)", method, role)
	return c
}

// mtlsToken asks for a client credentials token at the mTLS token endpoint
// as c, presenting cert in the handshake (nil: none).
func mtlsToken(ctx context.Context, c *profile.Client, cert *tls.Certificate) *harness.Exchange {
	GinkgoHelper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ID}}
	if len(c.Scopes) > 0 {
		form.Set("scope", strings.Join(c.Scopes, " "))
	}
	x, err := env.PostForm(harness.WithClientCertificate(ctx, cert), mtlsEndpoint("token_endpoint", env.Endpoints.Token), form, "", "")
	harness.Require(env, err)
	registerTokens(x)
	return x
}

// mtlsControl is the positive control: c's own certificate gets a token.
func mtlsControl(ctx context.Context, c *profile.Client) string {
	GinkgoHelper()
	x := mtlsToken(ctx, c, c.TLSCertificate())
	tok := stringField(x.JSON(), "access_token")
	if x.Status != http.StatusOK || tok == "" {
		harness.Undecided(env, fmt.Errorf("the positive control failed: %s got no token with its own certificate:\n%s", c.ID, env.Evidence(x)))
	}
	env.Attach("control: with its own certificate " + c.ID + " got a token")
	return tok
}

// selfSignedLike is a fresh self-signed client certificate with subject.
func selfSignedLike(subject pkix.Name) *tls.Certificate {
	GinkgoHelper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	harness.Require(env, err)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	harness.Require(env, err)
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: subject, NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	harness.Require(env, err)
	leaf, err := x509.ParseCertificate(der)
	harness.Require(env, err)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// expectNotAuthenticated asserts a token request was refused.
func expectNotAuthenticated(x *harness.Exchange, what string) {
	GinkgoHelper()
	env.Attach(env.Evidence(x))
	if x.Status < 400 || stringField(x.JSON(), "access_token") != "" {
		harness.Broken("%s was authenticated: a token came back (status %d)", what, x.Status)
	}
}

// boundClient is the client whose tokens the binding checks use, or a skip.
func boundClient() *profile.Client {
	GinkgoHelper()
	harness.SkipUnless(env.Metadata["tls_client_certificate_bound_access_tokens"] == true, "the provider does not advertise tls_client_certificate_bound_access_tokens (RFC 8705 §3.3)")
	for _, c := range []*profile.Client{env.Profile.Clients.MTLS, env.Profile.Clients.MTLSSelfSigned} {
		if c != nil && c.TLSCertificate() != nil {
			return c
		}
	}
	harness.SkipUnless(false, "the profile has no mTLS client with a certificate (clients.mtls or clients.mtls_self_signed)")
	return nil
}

// x5t is a certificate's x5t#S256 (RFC 8705 §3.1).
func x5t(c *tls.Certificate) string {
	sum := sha256.Sum256(c.Certificate[0])
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// mtlsResourceCall presents token at the mTLS resource with cert (nil: none).
func mtlsResourceCall(ctx context.Context, token string, cert *tls.Certificate) *harness.Exchange {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(harness.WithClientCertificate(ctx, cert), http.MethodGet, env.Profile.MTLSResource, nil)
	harness.Require(env, err)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := &harness.Recorder{}
	resp, err := env.HTTPClient(rec).Do(req)
	harness.Require(env, err)
	_ = resp.Body.Close()
	return rec.Last()
}

// mtlsResourceControl skips without an mTLS resource and returns a bound
// token it accepts with the client's own certificate.
func mtlsResourceControl(ctx context.Context) (*profile.Client, string) {
	GinkgoHelper()
	c := boundClient()
	harness.SkipUnless(env.Profile.MTLSResource != "", "the profile names no resource for certificate-bound tokens (mtls_resource)")
	tok := mtlsControl(ctx, c)
	if x := mtlsResourceCall(ctx, tok, c.TLSCertificate()); x.Status != http.StatusOK {
		harness.Undecided(env, fmt.Errorf("the positive control failed: the mTLS resource refused the bound token with its own certificate:\n%s", env.Evidence(x)))
	}
	return c, tok
}

var _ = Describe("Mutual TLS", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.MTLSCertRequired, func(ctx SpecContext) {
		c := mtlsClient("tls_client_auth", env.Profile.Clients.MTLS, "mtls")
		mtlsControl(ctx, c)
		expectNotAuthenticated(mtlsToken(ctx, c, nil), "a tls_client_auth client without a certificate")
	})

	harness.It(env, catalog.MTLSChainValidated, func(ctx SpecContext) {
		c := mtlsClient("tls_client_auth", env.Profile.Clients.MTLS, "mtls")
		mtlsControl(ctx, c)
		impostor := selfSignedLike(c.TLSCertificate().Leaf.Subject)
		expectNotAuthenticated(mtlsToken(ctx, c, impostor), "a self-signed certificate with the client's subject ("+c.TLSCertificate().Leaf.Subject.String()+")")
	})

	harness.It(env, catalog.MTLSSelfSignedRegistered, func(ctx SpecContext) {
		c := mtlsClient("self_signed_tls_client_auth", env.Profile.Clients.MTLSSelfSigned, "mtls_self_signed")
		mtlsControl(ctx, c)
		other := selfSignedLike(c.TLSCertificate().Leaf.Subject)
		expectNotAuthenticated(mtlsToken(ctx, c, other), "another self-signed certificate")
	})

	harness.It(env, catalog.MTLSTokenBound, func(ctx SpecContext) {
		c := boundClient()
		tok := mtlsControl(ctx, c)
		want := x5t(c.TLSCertificate())
		if _, claims, ok := harness.JWTParts(tok); ok {
			cnf, _ := claims["cnf"].(map[string]any)
			env.Attach(fmt.Sprintf("the access token (a JWT) has cnf %v; the certificate's x5t#S256 is %s", cnf, want))
			Expect(cnf["x5t#S256"]).To(Equal(want), "the certificate-bound JWT access token's cnf is %v, without the certificate's x5t#S256 (RFC 8705 §3.1)", cnf)
			return
		}
		harness.SkipUnless(env.Endpoints.Introspection != "" && env.Profile.Clients.Service != nil, "the access token is opaque and the target has no introspection endpoint to tell its binding")
		x := introspect(ctx, serviceClient(), tok, "access_token")
		env.Attach(env.Evidence(x))
		m := x.JSON()
		harness.SkipUnless(x.Status == http.StatusOK && m["active"] == true, "the introspection endpoint does not describe the mTLS client's token to the service client (status %d)", x.Status)
		cnf, _ := m["cnf"].(map[string]any)
		Expect(cnf["x5t#S256"]).To(Equal(want), "the introspection of a certificate-bound token has cnf %v, without the certificate's x5t#S256 (RFC 8705 §3.2)", m["cnf"])
	})

	harness.It(env, catalog.MTLSResourceNoCert, func(ctx SpecContext) {
		_, tok := mtlsResourceControl(ctx)
		x := mtlsResourceCall(ctx, tok, nil)
		expectResourceRefused(x, "a certificate-bound token without a client certificate")
	})

	harness.It(env, catalog.MTLSResourceOtherCert, func(ctx SpecContext) {
		c, tok := mtlsResourceControl(ctx)
		x := mtlsResourceCall(ctx, tok, selfSignedLike(c.TLSCertificate().Leaf.Subject))
		expectResourceRefused(x, "a certificate-bound token with another client certificate")
	})
})
