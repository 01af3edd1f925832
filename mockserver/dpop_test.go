package mockserver

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// proofKey is a client's DPoP key in the tests.
type proofKey struct {
	priv  *ecdsa.PrivateKey
	jkt   string
	nonce string // the resource's, once it gave one
}

func newProofKey(t *testing.T) *proofKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := (&jose.JSONWebKey{Key: priv.Public()}).Thumbprint(crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return &proofKey{priv: priv, jkt: base64.RawURLEncoding.EncodeToString(tp)}
}

// proofEdit changes a proof's header or claims before it is signed; the
// signature may be replaced after ("none", "hs256", "corrupt").
type proofEdit struct {
	header, claims map[string]any
	sign           string
}

// proof signs an ES256 DPoP proof for htm and htu (and ath for token).
func (k *proofKey) proof(t *testing.T, htm, htu, token string, edit *proofEdit) string {
	t.Helper()
	jwkJSON, err := (&jose.JSONWebKey{Key: k.priv.Public()}).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var jwk map[string]any
	_ = json.Unmarshal(jwkJSON, &jwk)
	h := map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}
	c := map[string]any{"jti": randomToken(12), "htm": htm, "htu": htu, "iat": time.Now().Unix()}
	if k.nonce != "" {
		c["nonce"] = k.nonce
	}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		c["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	sign := ""
	if edit != nil {
		for k, v := range edit.header {
			h[k] = v
		}
		for k, v := range edit.claims {
			if v == nil {
				delete(c, k)
			} else {
				c[k] = v
			}
		}
		sign = edit.sign
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(h) + "." + enc(c)
	switch sign {
	case "none":
		return input + "."
	case "hs256":
		mac := hmac.New(sha256.New, []byte("0123456789abcdef0123456789abcdef"))
		mac.Write([]byte(input))
		return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, k.priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	if sign == "corrupt" {
		sig[10] ^= 0xff
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// dpopPost posts form to path with a DPoP proof ("" for none), as a
// confidential client (basicID) or with the form's client_id.
func (e *env) dpopPost(path, basicID string, form url.Values, proof string) (*http.Response, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(url.QueryEscape(basicID), url.QueryEscape(e.secretOf(basicID)))
	}
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(readBody(e.t, resp)), &m)
	return resp, m
}

// dpopCC asks for a client_credentials token as svc with a proof.
func (e *env) dpopCC(proof string) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.dpopPost("/token", "svc", url.Values{"grant_type": {"client_credentials"}}, proof)
}

// ccProof is a valid proof for svc's token request.
func (e *env) ccProof(k *proofKey, edit *proofEdit) string {
	return k.proof(e.t, http.MethodPost, e.url+"/token", "", edit)
}

// dpopToken obtains a DPoP-bound client_credentials token for k.
func (e *env) dpopToken(k *proofKey) string {
	e.t.Helper()
	resp, m := e.dpopCC(e.ccProof(k, nil))
	tok, _ := m["access_token"].(string)
	if resp.StatusCode != http.StatusOK || tok == "" {
		e.t.Fatalf("no DPoP token: %d %v", resp.StatusCode, m)
	}
	return tok
}

// dpopMe calls the resource with scheme ("DPoP" or "Bearer") and a proof
// ("" for none).
func (e *env) dpopMe(scheme, token, proof string) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.url+"/api/me", nil)
	req.Header.Set("Authorization", scheme+" "+token)
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	readBody(e.t, resp)
	return resp
}

// meWithProof calls the resource with a DPoP token and a proof of k made
// by mk; asked for the resource's nonce (RFC 9449 §9), k keeps it and the
// call is made again with a new proof.
func (e *env) meWithProof(k *proofKey, token string, mk func() string) *http.Response {
	e.t.Helper()
	resp := e.dpopMe("DPoP", token, mk())
	if n := resp.Header.Get("DPoP-Nonce"); resp.StatusCode == http.StatusUnauthorized && n != "" && k.nonce == "" {
		k.nonce = n
		resp = e.dpopMe("DPoP", token, mk())
	}
	return resp
}

// ccRefused reports whether svc's token request with an edited proof is
// refused while the same request with a valid proof succeeds.
func (e *env) ccRefused(edit *proofEdit) bool {
	e.t.Helper()
	return e.ccRefusedWith(newProofKey(e.t), edit)
}

// ccRefusedWith is ccRefused with the key k.
func (e *env) ccRefusedWith(k *proofKey, edit *proofEdit) bool {
	e.t.Helper()
	e.dpopToken(k)
	resp, _ := e.dpopCC(e.ccProof(k, edit))
	return resp.StatusCode >= 400
}

// spaDPoPRefresh obtains a refresh token for spa with a proof of k.
func (e *env) spaDPoPRefresh(k *proofKey) string {
	e.t.Helper()
	code, verifier := e.spaCode()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier},
		"redirect_uri": {DefaultRedirectURI}, "client_id": {"spa"}}
	resp, m := e.dpopPost("/token", "", form, k.proof(e.t, http.MethodPost, e.url+"/token", "", nil))
	rt, _ := m["refresh_token"].(string)
	if resp.StatusCode != http.StatusOK || rt == "" {
		e.t.Fatalf("spa DPoP exchange: %d %v", resp.StatusCode, m)
	}
	return rt
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.DPoPTokenTypeBearer: func(t *testing.T, e *env) bool {
			_, m := e.dpopCC(e.ccProof(newProofKey(t), nil))
			return m["token_type"] == "DPoP"
		},
		fault.DPoPNoCnf: func(t *testing.T, e *env) bool {
			k := newProofKey(t)
			tok := e.dpopToken(k)
			var claims struct {
				Cnf struct{ JKT string } `json:"cnf"`
			}
			parts := strings.Split(tok, ".")
			b, _ := base64.RawURLEncoding.DecodeString(parts[1])
			_ = json.Unmarshal(b, &claims)
			cnf, _ := e.introspect(tok)["cnf"].(map[string]any)
			return claims.Cnf.JKT == k.jkt && cnf["jkt"] == k.jkt
		},
		fault.DPoPSignatureUnchecked: func(t *testing.T, e *env) bool { return e.ccRefused(&proofEdit{sign: "corrupt"}) },
		fault.DPoPTypUnchecked: func(t *testing.T, e *env) bool {
			return e.ccRefused(&proofEdit{header: map[string]any{"typ": "JWT"}})
		},
		fault.DPoPAlgNoneAccepted: func(t *testing.T, e *env) bool {
			return e.ccRefused(&proofEdit{header: map[string]any{"alg": "none"}, sign: "none"})
		},
		fault.DPoPSymmetricAlgAccepted: func(t *testing.T, e *env) bool {
			oct := map[string]any{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))}
			return e.ccRefused(&proofEdit{header: map[string]any{"alg": "HS256", "jwk": oct}, sign: "hs256"})
		},
		fault.DPoPHtmUnchecked: func(t *testing.T, e *env) bool {
			return e.ccRefused(&proofEdit{claims: map[string]any{"htm": "GET"}})
		},
		fault.DPoPHtuUnchecked: func(t *testing.T, e *env) bool {
			return e.ccRefused(&proofEdit{claims: map[string]any{"htu": "https://attacker.example.test/token"}})
		},
		fault.DPoPIatUnchecked: func(t *testing.T, e *env) bool {
			return e.ccRefused(&proofEdit{claims: map[string]any{"iat": time.Now().Add(-2 * time.Hour).Unix()}})
		},
		fault.DPoPJtiReplayAccepted: func(t *testing.T, e *env) bool {
			p := e.ccProof(newProofKey(t), nil)
			first, _ := e.dpopCC(p)
			again, _ := e.dpopCC(p)
			return first.StatusCode == http.StatusOK && again.StatusCode >= 400
		},
		fault.DPoPPrivateJWKAccepted: func(t *testing.T, e *env) bool {
			k := newProofKey(t)
			b, _ := (&jose.JSONWebKey{Key: k.priv}).MarshalJSON()
			var jwk map[string]any
			_ = json.Unmarshal(b, &jwk)
			return e.ccRefusedWith(k, &proofEdit{header: map[string]any{"jwk": jwk}})
		},
		fault.DPoPProofWrongError: func(t *testing.T, e *env) bool {
			_, m := e.dpopCC(e.ccProof(newProofKey(t), &proofEdit{sign: "corrupt"}))
			return m["error"] == DPoPProofError
		},
		fault.DPoPResourceKeyUnchecked: func(t *testing.T, e *env) bool {
			k := newProofKey(t)
			tok := e.dpopToken(k)
			own := e.meWithProof(k, tok, func() string { return k.proof(t, http.MethodGet, e.url+"/api/me", tok, nil) })
			o := newProofKey(t)
			other := e.meWithProof(o, tok, func() string { return o.proof(t, http.MethodGet, e.url+"/api/me", tok, nil) })
			return own.StatusCode == http.StatusOK && other.StatusCode == http.StatusUnauthorized
		},
		fault.DPoPBearerDowngrade: func(t *testing.T, e *env) bool {
			return e.dpopMe("Bearer", e.dpopToken(newProofKey(t)), "").StatusCode == http.StatusUnauthorized
		},
		fault.DPoPAthOptional: func(t *testing.T, e *env) bool {
			k := newProofKey(t)
			tok := e.dpopToken(k)
			return e.meWithProof(k, tok, func() string {
				return k.proof(t, http.MethodGet, e.url+"/api/me", tok, &proofEdit{claims: map[string]any{"ath": nil}})
			}).StatusCode == http.StatusUnauthorized
		},
		fault.DPoPAthUnchecked: func(t *testing.T, e *env) bool {
			k := newProofKey(t)
			tok := e.dpopToken(k)
			return e.meWithProof(k, tok, func() string { return k.proof(t, http.MethodGet, e.url+"/api/me", tok+"x", nil) }).StatusCode == http.StatusUnauthorized
		},
		fault.DPoPNoChallenge: func(t *testing.T, e *env) bool {
			resp := e.dpopMe("DPoP", e.dpopToken(newProofKey(t)), "")
			for _, v := range resp.Header.Values("WWW-Authenticate") {
				if strings.HasPrefix(v, "DPoP ") && strings.Contains(v, "algs=") && strings.Contains(v, `error="invalid_dpop_proof"`) {
					return true
				}
			}
			return false
		},
		fault.DPoPRefreshNotBound: func(t *testing.T, e *env) bool {
			k := newProofKey(t)
			rt := e.spaDPoPRefresh(k)
			form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"spa"}}
			other, _ := e.dpopPost("/token", "", form, newProofKey(t).proof(t, http.MethodPost, e.url+"/token", "", nil))
			own, _ := e.dpopPost("/token", "", form, k.proof(t, http.MethodPost, e.url+"/token", "", nil))
			return other.StatusCode >= 400 && own.StatusCode == http.StatusOK
		},
		fault.DPoPNonceUnchecked: func(t *testing.T, e *env) bool {
			// The resource demands its nonce (RFC 9449 §9).
			k := newProofKey(t)
			tok := e.dpopToken(k)
			first := e.dpopMe("DPoP", tok, k.proof(t, http.MethodGet, e.url+"/api/me", tok, nil))
			nonce := first.Header.Get("DPoP-Nonce")
			wrong := e.dpopMe("DPoP", tok, k.proof(t, http.MethodGet, e.url+"/api/me", tok, &proofEdit{claims: map[string]any{"nonce": nonce + "x"}}))
			right := e.dpopMe("DPoP", tok, k.proof(t, http.MethodGet, e.url+"/api/me", tok, &proofEdit{claims: map[string]any{"nonce": nonce}}))
			return first.StatusCode == http.StatusUnauthorized && nonce != "" && wrong.StatusCode == http.StatusUnauthorized && right.StatusCode == http.StatusOK
		},
		fault.DPoPJktIgnored: func(t *testing.T, e *env) bool {
			k := newProofKey(t)
			verifier := randomToken(32)
			cb := e.codeFlow("spa", url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}, "dpop_jkt": {k.jkt}})
			form := url.Values{"grant_type": {"authorization_code"}, "code": {cb.Get("code")}, "code_verifier": {verifier},
				"redirect_uri": {DefaultRedirectURI}, "client_id": {"spa"}}
			other, _ := e.dpopPost("/token", "", form, newProofKey(t).proof(t, http.MethodPost, e.url+"/token", "", nil))
			own, _ := e.dpopPost("/token", "", form, k.proof(t, http.MethodPost, e.url+"/token", "", nil))
			return other.StatusCode >= 400 && own.StatusCode == http.StatusOK
		},
	}
	for name, p := range probes {
		conformanceProbes[name] = p
	}
}

// The nonce variant: a proof without the nonce is answered use_dpop_nonce
// with the nonce, a proof with it succeeds, a wrong one is refused.
func TestDPoPNonceRequiredVariant(t *testing.T) {
	e := newEnvOpts(t, Options{Variants: []Variant{DPoPNonceRequired}})
	k := newProofKey(t)
	resp, m := e.dpopCC(e.ccProof(k, nil))
	nonce := resp.Header.Get("DPoP-Nonce")
	if resp.StatusCode != http.StatusBadRequest || m["error"] != DPoPNonceError || nonce == "" {
		t.Fatalf("no nonce demanded: %d %v %q", resp.StatusCode, m, nonce)
	}
	if resp, _ := e.dpopCC(e.ccProof(k, &proofEdit{claims: map[string]any{"nonce": "stale"}})); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a wrong nonce: %d", resp.StatusCode)
	}
	if resp, m := e.dpopCC(e.ccProof(k, &proofEdit{claims: map[string]any{"nonce": nonce}})); resp.StatusCode != http.StatusOK || m["token_type"] != "DPoP" {
		t.Errorf("the nonce: %d %v", resp.StatusCode, m)
	}
	// Without DPoP, nothing changes.
	if resp, _ := e.token("svc", url.Values{"grant_type": {"client_credentials"}}); resp.StatusCode != http.StatusOK {
		t.Errorf("a bearer token request: %d", resp.StatusCode)
	}
}

// A bound token works at the resource with a proof of its key; a confidential
// client's refresh token is not bound (RFC 9449 §5).
func TestDPoPResourceAndConfidentialRefresh(t *testing.T) {
	e := newEnv(t)
	k := newProofKey(t)
	tok := e.dpopToken(k)
	if resp := e.meWithProof(k, tok, func() string { return k.proof(t, http.MethodGet, e.url+"/api/me", tok, nil) }); resp.StatusCode != http.StatusOK {
		t.Fatalf("bound token with its proof: %d", resp.StatusCode)
	}
	if resp := e.dpopMe("DPoP", tok, k.proof(t, http.MethodPost, e.url+"/api/me", tok, nil)); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a proof for POST at the resource: %d", resp.StatusCode)
	}
	// A bearer token sent with the DPoP scheme is refused.
	bearer := e.ccAccess()
	if resp := e.dpopMe("DPoP", bearer, k.proof(t, http.MethodGet, e.url+"/api/me", bearer, nil)); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unbound token with the DPoP scheme: %d", resp.StatusCode)
	}
	_, rt := e.webGrant()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
	if resp, m := e.dpopPost("/token", "web", form, newProofKey(t).proof(t, http.MethodPost, e.url+"/token", "", nil)); resp.StatusCode != http.StatusOK || m["token_type"] != "DPoP" {
		t.Errorf("confidential refresh with a new key: %d %v", resp.StatusCode, m)
	}
	if got := e.metadata()["dpop_signing_alg_values_supported"]; got == nil {
		t.Error("no dpop_signing_alg_values_supported")
	}
}
