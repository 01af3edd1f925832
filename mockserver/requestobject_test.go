package mockserver

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// requestObject is a request object for web (RFC 9101): the code request's
// parameters as claims, iss web, aud the issuer, exp in a minute; signed
// with key by PS256 (web's key when nil); edit changes the claims.
func (e *env) requestObject(key crypto.Signer, edit func(map[string]any)) string {
	e.t.Helper()
	if key == nil {
		key = signerKey(e.t, e.sec.WebKey)
	}
	claims := map[string]any{
		"response_type": "code", "client_id": "web", "redirect_uri": DefaultRedirectURI, "scope": "openid api.read",
		"state": "in-object", "iss": "web", "aud": e.url, "exp": time.Now().Add(time.Minute).Unix(),
	}
	if edit != nil {
		edit(claims)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.PS256, Key: key}, (&jose.SignerOptions{}).WithType("oauth-authz-req+jwt"))
	if err != nil {
		e.t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		e.t.Fatal(err)
	}
	return raw
}

// useObject sends the signed-in browser with the request object by value
// (outside: client_id, response_type, scope and extra); the callback
// parameters, nil for an error page.
func (e *env) useObject(obj string, extra url.Values) url.Values {
	e.t.Helper()
	q := url.Values{"client_id": {"web"}, "response_type": {"code"}, "scope": {"openid"}, "request": {obj}}
	for k, v := range extra {
		q[k] = v
	}
	resp, _ := e.get(e.authorizeURL(q))
	if resp.StatusCode != http.StatusFound {
		return nil
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		return nil
	}
	return loc.Query()
}

// serveObject serves obj on a loopback listener for the test and returns its URL.
func serveObject(t *testing.T, obj string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
		_, _ = w.Write([]byte(obj))
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String() + "/request.jwt"
}

func objectCode(got url.Values) bool { return got.Get("code") != "" && got.Get("state") == "in-object" }

func init() {
	jar := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.JARRequestObjectIgnored: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			return objectCode(e.useObject(e.requestObject(nil, nil), nil))
		},
		fault.JARSignatureUnchecked: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			return e.useObject(e.requestObject(signerKey(t, mustKey(t)), nil), nil).Get("code") == ""
		},
		fault.JARAlgNoneAccepted: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			obj := encodeUnsigned(t, map[string]any{"response_type": "code", "client_id": "web", "redirect_uri": DefaultRedirectURI, "scope": "openid", "state": "in-object"})
			return e.useObject(obj, nil).Get("code") == ""
		},
		fault.JAROutsideParamsUsed: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			return objectCode(e.useObject(e.requestObject(nil, nil), url.Values{"state": {"outside"}}))
		},
		fault.JARClientIDMismatchAccepted: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			obj := e.requestObject(nil, func(c map[string]any) { c["client_id"] = "web2" })
			return e.useObject(obj, nil).Get("code") == ""
		},
		fault.JARRequestURIIgnored: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			uri := serveObject(t, e.requestObject(nil, nil))
			q := url.Values{"client_id": {"web"}, "response_type": {"code"}, "scope": {"openid"}, "request_uri": {uri}}
			resp, _ := e.get(e.authorizeURL(q))
			loc, _ := url.Parse(resp.Header.Get("Location"))
			return resp.StatusCode == http.StatusFound && objectCode(loc.Query())
		},
		fault.JARAudUnchecked: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			obj := e.requestObject(nil, func(c map[string]any) { c["aud"] = "https://attacker.example.test" })
			return e.useObject(obj, nil).Get("code") == ""
		},
		fault.JARExpUnchecked: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			obj := e.requestObject(nil, func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Minute).Unix() })
			return e.useObject(obj, nil).Get("code") == ""
		},
	}
	for n, p := range jar {
		conformanceProbes[n] = p
	}
}

func TestRequestObjects(t *testing.T) {
	e := newEnv(t)
	md := e.metadata()
	if md["request_parameter_supported"] != true || md["request_uri_parameter_supported"] != true || listHas(md["request_object_signing_alg_values_supported"], "none") {
		t.Fatalf("metadata: %v %v %v", md["request_parameter_supported"], md["request_uri_parameter_supported"], md["request_object_signing_alg_values_supported"])
	}
	e.codeFlow("web", nil)
	got := e.useObject(e.requestObject(nil, nil), nil)
	if !objectCode(got) {
		t.Fatalf("by value: %v", got)
	}
	if resp, m := e.redeem(got.Get("code")); resp.StatusCode != http.StatusOK {
		t.Fatalf("redeem: %v", m)
	}
	// By reference, from a loopback listener.
	uri := serveObject(t, e.requestObject(nil, nil))
	resp, _ := e.get(e.authorizeURL(url.Values{"client_id": {"web"}, "request_uri": {uri}}))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || !objectCode(loc.Query()) {
		t.Fatalf("by reference: %d %v", resp.StatusCode, loc)
	}
	// Not from another host.
	resp, _ = e.get(e.authorizeURL(url.Values{"client_id": {"web"}, "request_uri": {"https://example.com/r.jwt"}}))
	if resp.StatusCode == http.StatusFound {
		t.Errorf("a request_uri of another host was fetched")
	}
	// A redirect_uri only in the object (the OIDF module
	// oidcc-ensure-request-object-with-redirect-uri).
	if got := e.useObject(e.requestObject(nil, nil), nil); got.Get("code") == "" {
		t.Errorf("redirect_uri only in the object: %v", got)
	}
}

func encodeUnsigned(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(b) + "."
}
