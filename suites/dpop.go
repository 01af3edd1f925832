package suites

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// dpopKey is a client's DPoP key (RFC 9449 §4): ES256, made by the
// harness, with the nonces servers gave it (RFC 9449 §8, §9), by endpoint.
type dpopKey struct {
	priv   *ecdsa.PrivateKey
	jwk    jose.JSONWebKey // the public key, as the proofs carry it
	jkt    string          // its RFC 7638 thumbprint (RFC 9449 §6.1)
	mu     sync.Mutex
	nonces map[string]string
}

// runDPoPKey is the run's DPoP key: made once, on first use.
var runDPoPKey = sync.OnceValues(newDPoPKey)

func newDPoPKey() (*dpopKey, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	k := &dpopKey{priv: priv, jwk: jose.JSONWebKey{Key: priv.Public()}, nonces: map[string]string{}}
	tp, err := k.jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, err
	}
	k.jkt = base64.RawURLEncoding.EncodeToString(tp)
	return k, nil
}

// theDPoPKey is the run's key; otherDPoPKey a fresh one (another client's).
func theDPoPKey() *dpopKey {
	GinkgoHelper()
	k, err := runDPoPKey()
	harness.Require(env, err)
	return k
}

func otherDPoPKey() *dpopKey {
	GinkgoHelper()
	k, err := newDPoPKey()
	harness.Require(env, err)
	return k
}

func (k *dpopKey) nonce(endpoint string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.nonces[endpoint]
}

func (k *dpopKey) setNonce(endpoint, nonce string) {
	if nonce == "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.nonces[endpoint] = nonce
}

// proofClaims are a proof's claims (RFC 9449 §4.2).
type proofClaims struct {
	JTI   string `json:"jti"`
	HTM   string `json:"htm"`
	HTU   string `json:"htu"`
	IAT   int64  `json:"iat"`
	ATH   string `json:"ath,omitempty"`
	Nonce string `json:"nonce,omitempty"`
}

// proofKind is how a proof is made: well, or broken in one way.
type proofKind int

const (
	proofValid        proofKind = iota
	proofBadSignature           // the signature of another input
	proofTypJWT                 // typ JWT instead of dpop+jwt
	proofAlgNone                // unsigned
	proofHS256                  // MACed with a key the header carries
	proofPrivateJWK             // the jwk header carries the private key
)

// proof makes a DPoP proof for a request (htm, htu; token for ath), with
// the nonce the endpoint gave this key, changed by edit. Libraries make the
// well-formed ones (go-jose); only those no library makes are written by
// hand (alg none, HS256 with its key in the header, a tampered signature).
func (k *dpopKey) proof(kind proofKind, htm, endpoint, token string, edit func(*proofClaims)) string {
	GinkgoHelper()
	c := proofClaims{JTI: harness.Random(), HTM: htm, HTU: htuOf(endpoint), IAT: time.Now().Unix(), Nonce: k.nonce(endpoint)}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		c.ATH = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if edit != nil {
		edit(&c)
	}
	var p string
	var err error
	switch kind {
	case proofAlgNone, proofHS256:
		p, err = handMadeProof(kind, k.jwk, c)
	default:
		opts := (&jose.SignerOptions{}).WithType("dpop+jwt")
		switch kind {
		case proofTypJWT:
			opts = (&jose.SignerOptions{}).WithType("JWT")
		case proofPrivateJWK:
			opts = opts.WithHeader("jwk", jose.JSONWebKey{Key: k.priv})
		}
		if kind != proofPrivateJWK {
			opts.EmbedJWK = true
		}
		var signer jose.Signer
		if signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k.priv}, opts); err == nil {
			p, err = jwt.Signed(signer).Claims(c).Serialize()
		}
		if err == nil && kind == proofBadSignature {
			p = tamperSignature(p)
		}
	}
	harness.Require(env, err)
	env.Redactor.Add(p)
	return p
}

// handMadeProof writes the proofs go-jose will not: alg none (with the
// key's public jwk), and HS256 under a symmetric jwk the proof itself carries.
func handMadeProof(kind proofKind, pub jose.JSONWebKey, c proofClaims) (string, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	h := map[string]any{"typ": "dpop+jwt", "alg": "none", "jwk": pub}
	if kind == proofHS256 {
		h = map[string]any{"typ": "dpop+jwt", "alg": "HS256", "jwk": map[string]string{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString(secret)}}
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	cb, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb)
	if kind == proofAlgNone {
		return input + ".", nil
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}

// tamperSignature flips bits of a compact JWS's signature.
func tamperSignature(jws string) string {
	i := strings.LastIndex(jws, ".")
	sig, err := base64.RawURLEncoding.DecodeString(jws[i+1:])
	if err != nil || len(sig) == 0 {
		return jws + "x"
	}
	sig[len(sig)/2] ^= 0xff
	return jws[:i+1] + base64.RawURLEncoding.EncodeToString(sig)
}

// htuOf is a URI as a proof's htu names it: without query and fragment
// (RFC 9449 §4.2).
func htuOf(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// dpopAdvertised skips unless the provider advertises DPoP with ES256,
// the algorithm of the harness's keys.
func dpopAdvertised() {
	GinkgoHelper()
	algs, ok := env.Metadata["dpop_signing_alg_values_supported"].([]any)
	harness.SkipUnless(ok && len(algs) > 0, "the provider does not advertise dpop_signing_alg_values_supported (RFC 9449 §5.1): no DPoP")
	for _, a := range algs {
		if a == "ES256" {
			return
		}
	}
	harness.SkipUnless(false, "the provider's dpop_signing_alg_values_supported %v lacks ES256, the algorithm of the harness's DPoP keys", algs)
}

// dpopSend sends req with a proof made by mk for the nonce the endpoint
// gave; answered use_dpop_nonce with a DPoP-Nonce (RFC 9449 §8, §9), it
// stores the nonce and sends once more with a new proof.
func dpopSend(ctx context.Context, k *dpopKey, endpoint string, newReq func() (*http.Request, error), mk func() string) (*harness.Exchange, error) {
	for attempt := 0; ; attempt++ {
		req, err := newReq()
		if err != nil {
			return nil, err
		}
		if mk != nil {
			req.Header.Set("DPoP", mk())
		}
		rec := &harness.Recorder{}
		resp, err := env.HTTPClient(rec).Do(req)
		if err != nil {
			return nil, err
		}
		_ = resp.Body.Close()
		x := rec.Last()
		registerTokens(x)
		nonce := x.Header.Get("DPoP-Nonce")
		k.setNonce(endpoint, nonce)
		if attempt == 0 && mk != nil && nonce != "" && wantsNonce(x) {
			continue
		}
		return x, nil
	}
}

// wantsNonce reports whether a refusal asks for a DPoP nonce: the token
// endpoint's error (RFC 9449 §8) or the resource's challenge (§9).
func wantsNonce(x *harness.Exchange) bool {
	if x.Status < 400 {
		return false
	}
	if stringField(x.JSON(), "error") == "use_dpop_nonce" {
		return true
	}
	for _, v := range x.Header.Values("WWW-Authenticate") {
		if strings.Contains(v, "use_dpop_nonce") {
			return true
		}
	}
	return false
}

// dpopTokenRequest posts a token request as client with a proof of k made
// by kind (nil edit: a valid one); see dpopSend.
func dpopTokenRequest(ctx context.Context, client *profile.Client, form url.Values, k *dpopKey, kind proofKind, edit func(*proofClaims)) *harness.Exchange {
	GinkgoHelper()
	ep := env.Endpoints.Token
	mk := func() string { return k.proof(kind, http.MethodPost, ep, "", edit) }
	x, err := dpopSend(ctx, k, ep, tokenPost(ctx, client, form), mk)
	harness.Require(env, err)
	return x
}

// tokenPost builds a token request as client (RFC 6749 §2.3.1), each time anew.
func tokenPost(ctx context.Context, client *profile.Client, form url.Values) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		f := cloneForm(form)
		user, pass := "", ""
		switch {
		case client.Secret == "":
			f.Set("client_id", client.ID)
		case client.UsesPost():
			f.Set("client_id", client.ID)
			f.Set("client_secret", client.Secret)
		default:
			user, pass = client.ID, client.Secret
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.Endpoints.Token, strings.NewReader(f.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if user != "" {
			req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
		}
		return req, nil
	}
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// dpopTokenType reports whether a token response is a DPoP one.
func dpopTokenType(x *harness.Exchange) bool {
	return x.Status == http.StatusOK && strings.EqualFold(stringField(x.JSON(), "token_type"), "DPoP") && stringField(x.JSON(), "access_token") != ""
}

// dpopControl is the positive control of the DPoP checks (DP-01): the
// service client gets a DPoP token with a valid proof of k; undecided when
// it does not.
func dpopControl(ctx context.Context, k *dpopKey) string {
	GinkgoHelper()
	dpopAdvertised()
	c := serviceClient()
	x := dpopTokenRequest(ctx, c, ccForm(c), k, proofValid, nil)
	if !dpopTokenType(x) {
		harness.Undecided(env, fmt.Errorf("the positive control failed: a valid DPoP proof got no DPoP-bound token (DP-01):\n%s", env.Evidence(x)))
	}
	return stringField(x.JSON(), "access_token")
}

// expectProofRefused sends the service client's token request with a proof
// broken by kind or edit, after the control, and expects a refusal.
func expectProofRefused(ctx context.Context, kind proofKind, edit func(*proofClaims), what string) {
	GinkgoHelper()
	k := theDPoPKey()
	dpopControl(ctx, k)
	c := serviceClient()
	x := dpopTokenRequest(ctx, c, ccForm(c), k, kind, edit)
	env.Attach(env.Evidence(x))
	requireClientAuthenticated(x)
	if x.Status < 400 {
		harness.Broken("a token request with %s was accepted (status %d, token_type %q)", what, x.Status, stringField(x.JSON(), "token_type"))
	}
}

// dpopResource calls the DPoP resource with scheme and token, and a proof
// made by mk (nil: none); see dpopSend.
func dpopResource(ctx context.Context, k *dpopKey, scheme, token string, mk func() string) *harness.Exchange {
	GinkgoHelper()
	ep := env.Profile.DPoPResource
	x, err := dpopSend(ctx, k, ep, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep, nil)
		if err == nil {
			req.Header.Set("Authorization", scheme+" "+token)
		}
		return req, err
	}, mk)
	harness.Require(env, err)
	return x
}

// dpopResourceControl skips without a DPoP resource, and returns a bound
// token the resource accepts with a proof of k; undecided when it does not.
func dpopResourceControl(ctx context.Context, k *dpopKey) string {
	GinkgoHelper()
	harness.SkipUnless(env.Profile.DPoPResource != "", "the profile names no DPoP-protected resource (dpop_resource)")
	tok := dpopControl(ctx, k)
	x := dpopResource(ctx, k, "DPoP", tok, func() string { return k.proof(proofValid, http.MethodGet, env.Profile.DPoPResource, tok, nil) })
	if x.Status != http.StatusOK {
		harness.Undecided(env, fmt.Errorf("the positive control failed: the DPoP resource refused a bound token with a valid proof of its key:\n%s", env.Evidence(x)))
	}
	return tok
}

// expectResourceRefused asserts the resource refused a DPoP request.
func expectResourceRefused(x *harness.Exchange, what string) {
	GinkgoHelper()
	env.Attach(env.Evidence(x))
	if x.Status < 400 {
		harness.Broken("the resource accepted %s (status %d)", what, x.Status)
	}
}

// dpopCodeExchange redeems a code of a codeParams request with a proof of k.
func dpopCodeExchange(ctx context.Context, client *profile.Client, code string, params url.Values, k *dpopKey) *harness.Exchange {
	GinkgoHelper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {env.Profile.RedirectURI},
		"code_verifier": {verifierOf(params.Get("state"))}}
	return dpopTokenRequest(ctx, client, form, k, proofValid, nil)
}

var _ = Describe("DPoP", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.DPoPTokenType, func(ctx SpecContext) {
		dpopAdvertised()
		c := serviceClient()
		x := dpopTokenRequest(ctx, c, ccForm(c), theDPoPKey(), proofValid, nil)
		env.Attach(env.Evidence(x))
		harness.Require(env, statusOK(x, "a client credentials request with a valid DPoP proof"))
		Expect(stringField(x.JSON(), "token_type")).To(Equal("DPoP"), "a token request with a valid DPoP proof was answered token_type %q (RFC 9449 §5: DPoP)", stringField(x.JSON(), "token_type"))
	})

	harness.It(env, catalog.DPoPBindingExpressed, func(ctx SpecContext) {
		k := theDPoPKey()
		tok := dpopControl(ctx, k)
		if _, claims, ok := harness.JWTParts(tok); ok {
			cnf, _ := claims["cnf"].(map[string]any)
			env.Attach(fmt.Sprintf("the access token (a JWT) has cnf %v; the proof's key has thumbprint %s", cnf, k.jkt))
			Expect(cnf["jkt"]).To(Equal(k.jkt), "the DPoP-bound JWT access token's cnf.jkt is %v, not the thumbprint of the proof's key (RFC 9449 §6.1)", cnf["jkt"])
			return
		}
		harness.SkipUnless(env.Endpoints.Introspection != "" && env.Profile.Clients.Service != nil, "the access token is opaque and the target has no introspection endpoint to tell its binding")
		x := introspect(ctx, serviceClient(), tok, "access_token")
		env.Attach(env.Evidence(x))
		m := x.JSON()
		harness.SkipUnless(x.Status == http.StatusOK && m["active"] == true, "the introspection endpoint does not describe the service client's own token (status %d)", x.Status)
		cnf, _ := m["cnf"].(map[string]any)
		Expect(cnf["jkt"]).To(Equal(k.jkt), "the introspection of a DPoP-bound token has cnf %v, without the jkt of the proof's key (RFC 9449 §6.2)", m["cnf"])
	})

	harness.It(env, catalog.DPoPBadSignatureRefused, func(ctx SpecContext) {
		expectProofRefused(ctx, proofBadSignature, nil, "a DPoP proof whose signature does not verify")
	})

	harness.It(env, catalog.DPoPTypRefused, func(ctx SpecContext) {
		expectProofRefused(ctx, proofTypJWT, nil, "a DPoP proof of typ JWT")
	})

	harness.It(env, catalog.DPoPAlgNoneRefused, func(ctx SpecContext) {
		expectProofRefused(ctx, proofAlgNone, nil, "an unsigned DPoP proof (alg none)")
	})

	harness.It(env, catalog.DPoPSymmetricRefused, func(ctx SpecContext) {
		expectProofRefused(ctx, proofHS256, nil, "a DPoP proof MACed with HS256 under a key it carries")
	})

	harness.It(env, catalog.DPoPHtmRefused, func(ctx SpecContext) {
		expectProofRefused(ctx, proofValid, func(c *proofClaims) { c.HTM = http.MethodGet }, "a DPoP proof for GET (htm)")
	})

	harness.It(env, catalog.DPoPHtuRefused, func(ctx SpecContext) {
		expectProofRefused(ctx, proofValid, func(c *proofClaims) {
			u, _ := url.Parse(c.HTU)
			u.Host = "attacker.example.test"
			c.HTU = u.String()
		}, "a DPoP proof for another URI (htu)")
	})

	harness.It(env, catalog.DPoPIatWindow, func(ctx SpecContext) {
		expectProofRefused(ctx, proofValid, func(c *proofClaims) { c.IAT = time.Now().Add(-2 * time.Hour).Unix() }, "a DPoP proof created two hours ago (iat)")
	})

	harness.It(env, catalog.DPoPJtiReplay, func(ctx SpecContext) {
		k := theDPoPKey()
		dpopControl(ctx, k) // learns the nonce, if the server gives one
		c := serviceClient()
		p := k.proof(proofValid, http.MethodPost, env.Endpoints.Token, "", nil)
		once := func() string { return p }
		first, err := dpopSend(ctx, k, env.Endpoints.Token, tokenPost(ctx, c, ccForm(c)), once)
		harness.Require(env, err)
		if !dpopTokenType(first) {
			harness.Undecided(env, fmt.Errorf("the proof to be replayed was not accepted the first time:\n%s", env.Evidence(first)))
		}
		again, err := dpopSend(ctx, k, env.Endpoints.Token, tokenPost(ctx, c, ccForm(c)), once)
		harness.Require(env, err)
		env.Attach(env.Evidence(again))
		if again.Status < 400 {
			harness.Broken("the same DPoP proof (same jti) was accepted a second time at the token endpoint (status %d)", again.Status)
		}
	})

	harness.It(env, catalog.DPoPPrivateJWKRefused, func(ctx SpecContext) {
		expectProofRefused(ctx, proofPrivateJWK, nil, "a DPoP proof whose jwk header carries the private key")
	})

	harness.It(env, catalog.DPoPProofError, func(ctx SpecContext) {
		k := theDPoPKey()
		dpopControl(ctx, k)
		c := serviceClient()
		x := dpopTokenRequest(ctx, c, ccForm(c), k, proofBadSignature, nil)
		env.Attach(env.Evidence(x))
		requireClientAuthenticated(x)
		harness.SkipUnless(x.Status >= 400, "the invalid proof was accepted (DP-03): there is no refusal to judge")
		Expect(stringField(x.JSON(), "error")).To(Equal("invalid_dpop_proof"), "an invalid DPoP proof was refused with error %q, not invalid_dpop_proof (RFC 9449 §5)", stringField(x.JSON(), "error"))
	})

	harness.It(env, catalog.DPoPResourceOtherKey, func(ctx SpecContext) {
		k := theDPoPKey()
		tok := dpopResourceControl(ctx, k)
		other := otherDPoPKey()
		x := dpopResource(ctx, other, "DPoP", tok, func() string {
			return other.proof(proofValid, http.MethodGet, env.Profile.DPoPResource, tok, nil)
		})
		expectResourceRefused(x, "a DPoP-bound token with a valid proof of another key")
	})

	harness.It(env, catalog.DPoPBearerDowngrade, func(ctx SpecContext) {
		k := theDPoPKey()
		tok := dpopResourceControl(ctx, k)
		x := dpopResource(ctx, k, "Bearer", tok, nil)
		expectResourceRefused(x, "a DPoP-bound token as a Bearer token, without a proof")
	})

	harness.It(env, catalog.DPoPAthMissing, func(ctx SpecContext) {
		k := theDPoPKey()
		tok := dpopResourceControl(ctx, k)
		x := dpopResource(ctx, k, "DPoP", tok, func() string {
			return k.proof(proofValid, http.MethodGet, env.Profile.DPoPResource, tok, func(c *proofClaims) { c.ATH = "" })
		})
		expectResourceRefused(x, "a DPoP proof without ath for the access token")
	})

	harness.It(env, catalog.DPoPAthWrong, func(ctx SpecContext) {
		k := theDPoPKey()
		tok := dpopResourceControl(ctx, k)
		x := dpopResource(ctx, k, "DPoP", tok, func() string {
			return k.proof(proofValid, http.MethodGet, env.Profile.DPoPResource, tok+"-other", nil)
		})
		expectResourceRefused(x, "a DPoP proof whose ath is the hash of another token")
	})

	harness.It(env, catalog.DPoPChallenge, func(ctx SpecContext) {
		k := theDPoPKey()
		tok := dpopResourceControl(ctx, k)
		x := dpopResource(ctx, k, "DPoP", tok, nil) // no proof at all
		env.Attach(env.Evidence(x))
		harness.SkipUnless(x.Status >= 400, "the resource accepted a DPoP-bound token without a proof (status %d): no refusal to judge", x.Status)
		challenges := strings.Join(x.Header.Values("WWW-Authenticate"), ", ")
		Expect(hasDPoPChallenge(challenges)).To(BeTrue(), "the refusal's WWW-Authenticate is %q: no DPoP challenge with algs (RFC 9449 §7.1)", challenges)
	})

	// DP-19: where the server demands nonces — the token endpoint (RFC 9449
	// §8), or else the resource (§9) — a proof with a nonce it never gave is
	// refused, and one with its nonce accepted (the control).
	harness.It(env, catalog.DPoPNonceHonoured, func(ctx SpecContext) {
		dpopAdvertised()
		c := serviceClient()
		k := otherDPoPKey() // no nonce known yet
		where, ep, method, tok := "the token endpoint", env.Endpoints.Token, http.MethodPost, ""
		newReq := tokenPost(ctx, c, ccForm(c))
		withNonce := func(nonce string) func() string {
			return func() string {
				return k.proof(proofValid, method, ep, tok, func(p *proofClaims) { p.Nonce = nonce })
			}
		}
		probe, err := dpopSendOnce(ctx, newReq, withNonce(""))
		harness.Require(env, err)
		if !(wantsNonce(probe) && probe.Header.Get("DPoP-Nonce") != "") {
			harness.SkipUnless(env.Profile.DPoPResource != "", "the token endpoint does not demand DPoP nonces (no use_dpop_nonce), and the profile names no DPoP resource (dpop_resource)")
			tok = dpopControl(ctx, k)
			where, ep, method = "the resource", env.Profile.DPoPResource, http.MethodGet
			newReq = func() (*http.Request, error) {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep, nil)
				if err == nil {
					req.Header.Set("Authorization", "DPoP "+tok)
				}
				return req, err
			}
			probe, err = dpopSendOnce(ctx, newReq, withNonce(""))
			harness.Require(env, err)
		}
		nonce := probe.Header.Get("DPoP-Nonce")
		harness.SkipUnless(wantsNonce(probe) && nonce != "", "neither the token endpoint nor the DPoP resource demands DPoP nonces (no use_dpop_nonce with a DPoP-Nonce to a proof without one)")
		wrong, err := dpopSendOnce(ctx, newReq, withNonce(nonce+"-not-the-servers"))
		harness.Require(env, err)
		right, err := dpopSendOnce(ctx, newReq, withNonce(nonce))
		harness.Require(env, err)
		if right.Status != http.StatusOK {
			harness.Undecided(env, fmt.Errorf("the positive control failed: a proof with the nonce %s gave was refused:\n%s", where, env.Evidence(right)))
		}
		env.Attach(where + ", with a nonce it never gave:\n" + env.Evidence(wrong))
		if wrong.Status < 400 {
			harness.Broken("%s demands DPoP nonces, yet a proof with a nonce it never gave was accepted (status %d)", where, wrong.Status)
		}
	})
})

// dpopSendOnce sends a request with a proof, without the nonce retry.
func dpopSendOnce(ctx context.Context, newReq func() (*http.Request, error), mk func() string) (*harness.Exchange, error) {
	req, err := newReq()
	if err != nil {
		return nil, err
	}
	req.Header.Set("DPoP", mk())
	rec := &harness.Recorder{}
	resp, err := env.HTTPClient(rec).Do(req)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	x := rec.Last()
	registerTokens(x)
	return x, nil
}

// hasDPoPChallenge reports whether WWW-Authenticate values (joined) hold a
// DPoP challenge with an algs parameter (RFC 9449 §7.1).
func hasDPoPChallenge(challenges string) bool {
	lower := strings.ToLower(challenges)
	i := strings.Index(lower, "dpop")
	for i >= 0 {
		before := i == 0 || lower[i-1] == ' ' || lower[i-1] == ','
		after := i+4 == len(lower) || lower[i+4] == ' ' || lower[i+4] == ','
		if before && after && strings.Contains(lower[i:], "algs=") {
			return true
		}
		next := strings.Index(lower[i+4:], "dpop")
		if next < 0 {
			break
		}
		i += 4 + next
	}
	return false
}

// statusOK is an error unless x succeeded.
func statusOK(x *harness.Exchange, what string) error {
	if x.Status == http.StatusOK {
		return nil
	}
	return fmt.Errorf("%s was refused, so nothing can be judged:\n%s", what, env.Evidence(x))
}

var _ = Describe("DPoP-bound refresh and codes", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.DPoPRefreshBound, func(ctx SpecContext) {
		dpopAdvertised()
		public := env.Profile.Clients.Public
		harness.SkipUnless(public != nil, "the profile has no public client")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		k := theDPoPKey()
		code, params := codeForParams(ctx, l, public, nil)
		x := dpopCodeExchange(ctx, public, code, params, k)
		if !dpopTokenType(x) {
			harness.Undecided(env, fmt.Errorf("the public client's code exchange with a valid DPoP proof got no DPoP token:\n%s", env.Evidence(x)))
		}
		rt := stringField(x.JSON(), "refresh_token")
		harness.SkipUnless(rt != "", "the public client gets no refresh token")
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
		other := dpopTokenRequest(ctx, public, form, otherDPoPKey(), proofValid, nil)
		env.Attach("with a proof of another key:\n" + env.Evidence(other))
		if other.Status < 400 {
			harness.Broken("the public client's DPoP-bound refresh token was refreshed with a proof of another key (status %d)", other.Status)
		}
		own := dpopTokenRequest(ctx, public, form, k, proofValid, nil)
		if own.Status != http.StatusOK {
			harness.Undecided(env, fmt.Errorf("the positive control failed: the refresh token was refused with a proof of its own key too:\n%s", env.Evidence(own)))
		}
	})

	harness.It(env, catalog.DPoPJktBinding, func(ctx SpecContext) {
		dpopAdvertised()
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil, "the profile has no confidential client")
		l, err := sharedLogin(ctx)
		harness.Require(env, err)
		k := theDPoPKey()
		code, params := codeForParams(ctx, l, client, url.Values{"dpop_jkt": {k.jkt}})
		x := dpopCodeExchange(ctx, client, code, params, otherDPoPKey())
		env.Attach("a code requested with dpop_jkt of one key, redeemed with a proof of another:\n" + env.Evidence(x))
		requireClientAuthenticated(x)
		control, cparams := codeForParams(ctx, l, client, url.Values{"dpop_jkt": {k.jkt}})
		own := dpopCodeExchange(ctx, client, control, cparams, k)
		if !dpopTokenType(own) {
			harness.Undecided(env, fmt.Errorf("the positive control failed: a code requested with dpop_jkt was not redeemed with a proof of that key:\n%s", env.Evidence(own)))
		}
		if x.Status < 400 {
			harness.Broken("a code requested with dpop_jkt was redeemed with a proof of another key (status %d)", x.Status)
		}
	})
})
