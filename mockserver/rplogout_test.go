package mockserver

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	frontchannelNextRe  = regexp.MustCompile(`location\.replace\(("[^"]*")\)`)
	frontchannelFrameRe = regexp.MustCompile(`<iframe src="([^"]+)"`)
)

// postLogoutTarget is where a logout answer sends the browser: its
// Location, or the front-channel page's redirect once its frames loaded;
// "" for neither.
func postLogoutTarget(resp *http.Response, body string) string {
	if loc := resp.Header.Get("Location"); loc != "" {
		return loc
	}
	m := frontchannelNextRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	var next string
	if json.Unmarshal([]byte(m[1]), &next) != nil {
		return ""
	}
	return next
}

// frontchannelFrames are the frame URLs of a logout answer.
func frontchannelFramesOf(body string) []string {
	var out []string
	for _, m := range frontchannelFrameRe.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// loggedOutWithHint signs alice in with web and logs out with the ID
// Token as hint and the registered post-logout URI.
func (e *env) loggedOutWithHint() (*http.Response, string) {
	e.t.Helper()
	raw := e.signedInIDToken(nil)["raw"].(string)
	return e.logout("id_token_hint", raw, "post_logout_redirect_uri", DefaultPostLogoutRedirectURI)
}

// browserState is the OP browser state cookie e.browser holds ("" for none).
func (e *env) browserState() string {
	u, _ := url.Parse(e.url + checkSessionPath)
	for _, c := range e.browser.Jar.Cookies(u) {
		if c.Name == browserStateCookie {
			return c.Value
		}
	}
	return ""
}

// backchannelTokens registers a loopback backchannel_logout_uri for web
// and returns the logout_tokens POSTed to it.
func (e *env) backchannelTokens() <-chan string {
	e.t.Helper()
	got := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.ParseForm() == nil {
			got <- r.PostForm.Get("logout_token")
		}
	}))
	e.t.Cleanup(srv.Close)
	e.rs.mu.Lock()
	e.rs.clients["web"].BackchannelLogoutURI = srv.URL + BackchannelPath
	e.rs.mu.Unlock()
	return got
}

// receivedLogoutToken logs out and returns the claims of the logout_token
// web received (nil for none).
func (e *env) receivedLogoutToken() map[string]any {
	e.t.Helper()
	got := e.backchannelTokens()
	e.loggedOutWithHint()
	select {
	case tok := <-got:
		_, claims, ok := decodeJWT(tok)
		if !ok {
			e.t.Fatalf("the logout_token does not decode: %q", tok)
		}
		return claims
	default:
		return nil
	}
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.CheckSessionIframeHTTP: func(t *testing.T, e *env) bool {
			s, _ := e.metadata()["check_session_iframe"].(string)
			return strings.HasPrefix(s, "https://")
		},
		fault.FrontchannelMetadataNotBoolean: func(t *testing.T, e *env) bool {
			md := e.metadata()
			_, a := md["frontchannel_logout_supported"].(bool)
			_, b := md["frontchannel_logout_session_supported"].(bool)
			return a && b
		},
		fault.BackchannelMetadataNotBoolean: func(t *testing.T, e *env) bool {
			md := e.metadata()
			_, a := md["backchannel_logout_supported"].(bool)
			_, b := md["backchannel_logout_session_supported"].(bool)
			return a && b
		},
		fault.SessionStateMissing: func(t *testing.T, e *env) bool {
			return e.codeFlow("web", nil).Get("session_state") != ""
		},
		fault.SessionStateUnverifiable: func(t *testing.T, e *env) bool {
			ss := e.codeFlow("web", nil).Get("session_state")
			salt := ss[strings.LastIndex(ss, ".")+1:]
			return ss == sessionState("web", originOf(DefaultRedirectURI), e.browserState(), salt)
		},
		fault.LogoutKeepsBrowserState: func(t *testing.T, e *env) bool {
			e.signedIn()
			before := e.browserState()
			e.loggedOutWithHint()
			return before != "" && e.browserState() == ""
		},
		fault.FrontchannelNotRendered: func(t *testing.T, e *env) bool {
			_, body := e.loggedOutWithHint()
			frames := frontchannelFramesOf(body)
			return len(frames) == 1 && strings.HasPrefix(frames[0], DefaultFrontchannelLogoutURI+"?")
		},
		fault.FrontchannelIssWithoutSid: func(t *testing.T, e *env) bool {
			claims := e.signedInIDToken(nil)
			_, body := e.logout("id_token_hint", claims["raw"].(string))
			frames := frontchannelFramesOf(body)
			if len(frames) != 1 {
				return false
			}
			u, err := url.Parse(frames[0])
			return err == nil && u.Query().Get("iss") == e.url && u.Query().Get("sid") != "" && u.Query().Get("sid") == claims["sid"]
		},
		fault.BackchannelNotSent: func(t *testing.T, e *env) bool {
			return e.receivedLogoutToken() != nil
		},
		fault.LogoutTokenNoEvents: func(t *testing.T, e *env) bool {
			events, _ := e.receivedLogoutToken()["events"].(map[string]any)
			_, ok := events[BackchannelLogoutEvent].(map[string]any)
			return ok
		},
		fault.LogoutTokenNonce: func(t *testing.T, e *env) bool {
			claims := e.receivedLogoutToken()
			_, nonce := claims["nonce"]
			return claims != nil && !nonce
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}

// A logout tells the session's RPs: a frame of web's front-channel URI
// with iss and sid, then the post-logout redirect; a Logout Token at its
// back-channel URI with the ID Token's sid and sub, and the event.
func TestLogoutNotifiesRPs(t *testing.T) {
	e := newEnv(t)
	got := e.backchannelTokens()
	claims := e.signedInIDToken(nil)
	sid, _ := claims["sid"].(string)
	if sid == "" {
		t.Fatal("the ID Token carries no sid")
	}
	resp, body := e.logout("id_token_hint", claims["raw"].(string), "post_logout_redirect_uri", DefaultPostLogoutRedirectURI, "state", "s-3")
	if next := postLogoutTarget(resp, body); next != DefaultPostLogoutRedirectURI+"?state=s-3" {
		t.Errorf("the front-channel page sends the browser to %q", next)
	}
	want := DefaultFrontchannelLogoutURI + "?" + url.Values{"iss": {e.url}, "sid": {sid}}.Encode()
	if frames := frontchannelFramesOf(body); len(frames) != 1 || frames[0] != want {
		t.Errorf("frames %q, want [%q]", frames, want)
	}
	select {
	case tok := <-got:
		h, lt, ok := decodeJWT(tok)
		if !ok || h.ExtraHeaders["typ"] != "logout+jwt" || lt["sid"] != sid || lt["sub"] != claims["sub"] || lt["iss"] != e.url || lt["jti"] == nil {
			t.Errorf("logout token header %v claims %v", h.ExtraHeaders, lt)
		}
	default:
		t.Error("no logout_token reached the back-channel URI")
	}
}

// Only loopback back-channel URIs are called.
func TestBackchannelLoopbackOnly(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://127.0.0.1:9/x": true, "http://localhost:9/x": true, "http://[::1]:9/x": true,
		"https://rp.example.org/x": false, "http://10.0.0.1/x": false, "ftp://127.0.0.1/x": false,
	} {
		if got := loopbackURL(raw); got != want {
			t.Errorf("loopbackURL(%q) = %t", raw, got)
		}
	}
}
