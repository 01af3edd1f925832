package harness

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

// FuzzRedirectParams: the authorization response's parameters, from the
// query and the fragment of any redirect URL a target sends, never panic,
// and every parameter of a well-formed query is kept.
func FuzzRedirectParams(f *testing.F) {
	for _, s := range []string{
		"https://c.example/cb?code=abc&state=xyz",
		"https://c.example/cb#access_token=t&token_type=Bearer&state=s",
		"https://c.example/cb?error=access_denied&error_description=%E2%9C%93#x=1",
		"https://c.example/cb?code=a&code=b", "https://c.example/cb?%zz=1;a=b", "https://c.example/cb?#", "cb?a=%",
		"https://c.example/cb?state=" + strings.Repeat("%41", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		got := redirectParams(u)
		if want, err := url.ParseQuery(u.RawQuery); err == nil {
			for k, vs := range want {
				if len(got[k]) < len(vs) {
					t.Fatalf("query parameter %q lost: got %v, want at least %v", k, got[k], vs)
				}
			}
		}
	})
}

// FuzzExchangeJSON: a token response body of any bytes and content type is
// either judged (a JSON object, or left to the checks) or refused with a
// reason; JSON() never panics and notJSON never lets malformed JSON
// declared as JSON through.
func FuzzExchangeJSON(f *testing.F) {
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", `{"access_token":"a","token_type":"Bearer","expires_in":3600}`},
		{400, "application/json;charset=UTF-8", `{"error":"invalid_grant"}`},
		{200, "application/json", `{"access_token": "abc", "token_type": `},
		{200, "application/json", `["a"]`},
		{502, "text/html", "<html>Bad Gateway</html>"},
		{200, "application/x-www-form-urlencoded", "access_token=a&token_type=bearer"},
		{200, "", "  <!doctype html>"},
		{200, "application/json", "\xff\xfe{}"},
		{200, "application/json", `{"a":1e999999}`},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		x := &Exchange{Status: status, Body: body}
		m := x.JSON()
		cause := notJSON(status, ct, body)
		if m != nil && cause != "" && strings.Contains(cause, "malformed") {
			t.Fatalf("a JSON object was called malformed: %q", body)
		}
		if strings.Contains(strings.ToLower(ct), "json") && m == nil && cause == "" && len(strings.TrimSpace(string(body))) > 0 {
			t.Fatalf("declared JSON that is not an object passed unjudged: %q", body)
		}
	})
}

// FuzzJWTParts: any token string is a JWT with a decoded header and payload
// or not one; never a panic, never ok without both parts.
func FuzzJWTParts(f *testing.F) {
	enc := base64.RawURLEncoding.EncodeToString
	for _, s := range []string{
		enc([]byte(`{"alg":"RS256","typ":"at+jwt"}`)) + "." + enc([]byte(`{"iss":"x","exp":1}`)) + ".sig",
		"opaque-token", "a.b.c", "..", enc([]byte(`{}`)) + "." + enc([]byte(`[]`)) + ".",
		enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(`{"a":{"b":[1,2,{"c":null}]}}`)) + ".",
		"eyJ.eyJ.", strings.Repeat("a.", 1000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		h, p, ok := JWTParts(token)
		if ok && (h == nil || p == nil) {
			t.Fatalf("ok without a header or payload for %q", token)
		}
		if !ok && (h != nil || p != nil) {
			t.Fatalf("parts returned for a non-JWT %q", token)
		}
	})
}
