package mockserver

import (
	"net/url"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// The logout requests of the OIDF RP-Initiated Logout plan without one of
// their parameters (LO-18..LO-21).
func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.LogoutRedirectWithoutURI: func(t *testing.T, e *env) bool {
			// Neither only state nor no parameters at all is redirected.
			resp, body := e.logout("state", "st")
			bare, bareBody := e.logout()
			return postLogoutTarget(resp, body) == "" && postLogoutTarget(bare, bareBody) == ""
		},
		fault.LogoutStateInvented: func(t *testing.T, e *env) bool {
			resp, body := e.loggedOutWithHint() // no state sent
			u, err := url.Parse(postLogoutTarget(resp, body))
			return err == nil && u.Host != "" && !u.Query().Has("state")
		},
		fault.LogoutKeepsSessionWithoutRedirect: func(t *testing.T, e *env) bool {
			raw := e.signedInIDToken(nil)["raw"].(string)
			u, _ := url.Parse(e.url)
			before := e.browser.Jar.Cookies(u)
			resp, body := e.logout("id_token_hint", raw)
			// The cookie the browser had: the session behind it must be gone.
			e.browser.Jar.SetCookies(u, before)
			return postLogoutTarget(resp, body) == "" && !e.sessionAlive()
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}
