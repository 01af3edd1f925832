package mockserver

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// deviceAuth asks for a device authorization as clientID (HTTP Basic for a
// confidential client, client_id for a public one).
func (e *env) deviceAuth(clientID string) map[string]any {
	e.t.Helper()
	resp, m := e.clientPost(DeviceAuthorizationPath, clientID, url.Values{})
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("device authorization for %s: %d %v", clientID, resp.StatusCode, m)
	}
	return m
}

// devicePoll sends the device_code grant as clientID.
func (e *env) devicePoll(clientID, code string) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.clientPost("/token", clientID, url.Values{"grant_type": {DeviceGrantType}, "device_code": {code}})
}

var (
	csrfRe     = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	userCodeRe = regexp.MustCompile(`name="user_code" value="([^"]*)"`)
)

// deviceDecide signs in at the verification URI (when needed), enters the
// user code as typed and, when the confirmation page comes, decides. It
// reports whether the confirmation page came.
func (e *env) deviceDecide(typed, decision string) bool {
	e.t.Helper()
	resp, body := e.get(DeviceVerificationPath)
	if strings.Contains(body, `action="/login"`) {
		resp, _ = e.postForm("/login", url.Values{"req": {pendingID(e.t, body)}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
		resp, body = e.get(resp.Header.Get("Location"))
	}
	m := csrfRe.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		e.t.Fatalf("verification page: %d\n%s", resp.StatusCode, body)
	}
	_, body = e.postForm(DeviceVerificationPath, url.Values{"csrf": {m[1]}, "user_code": {typed}})
	if !strings.Contains(body, `id="approve"`) {
		return false
	}
	code := userCodeRe.FindStringSubmatch(body)[1]
	_, body = e.postForm(DeviceVerificationPath, url.Values{"csrf": {m[1]}, "user_code": {code}, "decision": {decision}})
	return strings.Contains(body, `id="device-done"`)
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.DeviceNoExpiresIn: func(t *testing.T, e *env) bool {
			m := e.deviceAuth(DeviceClientID)
			return m["device_code"] != nil && m["user_code"] != nil && m["verification_uri"] != nil && m["expires_in"] != nil
		},
		fault.DevicePendingWrongError: func(t *testing.T, e *env) bool {
			_, m := e.devicePoll(DeviceClientID, e.deviceAuth(DeviceClientID)["device_code"].(string))
			return m["error"] == "authorization_pending"
		},
		fault.DeviceNoSlowDown: func(t *testing.T, e *env) bool {
			code := e.deviceAuth(DeviceClientID)["device_code"].(string)
			e.devicePoll(DeviceClientID, code)
			_, m := e.devicePoll(DeviceClientID, code)
			return m["error"] == "slow_down"
		},
		fault.DeviceExpiryUnchecked: func(t *testing.T, e *env) bool {
			code := e.deviceAuth(ShortDeviceClientID)["device_code"].(string)
			e.clock.Advance(ShortDeviceCodeLifetime + 1)
			_, m := e.devicePoll(ShortDeviceClientID, code)
			return m["error"] == "expired_token"
		},
		fault.DeviceDenyIgnored: func(t *testing.T, e *env) bool {
			m := e.deviceAuth(DeviceClientID)
			if !e.deviceDecide(m["user_code"].(string), "deny") {
				t.Fatal("no confirmation page")
			}
			_, p := e.devicePoll(DeviceClientID, m["device_code"].(string))
			return p["error"] == "access_denied"
		},
		fault.DeviceCodeReuse: func(t *testing.T, e *env) bool {
			m := e.deviceAuth(DeviceClientID)
			e.deviceDecide(m["user_code"].(string), "approve")
			first, _ := e.devicePoll(DeviceClientID, m["device_code"].(string))
			again, p := e.devicePoll(DeviceClientID, m["device_code"].(string))
			return first.StatusCode == http.StatusOK && again.StatusCode == http.StatusBadRequest && p["access_token"] == nil
		},
		fault.DeviceWeakUserCode: func(t *testing.T, e *env) bool {
			code := e.deviceAuth(DeviceClientID)["user_code"].(string)
			return len(normUserCode(code)) >= 8
		},
		fault.DeviceUserCodeStrict: func(t *testing.T, e *env) bool {
			m := e.deviceAuth(DeviceClientID)
			typed := strings.ToLower(strings.ReplaceAll(m["user_code"].(string), "-", ""))
			return e.deviceDecide(typed, "approve")
		},
		fault.DeviceClientUnauthenticated: func(t *testing.T, e *env) bool {
			resp, _ := e.post(DeviceAuthorizationPath, "web", "wrong-secret", url.Values{})
			return resp.StatusCode == http.StatusUnauthorized
		},
	}
	for name, p := range probes {
		conformanceProbes[name] = p
	}
}

// The whole flow: pending, approval through verification_uri_complete's
// code, tokens once, a code of another client refused.
func TestDeviceFlow(t *testing.T) {
	e := newEnv(t)
	m := e.deviceAuth(DeviceClientID)
	if m["verification_uri_complete"] != e.url+DeviceVerificationPath+"?user_code="+url.QueryEscape(m["user_code"].(string)) {
		t.Errorf("verification_uri_complete %v", m["verification_uri_complete"])
	}
	code := m["device_code"].(string)
	if _, p := e.devicePoll("web", code); p["error"] != "invalid_grant" {
		t.Errorf("another client's poll: %v", p)
	}
	if !e.deviceDecide(m["user_code"].(string), "approve") {
		t.Fatal("no confirmation page")
	}
	resp, p := e.devicePoll(DeviceClientID, code)
	if resp.StatusCode != http.StatusOK || p["access_token"] == nil || p["refresh_token"] == nil {
		t.Fatalf("approved poll: %d %v", resp.StatusCode, p)
	}
	if md := e.metadata(); md["device_authorization_endpoint"] != e.url+DeviceAuthorizationPath {
		t.Errorf("device_authorization_endpoint %v", md["device_authorization_endpoint"])
	}
	// A confidential device client authenticates (RFC 8628 §3.1).
	if m := e.deviceAuth("web"); m["device_code"] == nil {
		t.Errorf("web's device authorization: %v", m)
	}
	// A wrong code is refused on the page.
	if e.deviceDecide("BBBB-BBBB", "approve") {
		t.Error("an unknown user code reached the confirmation page")
	}
}
