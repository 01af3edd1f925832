package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// openidConfiguration fetches /.well-known/openid-configuration.
func (e *env) openidConfiguration() map[string]any {
	e.t.Helper()
	_, body := e.get("/.well-known/openid-configuration")
	var md map[string]any
	if err := json.Unmarshal([]byte(body), &md); err != nil {
		e.t.Fatal(err)
	}
	return md
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.MetadataNoSubjectTypes: func(t *testing.T, e *env) bool {
			return listHas(e.openidConfiguration()["subject_types_supported"], "public")
		},
		fault.JWKSNotAKeySet: func(t *testing.T, e *env) bool {
			_, body := e.get("/jwks")
			var set struct{ Keys []map[string]any }
			return json.Unmarshal([]byte(body), &set) == nil && len(set.Keys) > 0
		},
		fault.MetadataScopesWithoutOpenID: func(t *testing.T, e *env) bool {
			return listHas(e.openidConfiguration()["scopes_supported"], "openid")
		},
		fault.MetadataNoUserinfoEndpoint: func(t *testing.T, e *env) bool {
			return e.openidConfiguration()["userinfo_endpoint"] == e.url+userinfoPath
		},
		fault.OpenIDConfigurationIssuerMismatch: func(t *testing.T, e *env) bool {
			return e.openidConfiguration()["issuer"] == e.url && e.metadata()["issuer"] == e.url
		},
		fault.JWKSEncKeyWithoutUse: func(t *testing.T, e *env) bool {
			raw, _ := e.jwks()
			for _, k := range raw {
				if k["use"] == nil {
					return false
				}
			}
			return true
		},
		fault.UserinfoWrongContentType: func(t *testing.T, e *env) bool {
			at, _ := e.userinfoGrant("openid")
			resp, m := e.userinfo(http.MethodGet, at, false)
			return strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && m["sub"] != nil
		},
	}
	for name, p := range probes {
		conformanceProbes[name] = p
	}
}
