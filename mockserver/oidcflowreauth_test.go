package mockserver

import (
	"net/url"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// flowAuthz is an OpenID Connect request of the web client for an ID Token
// in the fragment (response_type id_token), as the Implicit plan sends it;
// kv pairs override it.
func flowAuthz(kv ...string) url.Values {
	return oidcAuthz(append([]string{"response_type", "id_token", "nonce", "n-flow"}, kv...)...)
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.FlowPromptNoneLoginPage: func(t *testing.T, e *env) bool {
			return e.authzError(flowAuthz("prompt", "none")).Get("error") == "login_required"
		},
		fault.FlowPromptLoginIgnored: func(t *testing.T, e *env) bool {
			e.signedIn()
			return e.showsLogin(flowAuthz("prompt", "login"))
		},
		fault.FlowIDTokenHintRejected: func(t *testing.T, e *env) bool {
			raw := e.signedInIDToken(nil)["raw"].(string)
			return e.authzError(flowAuthz("prompt", "none", "id_token_hint", raw)).Get("id_token") != ""
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}

// The flows' faults leave the code flow's answers alone: OP-01, OP-03 and
// OP-08 pass under them.
func TestFlowReauthFaultsSpareTheCodeFlow(t *testing.T) {
	for _, f := range []fault.Name{fault.FlowPromptNoneLoginPage, fault.FlowPromptLoginIgnored, fault.FlowIDTokenHintRejected} {
		t.Run(string(f), func(t *testing.T) {
			probe := conformanceProbes[map[fault.Name]fault.Name{
				fault.FlowPromptNoneLoginPage: fault.PromptNoneLoginPage,
				fault.FlowPromptLoginIgnored:  fault.PromptLoginIgnored,
				fault.FlowIDTokenHintRejected: fault.IDTokenHintRejected,
			}[f]]
			if !probe(t, newEnv(t, f)) {
				t.Errorf("the code flow's probe fails under %s", f)
			}
		})
	}
}
