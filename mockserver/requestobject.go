package mockserver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// requestObjectAlgs are the algorithms of the request objects this server
// verifies (RFC 9101, OIDC Core §6.1), signed with a key registered for
// the client; an unsigned one (alg none) is refused.
var requestObjectAlgs = []jose.SignatureAlgorithm{jose.PS256, jose.ES256}

// requestObjectFetchTimeout bounds the fetch of a request_uri by reference.
const requestObjectFetchTimeout = 5 * time.Second

// resolveRequestObject replaces an authorization request that carries a
// request object — by value (request) or by reference (a request_uri that
// is no pushed request) — by the parameters of the object (RFC 9101 §6.3:
// only those; the client_id beside it must be the object's). It returns
// the parameters and, on failure, the message of the error page.
func (s *Server) resolveRequestObject(ctx context.Context, q url.Values) (url.Values, string) {
	raw := q.Get("request")
	if q.Has("request_uri") {
		if q.Has("request") {
			return nil, "request and request_uri go alone."
		}
		if s.has(fault.JARRequestURIIgnored) {
			// The flaw: request_uri is advertised but never fetched.
			out := cloneValues(q)
			delete(out, "request_uri")
			return out, ""
		}
		var msg string
		if raw, msg = s.fetchRequestObject(ctx, q.Get("request_uri")); msg != "" {
			return nil, msg
		}
	}
	c := s.clients[q.Get("client_id")]
	if c == nil {
		return nil, "Unknown or missing client_id."
	}
	claims, msg := s.verifyRequestObject(c, raw)
	if msg != "" {
		return nil, msg
	}
	out := url.Values{}
	for k, v := range claims {
		switch k {
		case "iss", "aud", "exp", "iat", "nbf", "jti":
			continue
		}
		switch t := v.(type) {
		case string:
			out.Set(k, t)
		case float64:
			out.Set(k, fmt.Sprint(t))
		default:
			b, _ := json.Marshal(t)
			out.Set(k, string(b))
		}
	}
	// RFC 9101 §6.3: "The client ID values in the client_id request
	// parameter and in the Request Object client_id claim MUST be identical."
	if out.Get("client_id") != c.ID && !s.has(fault.JARClientIDMismatchAccepted) {
		return nil, "The request object's client_id is not the client_id of the request."
	}
	out.Set("client_id", c.ID)
	if s.has(fault.JAROutsideParamsUsed) {
		// The flaw: parameters beside the request object win.
		for k, v := range q {
			if k != "request" && k != "request_uri" {
				out[k] = append([]string(nil), v...)
			}
		}
	}
	return out, ""
}

// verifyRequestObject checks a request object's signature (a key
// registered for c), aud (this server, when present: RFC 7519 §4.1.3) and
// exp (RFC 7519 §4.1.4), and returns its claims.
func (s *Server) verifyRequestObject(c *Client, raw string) (map[string]any, string) {
	claims := map[string]any{}
	var reg jwt.Claims
	tok, err := jwt.ParseSigned(raw, requestObjectAlgs)
	switch {
	case err == nil && s.has(fault.JARSignatureUnchecked):
		// The flaw: the signature is never checked.
		if tok.UnsafeClaimsWithoutVerification(&claims, &reg) != nil {
			return nil, "The request object's claims could not be read."
		}
	case err == nil:
		verified := false
		for _, k := range c.Keys {
			if kid := tok.Headers[0].KeyID; kid != "" && kid != k.KeyID {
				continue
			}
			if tok.Claims(k.Key, &claims, &reg) == nil {
				verified = true
				break
			}
		}
		if !verified {
			return nil, "The request object is not signed with a key registered for the client."
		}
	case s.has(fault.JARAlgNoneAccepted) && unsecuredClaims(raw, &reg) && unsecuredMap(raw, &claims):
		// The flaw: an unsigned request object (alg none) is taken as it stands.
	case s.has(fault.FlowRequestObjectUnsignedAccepted) && unsecuredClaims(raw, &reg) && unsecuredMap(raw, &claims) && flowRequest(claimValues(claims)):
		// The flaw: the same, for the requests of the other flows only.
	default:
		return nil, "The request object is not a JWT signed with PS256 or ES256 (unsigned request objects are not supported)."
	}
	if len(reg.Audience) > 0 && !reg.Audience.Contains(s.issuer) && !s.has(fault.JARAudUnchecked) {
		return nil, "The request object's aud is not this server."
	}
	if reg.Expiry != nil && s.now().After(reg.Expiry.Time().Add(assertionLeeway)) && !s.has(fault.JARExpUnchecked) {
		return nil, "The request object has expired."
	}
	return claims, ""
}

// unsecuredMap reads the payload of an unsecured JWT into m.
func unsecuredMap(raw string, m *map[string]any) bool {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return false
	}
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	return err == nil && json.Unmarshal(p, m) == nil
}

// fetchRequestObject fetches a request object by reference (RFC 9101 §5.2,
// §6.2): http(s) on a loopback host only — the mock fetches nothing else.
func (s *Server) fetchRequestObject(ctx context.Context, raw string) (string, string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", "The request_uri is not an http(s) URL of a request object."
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", "This server fetches request objects from loopback hosts only."
	}
	ctx, cancel := context.WithTimeout(ctx, requestObjectFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return "", "The request_uri could not be fetched."
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", "The request_uri could not be fetched."
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", "The request_uri could not be fetched."
	}
	return strings.TrimSpace(string(body)), ""
}
