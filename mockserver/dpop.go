package mockserver

// DPoP (RFC 9449): proofs of possession of a client's key, checked at the
// token endpoint (which binds the tokens it issues to the key) and at the
// protected resource (which accepts a bound token only with a proof of the
// same key, for that token).

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// DPoPAlgs are the JWS algorithms the server accepts for DPoP proofs
// (dpop_signing_alg_values_supported, RFC 9449 §5.1): asymmetric only
// (§11.6).
var DPoPAlgs = []string{string(jose.ES256), string(jose.RS256), string(jose.PS256)}

const (
	// dpopWindow is how long after its creation (iat) a proof is accepted
	// (RFC 9449 §11.1: "on the order of seconds or minutes").
	dpopWindow = 5 * time.Minute
	// dpopFutureSkew is how far in the future an iat may be (clock skew).
	dpopFutureSkew = time.Minute
	// DPoPNonceError is the error of a request whose proof lacks the nonce
	// the server demands (RFC 9449 §8).
	DPoPNonceError = "use_dpop_nonce"
	// DPoPProofError is the error of an invalid proof (RFC 9449 §5, §7.1).
	DPoPProofError = "invalid_dpop_proof"
)

// dpopProof is what a valid proof established.
type dpopProof struct {
	jkt string // the RFC 7638 thumbprint of its public key
}

// dpopClaims are the claims of a DPoP proof (RFC 9449 §4.2).
type dpopClaims struct {
	JTI   string           `json:"jti"`
	HTM   string           `json:"htm"`
	HTU   string           `json:"htu"`
	IAT   *jwt.NumericDate `json:"iat"`
	ATH   string           `json:"ath,omitempty"`
	Nonce string           `json:"nonce,omitempty"`
}

// dpopHeader is the JOSE header of a proof, read before any library
// judges it (a jwk with a private key, an alg none, an HS256 proof).
type dpopHeader struct {
	Typ string          `json:"typ"`
	Alg string          `json:"alg"`
	JWK json.RawMessage `json:"jwk"`
}

// dpopRequested reports whether a request carries a DPoP proof.
func dpopRequested(r *http.Request) bool { return len(r.Header.Values("DPoP")) > 0 }

// dpopNonceFor is the nonce proofs must carry, "" for none: the resource
// always demands its own (RFC 9449 §9), the token endpoint only under
// DPoPNonceRequired (§8).
func (s *Server) dpopNonceFor(tokenEP bool) string {
	switch {
	case !tokenEP:
		return s.dpopRSNonce
	case s.is(DPoPNonceRequired):
		return s.dpopNonce
	}
	return ""
}

func badProof(desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, DPoPProofError, desc}
}

// checkDPoP validates the request's DPoP proof (RFC 9449 §4.3) for the
// endpoint htu; accessToken is the token it comes with at the resource
// ("" at the token endpoint), tokenEP whether a nonce may be demanded.
func (s *Server) checkDPoP(r *http.Request, htu, accessToken string, tokenEP bool) (*dpopProof, *oauthError) {
	vals := r.Header.Values("DPoP")
	if len(vals) != 1 {
		return nil, badProof("exactly one DPoP header is required")
	}
	raw := strings.TrimSpace(vals[0])
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, badProof("the DPoP proof is not a compact JWS")
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	var h dpopHeader
	if err != nil || json.Unmarshal(hb, &h) != nil {
		return nil, badProof("the DPoP proof's header is malformed")
	}
	if h.Typ != "dpop+jwt" && !s.has(fault.DPoPTypUnchecked) {
		return nil, badProof("the DPoP proof's typ is not dpop+jwt")
	}
	var jwk jose.JSONWebKey
	if len(h.JWK) == 0 || jwk.UnmarshalJSON(h.JWK) != nil {
		return nil, badProof("the DPoP proof has no usable jwk header")
	}
	private := !jwk.IsPublic()
	if _, symmetric := jwk.Key.([]byte); private && !symmetric && !s.has(fault.DPoPPrivateJWKAccepted) {
		return nil, badProof("the DPoP proof's jwk contains a private key")
	}
	payload, oe := s.verifyProof(raw, parts, h.Alg, jwk)
	if oe != nil {
		return nil, oe
	}
	var c dpopClaims
	if json.Unmarshal(payload, &c) != nil || c.JTI == "" || c.HTM == "" || c.HTU == "" || c.IAT == nil {
		return nil, badProof("the DPoP proof lacks jti, htm, htu or iat")
	}
	if c.HTM != r.Method && !s.has(fault.DPoPHtmUnchecked) {
		return nil, badProof("htm does not match the request's method")
	}
	if !sameHTU(c.HTU, htu) && !s.has(fault.DPoPHtuUnchecked) {
		return nil, badProof("htu does not match the request's URI")
	}
	now := s.now()
	iat := c.IAT.Time()
	if (now.Sub(iat) > dpopWindow || iat.Sub(now) > dpopFutureSkew) && !s.has(fault.DPoPIatUnchecked) {
		return nil, badProof("the DPoP proof was not created within the accepted window")
	}
	if nonce := s.dpopNonceFor(tokenEP); nonce != "" {
		if c.Nonce == "" {
			return nil, &oauthError{http.StatusBadRequest, DPoPNonceError, "the server requires a nonce in the DPoP proof"}
		}
		if c.Nonce != nonce && !s.has(fault.DPoPNonceUnchecked) {
			return nil, &oauthError{http.StatusBadRequest, DPoPNonceError, "the DPoP proof's nonce is not the server's"}
		}
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		want := base64.RawURLEncoding.EncodeToString(sum[:])
		switch {
		case c.ATH == "":
			if !s.has(fault.DPoPAthOptional) {
				return nil, badProof("the DPoP proof has no ath for the access token")
			}
		case !hmac.Equal([]byte(c.ATH), []byte(want)) && !s.has(fault.DPoPAthUnchecked):
			return nil, badProof("ath is not the hash of the access token")
		}
	}
	var tp []byte
	if secret, symmetric := jwk.Key.([]byte); symmetric {
		// dpop_symmetric_alg_accepted: the secret stands for a key.
		sum := sha256.Sum256(secret)
		tp = sum[:]
	} else {
		pub := jwk.Public()
		var err error
		if tp, err = pub.Thumbprint(crypto.SHA256); err != nil {
			return nil, badProof("the DPoP proof's jwk has no thumbprint")
		}
	}
	// Single use (RFC 9449 §11.1): the jti, for the target URI, until the
	// proof would no longer be accepted anyway.
	key := htu + "\x00" + c.JTI
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.dpopJTIs[key]; seen && !s.has(fault.DPoPJtiReplayAccepted) {
		return nil, badProof("the DPoP proof has already been used")
	}
	s.dpopJTIs[key] = iat.Add(dpopWindow)
	return &dpopProof{jkt: base64.RawURLEncoding.EncodeToString(tp)}, nil
}

// verifyProof checks the proof's alg and signature and returns its payload.
func (s *Server) verifyProof(raw string, parts []string, alg string, jwk jose.JSONWebKey) ([]byte, *oauthError) {
	switch {
	case alg == "none":
		if !s.has(fault.DPoPAlgNoneAccepted) {
			return nil, badProof("alg none is not accepted for DPoP proofs")
		}
		// The flaw: the claims are taken without any signature.
		return decodeSegment(parts[1])
	case strings.HasPrefix(alg, "HS"):
		key, ok := jwk.Key.([]byte)
		if !s.has(fault.DPoPSymmetricAlgAccepted) || alg != string(jose.HS256) || !ok {
			return nil, badProof("DPoP proofs must be signed with an asymmetric algorithm")
		}
		// The flaw: a MAC under a key the proof itself carries.
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(parts[0] + "." + parts[1]))
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
			return nil, badProof("the DPoP proof's signature is invalid")
		}
		return decodeSegment(parts[1])
	}
	if !contains(DPoPAlgs, alg) {
		return nil, badProof("alg " + alg + " is not accepted for DPoP proofs")
	}
	if s.has(fault.DPoPSignatureUnchecked) {
		// The flaw: the payload is read, the signature never checked.
		return decodeSegment(parts[1])
	}
	if !jwk.IsPublic() {
		// Only with dpop_private_jwk_accepted: go-jose refuses a header
		// jwk that is not public, so its public half checks the signature.
		if !verifyRawSignature(alg, jwk.Public().Key, parts) {
			return nil, badProof("the DPoP proof's signature is invalid")
		}
		return decodeSegment(parts[1])
	}
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil {
		return nil, badProof("the DPoP proof is malformed")
	}
	payload, err := jws.Verify(jwk.Key)
	if err != nil {
		return nil, badProof("the DPoP proof's signature is invalid")
	}
	return payload, nil
}

func decodeSegment(seg string) ([]byte, *oauthError) {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, badProof("the DPoP proof's payload is malformed")
	}
	return b, nil
}

// verifyRawSignature checks a compact JWS's signature with a public key, for
// the one case go-jose will not parse (a private jwk in the header).
func verifyRawSignature(alg string, key any, parts []string) bool {
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if alg != string(jose.ES256) || len(sig) != 64 {
			return false
		}
		r, ss := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(k, digest[:], r, ss)
	case *rsa.PublicKey:
		if alg == string(jose.PS256) {
			return rsa.VerifyPSS(k, crypto.SHA256, digest[:], sig, nil) == nil
		}
		return alg == string(jose.RS256) && rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) == nil
	}
	return false
}

// sameHTU compares a proof's htu with the endpoint's URI, ignoring query and
// fragment, scheme and host case-insensitively (RFC 9449 §4.3 check 9).
func sameHTU(claim, endpoint string) bool {
	a, err1 := url.Parse(claim)
	b, err2 := url.Parse(endpoint)
	if err1 != nil || err2 != nil {
		return false
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host) && a.EscapedPath() == b.EscapedPath()
}

// dpopChallenge is the DPoP challenge of the resource (RFC 9449 §7.1), with
// an error when the request used the DPoP scheme.
func dpopChallenge(code, desc string) string {
	v := "DPoP"
	var params []string
	if code != "" {
		params = append(params, `error="`+code+`"`)
	}
	if desc != "" {
		params = append(params, `error_description="`+strings.ReplaceAll(desc, `"`, "'")+`"`)
	}
	params = append(params, `algs="`+strings.Join(DPoPAlgs, " ")+`"`)
	return v + " " + strings.Join(params, ", ")
}

// writeDPoPNonce adds the nonce to a use_dpop_nonce answer.
func (s *Server) writeDPoPNonce(w http.ResponseWriter, oe *oauthError, tokenEP bool) {
	if oe != nil && oe.code == DPoPNonceError {
		w.Header().Set("DPoP-Nonce", s.dpopNonceFor(tokenEP))
	}
}

// tokenDPoPError is the token endpoint's error for a refused proof.
func (s *Server) tokenDPoPError(oe *oauthError) *oauthError {
	if oe.code == DPoPProofError && s.has(fault.DPoPProofWrongError) {
		return errInvalidRequest(oe.desc)
	}
	return oe
}

// errDPoPBinding is why a bound token is refused at the resource.
var errDPoPBinding = errors.New("invalid DPoP key binding")

// cnfClaim is the confirmation claim of a bound access token (RFC 9449 §6.1).
type cnfClaim struct {
	JKT string `json:"jkt,omitempty"`
	X5T string `json:"x5t#S256,omitempty"` // RFC 8705 §3.1
}

// tokenBinding is what a token request binds its tokens to: a DPoP key
// (RFC 9449) or a client certificate (RFC 8705), "" each for none.
type tokenBinding struct{ jkt, x5t string }
