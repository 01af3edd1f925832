package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// raceRefresh sends n refresh requests with one token at once and returns
// how many succeeded.
func (e *env) raceRefresh(clientID, rt string, n int) int {
	e.t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
	codes := make([]int, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodPost, e.url+"/token", strings.NewReader(form.Encode()))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(e.secretOf(clientID)))
			<-start
			resp, err := e.hc.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	wins := 0
	for i := range n {
		if errs[i] != nil {
			e.t.Fatal(errs[i])
		}
		if codes[i] == http.StatusOK {
			wins++
		}
	}
	return wins
}

func TestRefreshSecureDefaults(t *testing.T) {
	t.Run("confidential clients must authenticate", func(t *testing.T) {
		e := newEnv(t)
		_, rt := e.webGrant()
		for name, f := range map[string]struct {
			id, secret string
			form       url.Values
		}{
			"client_id only":  {"", "", url.Values{"client_id": {"web"}}},
			"nothing":         {"", "", url.Values{}},
			"wrong secret":    {"web", "wrong", url.Values{}},
			"wrong post auth": {"", "", url.Values{"client_id": {"web"}, "client_secret": {"wrong"}}},
		} {
			f.form.Set("grant_type", "refresh_token")
			f.form.Set("refresh_token", rt)
			if resp, m := e.post("/token", f.id, f.secret, f.form); resp.StatusCode != 401 || m["error"] != "invalid_client" {
				t.Errorf("%s: %d %v", name, resp.StatusCode, m)
			}
		}
		// Nothing was burnt.
		if resp, m := e.refresh("web", rt); resp.StatusCode != 200 {
			t.Fatalf("refresh: %d %v", resp.StatusCode, m)
		}
	})
	t.Run("bound to its client", func(t *testing.T) {
		e := newEnv(t)
		_, rt := e.webGrant()
		if !isInvalidGrant(e.refresh("web2", rt)) {
			t.Fatal("web2 used web's refresh token")
		}
		if resp, _ := e.refresh("web", rt); resp.StatusCode != 200 {
			t.Fatal("the refused attempt burnt the token")
		}
	})
	t.Run("rotation, no grace, replay revokes the grant", func(t *testing.T) {
		for _, client := range []string{"web", "spa"} {
			t.Run(client, func(t *testing.T) {
				e := newEnv(t)
				grant := e.webGrant
				if client == "spa" {
					grant = e.spaGrant
				}
				at1, rt1 := grant()
				resp, m := e.refresh(client, rt1)
				rt2, _ := m["refresh_token"].(string)
				at2, _ := m["access_token"].(string)
				if resp.StatusCode != 200 || rt2 == "" || rt2 == rt1 || at2 == "" {
					t.Fatalf("refresh: %d %v", resp.StatusCode, m)
				}
				if e.introspect(rt1)["active"] != false || e.introspect(rt2)["active"] != true {
					t.Fatal("introspection does not reflect the rotation")
				}
				// Immediately: no grace period. The replay revokes the grant.
				if !isInvalidGrant(e.refresh(client, rt1)) {
					t.Fatal("rotated-out token accepted")
				}
				if !isInvalidGrant(e.refresh(client, rt2)) {
					t.Fatal("active refresh token survived the replay")
				}
				for _, at := range []string{at1, at2} {
					if r, _ := e.me(at); r.StatusCode != 401 || e.introspect(at)["active"] != false {
						t.Fatal("an access token of the grant survived the replay")
					}
				}
				if e.introspect(rt2)["active"] != false {
					t.Fatal("the active refresh token introspects as active after the replay")
				}
			})
		}
	})
	t.Run("broader scope refused", func(t *testing.T) {
		e := newEnv(t)
		_, rt := e.webGrant() // api.read openid
		for _, sc := range []string{"api.read openid oauthconform.broader", "openid email", "offline_access"} {
			if resp, m := e.refresh("web", rt, "scope", sc); resp.StatusCode != 400 || m["error"] != "invalid_scope" {
				t.Errorf("scope %q: %d %v", sc, resp.StatusCode, m)
			}
		}
		if resp, m := e.refresh("web", rt, "scope", "openid"); resp.StatusCode != 200 || m["scope"] != "openid" {
			t.Fatalf("narrower: %d %v", resp.StatusCode, m)
		}
	})
	t.Run("concurrent refreshes: exactly one wins", func(t *testing.T) {
		e := newEnv(t)
		for range 3 {
			_, rt := e.webGrant()
			if wins := e.raceRefresh("web", rt, 8); wins != 1 {
				t.Fatalf("%d of 8 racing refreshes succeeded", wins)
			}
		}
	})
	t.Run("public client with client_id only", func(t *testing.T) {
		e := newEnv(t)
		_, rt := e.spaGrant()
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"spa"}})
		if resp.StatusCode != 200 || m["access_token"] == nil || m["refresh_token"] == rt {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		// ... but with that client's own tokens only.
		_, webRT := e.webGrant()
		if !isInvalidGrant(e.refresh("spa", webRT)) {
			t.Fatal("spa used web's refresh token")
		}
	})
	t.Run("no-store and token format", func(t *testing.T) {
		e := newEnv(t)
		re := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
		seen := map[string]bool{}
		_, rt := e.webGrant()
		for range 5 {
			resp, m := e.refresh("web", rt)
			if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache" {
				t.Fatalf("%d %v %v", resp.StatusCode, resp.Header, m)
			}
			rt = m["refresh_token"].(string)
			if !re.MatchString(rt) || seen[rt] {
				t.Fatalf("refresh token %q", rt)
			}
			seen[rt] = true
		}
		// Errors of the refresh grant are not cached either.
		resp, _ := e.refresh("web", "nope")
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache" {
			t.Fatalf("error headers %v", resp.Header)
		}
	})
}

func TestRefreshFaults(t *testing.T) {
	t.Run("refresh_no_cache_headers spares the other grants", func(t *testing.T) {
		e := newEnv(t, fault.RefreshNoCacheHeaders)
		_, rt := e.webGrant()
		resp, _ := e.refresh("web", rt)
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "" || resp.Header.Get("Pragma") != "" {
			t.Fatalf("refresh: %d %v", resp.StatusCode, resp.Header)
		}
		cc, _ := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		code, _ := e.redeem(e.codeFlow("web", nil).Get("code"))
		for _, r := range []*http.Response{cc, code} {
			if r.StatusCode != 200 || r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Pragma") != "no-cache" {
				t.Fatalf("other grant: %d %v", r.StatusCode, r.Header)
			}
		}
	})
	t.Run(string(fault.RefreshNotClientBound), func(t *testing.T) {
		e := newEnv(t, fault.RefreshNotClientBound)
		_, rt := e.webGrant()
		resp, m := e.refresh("web2", rt)
		if resp.StatusCode != 200 || m["access_token"] == nil {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		// Client authentication is still required.
		if resp, _ := e.post("/token", "web2", "wrong", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}}); resp.StatusCode != 401 {
			t.Fatalf("wrong secret: %d", resp.StatusCode)
		}
	})
	t.Run("refresh_without_auth only for refresh", func(t *testing.T) {
		e := newEnv(t, fault.RefreshWithoutAuth)
		_, rt := e.webGrant()
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"web"}})
		if resp.StatusCode != 200 || m["access_token"] == nil {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if resp, _ := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}}); resp.StatusCode != 401 {
			t.Fatalf("client_credentials without secret: %d", resp.StatusCode)
		}
		if resp, _ := e.post("/token", "web", "wrong", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}}); resp.StatusCode != 401 {
			t.Fatalf("wrong secret: %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.RefreshNoRotation), func(t *testing.T) {
		e := newEnv(t, fault.RefreshNoRotation)
		_, rt := e.spaGrant()
		for range 3 {
			resp, m := e.refresh("spa", rt)
			if resp.StatusCode != 200 || m["refresh_token"] != rt {
				t.Fatalf("%d %v", resp.StatusCode, m)
			}
		}
		if e.introspect(rt)["active"] != true {
			t.Fatal("not active")
		}
	})
	t.Run(string(fault.RefreshReuseNotDetected), func(t *testing.T) {
		e := newEnv(t, fault.RefreshReuseNotDetected)
		at1, rt1 := e.spaGrant()
		_, m := e.refresh("spa", rt1)
		rt2 := m["refresh_token"].(string)
		if !isInvalidGrant(e.refresh("spa", rt1)) {
			t.Fatal("replay accepted")
		}
		if resp, _ := e.me(at1); resp.StatusCode != 200 {
			t.Fatal("grant revoked")
		}
		if resp, m := e.refresh("spa", rt2); resp.StatusCode != 200 {
			t.Fatalf("active token: %d %v", resp.StatusCode, m)
		}
	})
	t.Run(string(fault.RefreshScopeBroadened), func(t *testing.T) {
		e := newEnv(t, fault.RefreshScopeBroadened)
		_, rt := e.webGrant()
		resp, m := e.refresh("web", rt, "scope", "api.read openid oauthconform.broader")
		if resp.StatusCode != 200 || m["scope"] != "api.read oauthconform.broader openid" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		_, c, ok := decodeJWT(m["access_token"].(string))
		if !ok || c["scope"] != "api.read oauthconform.broader openid" {
			t.Fatalf("claims %v", c)
		}
		// The new refresh token keeps the grant's scope.
		if got := e.introspect(m["refresh_token"].(string))["scope"]; got != "api.read openid" {
			t.Fatalf("refresh token scope %v", got)
		}
	})
	t.Run(string(fault.RefreshGracePeriod), func(t *testing.T) {
		e := newEnv(t, fault.RefreshGracePeriod)
		_, rt := e.webGrant()
		if wins := e.raceRefresh("web", rt, 2); wins != 2 {
			t.Fatalf("%d of 2 racing refreshes succeeded", wins)
		}
		e.clock.Advance(9 * time.Second)
		resp, m := e.refresh("web", rt)
		if resp.StatusCode != 200 {
			t.Fatalf("within the grace period: %d %v", resp.StatusCode, m)
		}
		active := m["refresh_token"].(string)
		e.clock.Advance(2 * time.Second)
		if !isInvalidGrant(e.refresh("web", rt)) {
			t.Fatal("accepted after the grace period")
		}
		// ... and then reuse detection applies.
		if !isInvalidGrant(e.refresh("web", active)) {
			t.Fatal("grant not revoked after a late replay")
		}
	})
	t.Run(string(fault.WeakRefreshTokens), func(t *testing.T) {
		e := newEnv(t, fault.WeakRefreshTokens)
		re := regexp.MustCompile(`^[0-9a-f]{8}$`)
		for i := uint32(1); i <= 4; i++ {
			_, rt := e.webGrant()
			if want := fmt.Sprintf("%08x", i*3266489917); rt != want || !re.MatchString(rt) {
				t.Fatalf("refresh token %q, want %q", rt, want)
			}
		}
		_, rt := e.webGrant()
		if resp, m := e.refresh("web", rt); resp.StatusCode != 200 || !re.MatchString(m["refresh_token"].(string)) {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run(string(fault.RefreshNonVschar), func(t *testing.T) {
		e := newEnv(t, fault.RefreshNonVschar)
		_, rt := e.webGrant()
		if !strings.HasSuffix(rt, "é") || !isVSCHAR(strings.TrimSuffix(rt, "é")) {
			t.Fatalf("refresh token %q", rt)
		}
		if resp, m := e.refresh("web", rt); resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if at, _ := e.webGrant(); !isVSCHAR(at) {
			t.Fatal("access token affected")
		}
	})
	t.Run(string(fault.RefreshPublicRefused), func(t *testing.T) {
		e := newEnv(t, fault.RefreshPublicRefused)
		_, rt := e.spaGrant()
		if resp, m := e.refresh("spa", rt); resp.StatusCode != 401 || m["error"] != "invalid_client" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		_, webRT := e.webGrant()
		if resp, _ := e.refresh("web", webRT); resp.StatusCode != 200 {
			t.Fatal("confidential refresh refused")
		}
	})
}

func TestRevocationSecureDefaults(t *testing.T) {
	t.Run("POST only", func(t *testing.T) {
		e := newEnv(t)
		_, rt := e.webGrant()
		resp, _ := e.do(http.MethodGet, "/revoke?"+url.Values{"token": {rt}}.Encode(), "web", e.sec.Web, nil)
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		if resp, _ := e.refresh("web", rt); resp.StatusCode != 200 {
			t.Fatal("GET revoked the token")
		}
	})
	t.Run("confidential clients must authenticate", func(t *testing.T) {
		e := newEnv(t)
		at, rt := e.webGrant()
		for name, f := range map[string]struct {
			id, secret string
			form       url.Values
		}{
			"client_id only": {"", "", url.Values{"client_id": {"web"}}},
			"nothing":        {"", "", url.Values{}},
			"wrong secret":   {"web", "wrong", url.Values{}},
		} {
			for _, tok := range []string{at, rt} {
				f.form.Set("token", tok)
				if resp, m := e.post("/revoke", f.id, f.secret, f.form); resp.StatusCode != 401 || m["error"] != "invalid_client" {
					t.Errorf("%s: %d %v", name, resp.StatusCode, m)
				}
			}
		}
		if e.introspect(at)["active"] != true || e.introspect(rt)["active"] != true {
			t.Fatal("an unauthenticated request revoked something")
		}
	})
	t.Run("another client's token is refused, nothing revoked", func(t *testing.T) {
		e := newEnv(t)
		at, rt := e.webGrant()
		for _, caller := range []string{"web2", "spa", "svc"} {
			for _, tok := range []string{at, rt} {
				if resp, m := e.revoke(caller, tok); resp.StatusCode != 400 || m["error"] != "unauthorized_client" {
					t.Errorf("%s: %d %v", caller, resp.StatusCode, m)
				}
			}
		}
		if e.introspect(at)["active"] != true || e.introspect(rt)["active"] != true {
			t.Fatal("revoked by another client")
		}
	})
	t.Run("public client revokes its refresh token", func(t *testing.T) {
		e := newEnv(t)
		at, rt := e.spaGrant()
		if resp, _ := e.revoke("spa", rt); resp.StatusCode != 200 {
			t.Fatalf("%d", resp.StatusCode)
		}
		if !isInvalidGrant(e.refresh("spa", rt)) || e.introspect(at)["active"] != false {
			t.Fatal("not revoked")
		}
	})
	t.Run("unknown token and any hint", func(t *testing.T) {
		e := newEnv(t)
		for _, hint := range []string{"", "access_token", "refresh_token", "bogus"} {
			if resp, _ := e.revoke("web", "oauthconform-unknown-token", "token_type_hint", hint); resp.StatusCode != 200 {
				t.Errorf("hint %q: %d", hint, resp.StatusCode)
			}
		}
	})
	t.Run("wrong or unknown hint still revokes", func(t *testing.T) {
		e := newEnv(t)
		for _, hint := range []string{"access_token", "bogus"} {
			at, rt := e.webGrant()
			if resp, _ := e.revoke("web", rt, "token_type_hint", hint); resp.StatusCode != 200 || !isInvalidGrant(e.refresh("web", rt)) {
				t.Errorf("refresh token, hint %q", hint)
			}
			if e.introspect(at)["active"] != false {
				t.Errorf("hint %q: grant's access token survived", hint)
			}
		}
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web", at, "token_type_hint", "refresh_token"); resp.StatusCode != 200 || e.introspect(at)["active"] != false {
			t.Error("access token with hint refresh_token")
		}
		if resp, _ := e.me(at); resp.StatusCode != 401 {
			t.Error("revoked access token works at the resource")
		}
		// Revoking an access token leaves the refresh token alone.
		if resp, _ := e.refresh("web", rt); resp.StatusCode != 200 {
			t.Error("refresh token revoked with the access token")
		}
	})
}

func TestRevocationFaults(t *testing.T) {
	t.Run(string(fault.RevocationIgnoredRefresh), func(t *testing.T) {
		e := newEnv(t, fault.RevocationIgnoredRefresh)
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
		if e.introspect(at)["active"] != true {
			t.Fatal("access token revoked")
		}
		if resp, _ := e.refresh("web", rt); resp.StatusCode != 200 {
			t.Fatal("refresh token revoked")
		}
		// Access tokens are still revocable.
		if resp, _ := e.revoke("web", at); resp.StatusCode != 200 || e.introspect(at)["active"] != false {
			t.Fatal("access token revocation broken")
		}
	})
	t.Run(string(fault.RevocationIgnoredAccess), func(t *testing.T) {
		e := newEnv(t, fault.RevocationIgnoredAccess)
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web", at); resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
		if r, _ := e.me(at); r.StatusCode != 200 || e.introspect(at)["active"] != true {
			t.Fatal("access token revoked")
		}
		if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 || !isInvalidGrant(e.refresh("web", rt)) {
			t.Fatal("refresh token revocation broken")
		}
	})
	t.Run(string(fault.RevocationKeepsAccessTokens), func(t *testing.T) {
		e := newEnv(t, fault.RevocationKeepsAccessTokens)
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
		if !isInvalidGrant(e.refresh("web", rt)) || e.introspect(rt)["active"] != false {
			t.Fatal("refresh token not revoked")
		}
		if r, _ := e.me(at); r.StatusCode != 200 || e.introspect(at)["active"] != true {
			t.Fatal("access token revoked")
		}
	})
	t.Run(string(fault.RevocationUnauthenticated), func(t *testing.T) {
		e := newEnv(t, fault.RevocationUnauthenticated)
		at, rt := e.webGrant()
		if resp, _ := e.post("/revoke", "", "", url.Values{"token": {at}}); resp.StatusCode != 200 || e.introspect(at)["active"] != false {
			t.Fatal("nothing: not revoked")
		}
		if resp, _ := e.post("/revoke", "", "", url.Values{"token": {rt}, "client_id": {"web"}}); resp.StatusCode != 200 || e.introspect(rt)["active"] != false {
			t.Fatal("client_id only: not revoked")
		}
		// Presented credentials are still checked, and a named client must own the token.
		at2, rt2 := e.webGrant()
		if resp, _ := e.post("/revoke", "web", "wrong", url.Values{"token": {at2}}); resp.StatusCode != 401 {
			t.Fatalf("wrong secret: %d", resp.StatusCode)
		}
		if resp, m := e.post("/revoke", "", "", url.Values{"token": {rt2}, "client_id": {"web2"}}); resp.StatusCode != 400 || m["error"] != "unauthorized_client" {
			t.Fatalf("another client named: %d %v", resp.StatusCode, m)
		}
		if e.introspect(at2)["active"] != true || e.introspect(rt2)["active"] != true {
			t.Fatal("revoked")
		}
	})
	t.Run(string(fault.RevocationAnyClient), func(t *testing.T) {
		e := newEnv(t, fault.RevocationAnyClient)
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web2", at); resp.StatusCode != 200 || e.introspect(at)["active"] != false {
			t.Fatal("access token")
		}
		if resp, _ := e.revoke("spa", rt); resp.StatusCode != 200 || !isInvalidGrant(e.refresh("web", rt)) {
			t.Fatal("refresh token")
		}
		// Authentication is still required.
		_, rt2 := e.webGrant()
		if resp, _ := e.post("/revoke", "", "", url.Values{"token": {rt2}, "client_id": {"web2"}}); resp.StatusCode != 401 {
			t.Fatalf("unauthenticated: %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.RevocationUnknownTokenError), func(t *testing.T) {
		e := newEnv(t, fault.RevocationUnknownTokenError)
		if resp, m := e.revoke("web", "oauthconform-unknown-token"); resp.StatusCode != 400 || m["error"] != "invalid_request" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		_, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 {
			t.Fatal("known token")
		}
	})
	t.Run(string(fault.RevocationHintStrict), func(t *testing.T) {
		e := newEnv(t, fault.RevocationHintStrict)
		at, rt := e.webGrant()
		for tok, hint := range map[string]string{rt: "access_token", at: "refresh_token"} {
			if resp, m := e.revoke("web", tok, "token_type_hint", hint); resp.StatusCode != 400 || m["error"] != "unsupported_token_type" {
				t.Fatalf("hint %s: %d %v", hint, resp.StatusCode, m)
			}
		}
		if e.introspect(at)["active"] != true || e.introspect(rt)["active"] != true {
			t.Fatal("revoked despite the error")
		}
		if resp, _ := e.revoke("web", at, "token_type_hint", "access_token"); resp.StatusCode != 200 || e.introspect(at)["active"] != false {
			t.Fatal("matching hint")
		}
		if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 || e.introspect(rt)["active"] != false {
			t.Fatal("no hint")
		}
	})
	t.Run(string(fault.RevocationGetAllowed), func(t *testing.T) {
		e := newEnv(t, fault.RevocationGetAllowed)
		at, rt := e.webGrant()
		if resp, _ := e.do(http.MethodGet, "/revoke?"+url.Values{"token": {rt}}.Encode(), "web", e.sec.Web, nil); resp.StatusCode != 200 {
			t.Fatalf("GET: %d", resp.StatusCode)
		}
		if !isInvalidGrant(e.refresh("web", rt)) || e.introspect(at)["active"] != false {
			t.Fatal("GET did not revoke")
		}
		if resp, _ := e.do(http.MethodGet, "/revoke?token=x", "", "", nil); resp.StatusCode != 401 {
			t.Fatalf("unauthenticated GET: %d", resp.StatusCode)
		}
		if resp, _ := e.do(http.MethodPut, "/revoke", "web", e.sec.Web, url.Values{"token": {"x"}}); resp.StatusCode != 405 {
			t.Fatalf("PUT: %d", resp.StatusCode)
		}
	})
}

func TestIntrospectionSecureDefaults(t *testing.T) {
	e := newEnv(t)
	at, rt := e.webGrant()
	raw := func(tok string) string {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/introspect", strings.NewReader(url.Values{"token": {tok}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("svc", url.QueryEscape(e.sec.Service))
		resp, err := e.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		return readBody(t, resp)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw(at)), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"client_id", "scope", "sub", "exp", "iat", "iss", "token_type", "aud"} {
		if _, ok := m[k]; !ok {
			t.Errorf("access token: no %s in %v", k, m)
		}
	}
	if m["active"] != true || m["client_id"] != "web" || m["sub"] != "user-alice" || m["scope"] != "api.read openid" || m["token_type"] != "Bearer" {
		t.Errorf("access token: %v", m)
	}
	if !strings.Contains(raw(at), `"active":true`) || strings.TrimSpace(raw("nope")) != `{"active":false}` {
		t.Error("active is not a JSON boolean")
	}
	m = e.introspect(rt)
	if m["active"] != true || m["client_id"] != "web" || m["sub"] != "user-alice" || m["scope"] != "api.read openid" || m["token_type"] != "refresh_token" {
		t.Errorf("refresh token: %v", m)
	}
	// GET is refused.
	if resp, m := e.do(http.MethodGet, "/introspect?"+url.Values{"token": {at}}.Encode(), "svc", e.sec.Service, nil); resp.StatusCode != 405 || m["active"] != nil {
		t.Errorf("GET: %d %v", resp.StatusCode, m)
	}
	// Revoked (refresh token, and its grant's access token): only active false.
	if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	for _, tok := range []string{at, rt} {
		if got := strings.TrimSpace(raw(tok)); got != `{"active":false}` {
			t.Errorf("revoked: %s", got)
		}
	}
	// Expired.
	at2, rt2 := e.webGrant()
	e.clock.Advance(25 * time.Hour)
	for _, tok := range []string{at2, rt2} {
		if got := strings.TrimSpace(raw(tok)); got != `{"active":false}` {
			t.Errorf("expired: %s", got)
		}
	}
}

func TestIntrospectionFaults(t *testing.T) {
	t.Run(string(fault.IntrospectionActiveString), func(t *testing.T) {
		e := newEnv(t, fault.IntrospectionActiveString)
		at, _ := e.webGrant()
		if m := e.introspect(at); m["active"] != "true" || m["client_id"] != "web" {
			t.Fatalf("%v", m)
		}
		if m := e.introspect("nope"); m["active"] != "false" || len(m) != 1 {
			t.Fatalf("%v", m)
		}
	})
	t.Run(string(fault.IntrospectionUnauthenticated), func(t *testing.T) {
		e := newEnv(t, fault.IntrospectionUnauthenticated)
		at, _ := e.webGrant()
		for _, f := range []url.Values{{"token": {at}}, {"token": {at}, "client_id": {"spa"}}, {"token": {at}, "client_id": {"web"}}} {
			if resp, m := e.post("/introspect", "", "", f); resp.StatusCode != 200 || m["active"] != true {
				t.Fatalf("%v: %d %v", f, resp.StatusCode, m)
			}
		}
		if resp, _ := e.post("/introspect", "svc", "wrong", url.Values{"token": {at}}); resp.StatusCode != 401 {
			t.Fatalf("wrong secret: %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.IntrospectionInactiveLeaks), func(t *testing.T) {
		e := newEnv(t, fault.IntrospectionInactiveLeaks)
		at, rt := e.webGrant()
		if m := e.introspect(at); m["active"] != true {
			t.Fatalf("%v", m)
		}
		if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
		if m := e.introspect(rt); m["active"] != false || m["client_id"] != "web" || m["scope"] != "api.read openid" {
			t.Fatalf("revoked: %v", m)
		}
		if m := e.introspect("nope"); m["active"] != false || m["client_id"] != "svc" || m["scope"] == nil {
			t.Fatalf("unknown: %v", m)
		}
	})
	t.Run(string(fault.IntrospectionIgnoresRevocation), func(t *testing.T) {
		e := newEnv(t, fault.IntrospectionIgnoresRevocation)
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt); resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
		if e.introspect(at)["active"] != true || e.introspect(rt)["active"] != true {
			t.Fatal("revocation seen")
		}
		// Only introspection is wrong: the tokens are revoked.
		if r, _ := e.me(at); r.StatusCode != 401 || !isInvalidGrant(e.refresh("web", rt)) {
			t.Fatal("tokens still work")
		}
		// Expiry still counts.
		at2, _ := e.webGrant()
		e.clock.Advance(11 * time.Minute)
		if e.introspect(at2)["active"] != false {
			t.Fatal("expired token active")
		}
	})
	t.Run(string(fault.IntrospectionWrongClientID), func(t *testing.T) {
		e := newEnv(t, fault.IntrospectionWrongClientID)
		at, rt := e.webGrant()
		if m := e.introspect(at); m["active"] != true || m["client_id"] != "bew" {
			t.Fatalf("%v", m)
		}
		if m := e.introspect(rt); m["client_id"] != "bew" {
			t.Fatalf("%v", m)
		}
	})
	t.Run(string(fault.IntrospectionRefreshUnsupported), func(t *testing.T) {
		e := newEnv(t, fault.IntrospectionRefreshUnsupported)
		at, rt := e.webGrant()
		if m := e.introspect(rt); len(m) != 1 || m["active"] != false {
			t.Fatalf("%v", m)
		}
		if e.introspect(at)["active"] != true {
			t.Fatal("access token")
		}
		if resp, _ := e.refresh("web", rt); resp.StatusCode != 200 {
			t.Fatal("refresh token unusable")
		}
	})
	t.Run(string(fault.IntrospectionGetAllowed), func(t *testing.T) {
		e := newEnv(t, fault.IntrospectionGetAllowed)
		at, _ := e.webGrant()
		resp, m := e.do(http.MethodGet, "/introspect?"+url.Values{"token": {at}}.Encode(), "svc", e.sec.Service, nil)
		if resp.StatusCode != 200 || m["active"] != true {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if resp, _ := e.do(http.MethodGet, "/introspect?"+url.Values{"token": {at}}.Encode(), "", "", nil); resp.StatusCode != 401 {
			t.Fatalf("unauthenticated GET: %d", resp.StatusCode)
		}
	})
}

func TestDiscoverySecureDefaults(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			e := newEnvOpts(t, Options{SigningAlg: alg})
			resp, _ := e.get("/.well-known/oauth-authorization-server")
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			md := e.metadata()
			for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint"} {
				if s, _ := md[k].(string); s == "" {
					t.Errorf("no %s", k)
				}
			}
			// No implicit grant (RFC 9700 §2.1.2): neither its response types nor its grant type
			// (id_token alone issues no access token).
			if rt, _ := md["response_types_supported"].([]any); len(rt) != 3 || rt[0] != "code" || rt[1] != "code id_token" || rt[2] != "id_token" {
				t.Errorf("response_types_supported %v", md["response_types_supported"])
			}
			if listHas(md["grant_types_supported"], "implicit") {
				t.Errorf("grant_types_supported %v", md["grant_types_supported"])
			}
			if m, _ := md["code_challenge_methods_supported"].([]any); len(m) != 1 || m[0] != "S256" {
				t.Errorf("code_challenge_methods_supported %v", md["code_challenge_methods_supported"])
			}
			if listHas(md["grant_types_supported"], "password") || !listHas(md["grant_types_supported"], "refresh_token") {
				t.Errorf("grant_types_supported %v", md["grant_types_supported"])
			}
			for _, c := range []string{"web", "svc"} {
				resp, m := e.token(c, url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
				if resp.StatusCode != 400 || m["error"] != "unsupported_grant_type" {
					t.Errorf("password grant for %s: %d %v", c, resp.StatusCode, m)
				}
			}
			keys, _ := e.jwks()
			seen := map[string]bool{}
			for _, k := range keys {
				kid, _ := k["kid"].(string)
				if kid == "" || seen[kid] {
					t.Errorf("kid %q", kid)
				}
				seen[kid] = true
			}
		})
	}
}

func TestDiscoveryFaults(t *testing.T) {
	t.Run(string(fault.MetadataWrongContentType), func(t *testing.T) {
		e := newEnv(t, fault.MetadataWrongContentType)
		resp, _ := e.get("/.well-known/oauth-authorization-server")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if e.metadata()["issuer"] != e.url {
			t.Fatal("body is not the metadata")
		}
	})
	t.Run(string(fault.MetadataMissingResponseTypes), func(t *testing.T) {
		e := newEnv(t, fault.MetadataMissingResponseTypes)
		md := e.metadata()
		if _, ok := md["response_types_supported"]; ok || md["token_endpoint"] == nil {
			t.Fatalf("%v", md)
		}
	})
	t.Run(string(fault.MetadataNoPKCEMethods), func(t *testing.T) {
		e := newEnv(t, fault.MetadataNoPKCEMethods)
		if _, ok := e.metadata()["code_challenge_methods_supported"]; ok {
			t.Fatal("present")
		}
		// PKCE itself still works, S256 only.
		if e.authzError(webAuthz("code_challenge", oauth2.GenerateVerifier(), "code_challenge_method", "plain")).Get("error") != "invalid_request" {
			t.Fatal("plain accepted")
		}
		e.spaGrant()
	})
	t.Run(string(fault.MetadataOmitsTokenResponseType), func(t *testing.T) {
		e := newEnv(t, fault.MetadataOmitsTokenResponseType)
		if rt, _ := e.metadata()["response_types_supported"].([]any); len(rt) != 3 || rt[0] != "code" || rt[1] != "code id_token" || rt[2] != "id_token" {
			t.Fatalf("%v", rt)
		}
		e.implicitToken()
	})
	t.Run(string(fault.JWKSDuplicateKid), func(t *testing.T) {
		for _, alg := range []string{"RS256", "ES256"} {
			e := newEnvOpts(t, Options{SigningAlg: alg, Faults: []fault.Name{fault.JWKSDuplicateKid}})
			raw, set := e.jwks()
			if len(set.Keys) != 2 || set.Keys[0].KeyID != set.Keys[1].KeyID || !set.Keys[0].IsPublic() || !set.Keys[1].IsPublic() || !set.Keys[1].Valid() {
				t.Fatalf("%s: %v", alg, raw)
			}
			a, _ := json.Marshal(set.Keys[0])
			b, _ := json.Marshal(set.Keys[1])
			if string(a) == string(b) {
				t.Fatal("same key twice")
			}
			// Tokens are signed with the first key and work at the resource.
			tok := e.ccAccess()
			h, _, _ := decodeJWT(tok)
			if h.KeyID != set.Keys[0].KeyID {
				t.Fatal("kid")
			}
			if resp, _ := e.me(tok); resp.StatusCode != 200 {
				t.Fatal("resource")
			}
		}
	})
	t.Run(string(fault.PasswordGrantEnabled), func(t *testing.T) {
		e := newEnv(t, fault.PasswordGrantEnabled)
		if !listHas(e.metadata()["grant_types_supported"], "password") {
			t.Fatal("not advertised")
		}
		resp, m := e.token("web", url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {e.sec.AlicePassword}, "scope": {"openid api.read"}})
		if resp.StatusCode != 200 || m["scope"] != "api.read openid" || m["refresh_token"] == nil {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if r, me := e.me(m["access_token"].(string)); r.StatusCode != 200 || me["sub"] != "user-alice" {
			t.Fatalf("resource: %d %v", r.StatusCode, me)
		}
		if resp, m := e.token("web", url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {"wrong"}}); !isInvalidGrant(resp, m) {
			t.Fatalf("wrong password: %d %v", resp.StatusCode, m)
		}
		if resp, m := e.token("web", url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {e.sec.AlicePassword}, "scope": {"admin"}}); m["error"] != "invalid_scope" {
			t.Fatalf("bad scope: %d %v", resp.StatusCode, m)
		}
		if resp, m := e.post("/token", "", "", url.Values{"grant_type": {"password"}, "client_id": {"spa"}, "username": {"alice"}, "password": {e.sec.AlicePassword}}); resp.StatusCode != 400 || m["error"] != "unauthorized_client" {
			t.Fatalf("public client: %d %v", resp.StatusCode, m)
		}
		if resp, _ := e.post("/token", "", "", url.Values{"grant_type": {"password"}, "client_id": {"web"}, "username": {"alice"}, "password": {e.sec.AlicePassword}}); resp.StatusCode != 401 {
			t.Fatalf("unauthenticated: %d", resp.StatusCode)
		}
	})
}

// pagesOf returns the login page, the consent page and an error page of
// /authorize, and the redirect of the login POST.
func pagesOf(e *env) map[string]*http.Response {
	e.t.Helper()
	out := map[string]*http.Response{}
	resp, body := e.get(e.authorizeURL(webAuthz()))
	out["login"] = resp
	resp, _ = e.postForm("/login", url.Values{"req": {pendingID(e.t, body)}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
	out["login redirect"] = resp
	resp, body = e.get(resp.Header.Get("Location"))
	if !strings.Contains(body, `id="approve"`) {
		e.t.Fatalf("no consent page:\n%s", body)
	}
	out["consent"] = resp
	resp, body = e.get(e.authorizeURL(webAuthz("redirect_uri", "https://attacker.example/cb")))
	if !isErrorPage(resp, body) {
		e.t.Fatalf("no error page: %d", resp.StatusCode)
	}
	out["error"] = resp
	return out
}

func TestAuthorizePageHeaders(t *testing.T) {
	t.Run("secure", func(t *testing.T) {
		e := newEnv(t)
		for name, resp := range pagesOf(e) {
			t.Run(name, func(t *testing.T) { checkPageHeaders(t, resp) })
		}
		// No CORS, whatever the response.
		for name, p := range map[string]url.Values{
			"login page": webAuthz(), "error page": webAuthz("client_id", "nope"), "error redirect": webAuthz("scope", "admin"),
		} {
			resp := e.authorizeWithOrigin(p, "https://attacker.example")
			if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("%s: %v", name, resp.Header)
			}
		}
	})
	cases := []struct {
		fault              fault.Name
		xfo, csp, referrer bool
	}{
		{fault.FrameProtectionMissing, false, false, true},
		{fault.CSPFrameAncestorsMissing, true, false, true},
		{fault.XFrameOptionsMissing, false, true, true},
		{fault.ReferrerPolicyMissing, true, true, false},
	}
	for _, c := range cases {
		t.Run(string(c.fault), func(t *testing.T) {
			e := newEnv(t, c.fault)
			for name, resp := range pagesOf(e) {
				h := resp.Header
				if got := h.Get("X-Frame-Options") == "DENY"; got != c.xfo {
					t.Errorf("%s: X-Frame-Options %q", name, h.Get("X-Frame-Options"))
				}
				if got := strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors"); got != c.csp {
					t.Errorf("%s: CSP %q", name, h.Get("Content-Security-Policy"))
				}
				if got := h.Get("Referrer-Policy") == "no-referrer"; got != c.referrer {
					t.Errorf("%s: Referrer-Policy %q", name, h.Get("Referrer-Policy"))
				}
				if h.Get("Cache-Control") != "no-store" {
					t.Errorf("%s: Cache-Control %q", name, h.Get("Cache-Control"))
				}
			}
		})
	}
	t.Run(string(fault.AuthorizeCORS), func(t *testing.T) {
		e := newEnv(t, fault.AuthorizeCORS)
		for _, origin := range []string{"https://attacker.example", "null"} {
			resp := e.authorizeWithOrigin(webAuthz(), origin)
			if resp.Header.Get("Access-Control-Allow-Origin") != origin || resp.Header.Get("Access-Control-Allow-Credentials") != "true" {
				t.Errorf("%s: %v", origin, resp.Header)
			}
		}
		resp, _ := e.get(e.authorizeURL(webAuthz()))
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Error("CORS headers without Origin")
		}
		checkPageHeaders(t, resp)
	})
}
