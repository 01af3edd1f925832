package harness

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// JWKS is the provider's key set as served: parsed by go-jose, and raw, so
// that members a public set must not carry (private parameters, "oct" keys)
// can be seen.
type JWKS struct {
	Set  jose.JSONWebKeySet
	Raw  []map[string]any
	From string
}

// FetchJWKS reads the jwks_uri (RFC 8414 §2, RFC 7517 §5).
func (env *Env) FetchJWKS(ctx context.Context) (*JWKS, error) {
	if env.Endpoints.JWKS == "" {
		return nil, errors.New("the target names no jwks_uri")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, env.Endpoints.JWKS, nil)
	if err != nil {
		return nil, err
	}
	rec := &Recorder{}
	resp, err := env.HTTPClient(rec).Do(req)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	x := rec.Last()
	if x.Status != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", env.Endpoints.JWKS, x.Status)
	}
	raw := x.Body
	out := &JWKS{From: env.Endpoints.JWKS}
	// Member by member: go-jose refuses a whole set when one key is odd,
	// and the odd key is exactly what some checks look for.
	var members struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", env.Endpoints.JWKS, err)
	}
	for _, m := range members.Keys {
		var fields map[string]any
		if json.Unmarshal(m, &fields) == nil {
			out.Raw = append(out.Raw, fields)
		}
		var k jose.JSONWebKey
		if k.UnmarshalJSON(m) == nil {
			out.Set.Keys = append(out.Set.Keys, k)
		}
	}
	return out, nil
}

// JWTParts splits a compact JWS and decodes its header and payload; ok is
// false for anything that is not a JWT (an opaque token).
func JWTParts(token string) (header, payload map[string]any, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, false
	}
	dec := func(s string, v any) bool {
		b, err := base64.RawURLEncoding.DecodeString(s)
		return err == nil && json.Unmarshal(b, v) == nil
	}
	if !dec(parts[0], &header) || !dec(parts[1], &payload) {
		return nil, nil, false
	}
	return header, payload, true
}

// SignatureAlgorithms are the algorithms accepted when parsing tokens for
// inspection: every asymmetric one go-jose knows.
var SignatureAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// TokenHash is the at_hash / c_hash of a token for an id_token signed with
// alg (OpenID Connect Core §3.1.3.6): the base64url of the left half of the
// token's hash with the alg's SHA-2 size; ok is false for an alg without one.
func TokenHash(token, alg string) (string, bool) {
	var sum []byte
	switch {
	case strings.HasSuffix(alg, "256"):
		h := sha256.Sum256([]byte(token))
		sum = h[:]
	case strings.HasSuffix(alg, "384"):
		h := sha512.Sum384([]byte(token))
		sum = h[:]
	case strings.HasSuffix(alg, "512"):
		h := sha512.Sum512([]byte(token))
		sum = h[:]
	default:
		return "", false
	}
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), true
}
