package mockserver

import (
	"net/url"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// hybrid runs response_type "code id_token" for web (scope openid, state
// s, PKCE S256) with the extra parameters and returns the query and the
// fragment of the callback.
func (e *env) hybrid(extra url.Values) (query, fragment url.Values) {
	e.t.Helper()
	p := url.Values{"response_type": {"code id_token"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI},
		"scope": {"openid"}, "state": {"s"}, "code_challenge": {s256("hybrid-verifier-0123456789012345678901234567890")}, "code_challenge_method": {"S256"}}
	for k, v := range extra {
		p[k] = v
	}
	return callbackParams(e.browse(e.authorizeURL(p)))
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.IDTokenNoCHash: func(t *testing.T, e *env) bool {
			q, f := e.hybrid(url.Values{"nonce": {"n-hybrid"}})
			if len(q) != 0 || f.Get("code") == "" || f.Get("id_token") == "" {
				t.Fatalf("code id_token: query %v fragment %v", q, f)
			}
			c := idClaims(t, f.Get("id_token"))
			return c["c_hash"] == leftHalfSHA256(f.Get("code")) && c["nonce"] == "n-hybrid"
		},
		fault.HybridIDTokenNonceDropped: func(t *testing.T, e *env) bool {
			_, f := e.hybrid(url.Values{"nonce": {"n-front"}})
			return idClaims(t, f.Get("id_token"))["nonce"] == "n-front"
		},
		fault.HybridNonceOptional: func(t *testing.T, e *env) bool {
			q, f := e.hybrid(nil)
			return len(q) == 0 && f.Get("error") == "invalid_request" && f.Get("code") == "" && f.Get("id_token") == ""
		},
	}
	for name, p := range probes {
		conformanceProbes[name] = p
	}
}

// The code of a code id_token response redeems like any code, with the
// request's nonce in the token endpoint's ID Token.
func TestHybridCodeRedeems(t *testing.T) {
	e := newEnv(t)
	_, f := e.hybrid(url.Values{"nonce": {"n-redeem"}})
	resp, m := e.redeem(f.Get("code"), "code_verifier", "hybrid-verifier-0123456789012345678901234567890")
	idt, _ := m["id_token"].(string)
	if resp.StatusCode != 200 || idt == "" || idClaims(t, idt)["nonce"] != "n-redeem" {
		t.Fatalf("redeem: %d %v", resp.StatusCode, m)
	}
	if !listHas(e.metadata()["response_types_supported"], "code id_token") {
		t.Error("code id_token not advertised")
	}
}
