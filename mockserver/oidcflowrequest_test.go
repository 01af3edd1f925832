package mockserver

import (
	"net/url"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// The faults of the OpenID Connect flow families' requests break them for
// the requests of the Implicit, Hybrid and Form Post flows only.
func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.FlowRedirectURIUnchecked: func(t *testing.T, e *env) bool {
			e.signedIn()
			got := e.authzError(oidcAuthz("response_type", "code id_token", "nonce", "n-1", "redirect_uri", "https://attacker.example/cb"))
			return got.Get("code") == "" && got.Get("id_token") == ""
		},
		fault.FlowParamsRejected: func(t *testing.T, e *env) bool {
			e.signedIn()
			return e.authzError(oidcAuthz("response_type", "code id_token", "nonce", "n-1", "display", "popup")).Get("id_token") != ""
		},
		fault.FlowRequestObjectUnsignedAccepted: func(t *testing.T, e *env) bool {
			e.signedIn()
			obj := encodeUnsigned(t, map[string]any{"response_type": "code id_token", "client_id": "web", "redirect_uri": DefaultRedirectURI,
				"scope": "openid api.read", "state": "in-object", "nonce": "n-1"})
			q := url.Values{"client_id": {"web"}, "response_type": {"code id_token"}, "scope": {"openid"}, "request": {obj}}
			return e.authzError(q).Get("code") == ""
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}

// The plain code request is untouched by them: the Basic plan's checks
// pass under the faults.
func TestFlowRequestFaultsSpareTheCodeRequest(t *testing.T) {
	e := newEnv(t, fault.FlowRedirectURIUnchecked, fault.FlowParamsRejected, fault.FlowRequestObjectUnsignedAccepted)
	e.signedIn()
	if got := e.authzError(oidcAuthz("nonce", "n-1", "redirect_uri", "https://attacker.example/cb")); got.Get("code") != "" {
		t.Errorf("an unregistered redirect URI got a code for response_type=code: %v", got)
	}
	if got := e.authzError(oidcAuthz("nonce", "n-1", "display", "popup")); got.Get("code") == "" {
		t.Errorf("display refused for response_type=code: %v", got)
	}
	obj := encodeUnsigned(t, map[string]any{"response_type": "code", "client_id": "web", "redirect_uri": DefaultRedirectURI, "scope": "openid", "state": "in-object"})
	if got := e.useObject(obj, nil); got.Get("code") != "" {
		t.Errorf("an unsigned request object taken for response_type=code: %v", got)
	}
}
