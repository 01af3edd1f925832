package mockserver

// OpenID Connect Session Management 1.0, Front-Channel Logout 1.0 and
// Back-Channel Logout 1.0: the OP's side of telling the RPs a session
// ended. The session_state of authentication responses and the OP iframe
// that recomputes it (check_session_iframe); after a logout, an iframe of
// each logged-in RP's frontchannel_logout_uri (with iss and sid) and a
// signed logout_token POSTed to its backchannel_logout_uri.

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

const (
	// checkSessionPath is the check_session_iframe (Session Management §2.1).
	checkSessionPath = "/session/check"
	// browserStateCookie is the OP browser state the OP iframe reads
	// (Session Management §4.2): readable by script, never the session.
	browserStateCookie = "mockserver_bs"
	// BackchannelLogoutEvent is the events member of a Logout Token
	// (Back-Channel Logout §2.4).
	BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"
	// backchannelTimeout bounds each back-channel logout request.
	backchannelTimeout = 2 * time.Second
	// logoutTokenLifetime is a Logout Token's exp, after its iat.
	logoutTokenLifetime = 2 * time.Minute
)

// logoutMetadata adds the metadata of the three specifications.
func (s *Server) logoutMetadata(md map[string]any) {
	iframe := s.endpoint(checkSessionPath)
	if s.has(fault.CheckSessionIframeHTTP) {
		// The flaw: the OP iframe over plain http.
		iframe = "http://" + strings.TrimPrefix(strings.TrimPrefix(iframe, "https://"), "http://")
	}
	md["check_session_iframe"] = iframe
	var front, back any = true, true
	if s.has(fault.FrontchannelMetadataNotBoolean) {
		front = "true"
	}
	if s.has(fault.BackchannelMetadataNotBoolean) {
		back = "true"
	}
	md["frontchannel_logout_supported"], md["frontchannel_logout_session_supported"] = front, front
	md["backchannel_logout_supported"], md["backchannel_logout_session_supported"] = back, back
	if claims, ok := md["claims_supported"].([]string); ok {
		md["claims_supported"] = append(append([]string(nil), claims...), "sid")
	}
}

// digest is a short base64url SHA-256 of label and v.
func digest(label, v string) string {
	sum := sha256.Sum256([]byte(label + "\x00" + v))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// sidOf is the session's sid (Front-Channel Logout §3): derived from, and
// never revealing, the session id; "" for a response without a session
// (NoLoginUI).
func sidOf(sess *session) string {
	if sess == nil || sess.id == "" {
		return ""
	}
	return digest("sid", sess.id)
}

// browserStateOf is the OP browser state of a session ("" without one).
func browserStateOf(sess *session) string {
	if sess == nil || sess.id == "" {
		return ""
	}
	return digest("browser-state", sess.id)
}

// withSID puts the session's sid in an ID Token.
func withSID(sid string) idTokenOption {
	return func(c *idTokenClaims) { c.SID = sid }
}

// originOf is the origin (RFC 6454) of a URL, as a browser's
// MessageEvent.origin names it: scheme://host[:port], lower-case, no
// default port.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// sessionState is the Session State (Session Management §4.2's example): a
// salted hash of the client, the RP's origin and the OP browser state.
func sessionState(clientID, origin, browserState, salt string) string {
	sum := sha256.Sum256([]byte(clientID + " " + origin + " " + browserState + " " + salt))
	return hex.EncodeToString(sum[:]) + "." + salt
}

// sessionResponseLocked notes the client as an RP of the session and adds
// session_state to an OpenID authentication response v (Session
// Management §3). Caller holds s.mu.
func (s *Server) sessionResponseLocked(p *pendingAuth, sess *session, v url.Values) {
	if v.Has("error") || !contains(p.scopes, "openid") {
		return
	}
	if sess.id != "" {
		if sess.rps == nil {
			sess.rps = map[string]bool{}
		}
		sess.rps[p.clientID] = true
	}
	if s.has(fault.SessionStateMissing) {
		return
	}
	origin := originOf(p.redirectURI)
	if s.has(fault.SessionStateUnverifiable) {
		// The flaw: a state over the wrong origin, which no RP page has.
		origin = originOf(s.issuer)
	}
	v.Set("session_state", sessionState(p.clientID, origin, browserStateOf(sess), randomToken(9)))
}

// browserStateCookieFor is the cookie carrying the OP browser state, for
// the OP iframe's script in an RP's page (a third-party context: SameSite
// None, so Secure; Lax for a plain-http issuer, which cannot be). Script
// reads it, so it cannot be HttpOnly (Session Management §3.2); it is
// scoped to the OP iframe's path, which is all that reads it: it never
// travels with the other requests, and it is no login credential (a
// digest of the session id).
func (s *Server) browserStateCookieFor(value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: browserStateCookie, Value: value, Path: s.basePath + checkSessionPath, MaxAge: maxAge, SameSite: http.SameSiteLaxMode}
	if strings.HasPrefix(s.issuer, "https://") {
		c.Secure, c.SameSite = true, http.SameSiteNoneMode
	}
	return c
}

// setBrowserState sets the OP browser state of a new session.
func (s *Server) setBrowserState(w http.ResponseWriter, sess *session) {
	http.SetCookie(w, s.browserStateCookieFor(browserStateOf(sess), 0))
}

// checkSessionPage is the OP iframe (Session Management §4.2): it answers
// a postMessage "client_id session_state" with "unchanged" when the
// session state recomputed from the sender's origin and the browser state
// matches, "changed" otherwise, "error" for a malformed message.
const checkSessionPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>check session</title></head><body><script>
(function () {
  function browserState() {
    var m = document.cookie.match(/(?:^|;\s*)` + browserStateCookie + `=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  // Browsers keep the OP's cookies from its frames in RP pages unless the
  // frame asks for them (the Storage Access API).
  function access() {
    if (!document.hasStorageAccess) { return Promise.resolve(); }
    return document.hasStorageAccess().then(function (has) {
      return has ? undefined : document.requestStorageAccess().catch(function () {});
    });
  }
  window.addEventListener('message', function (e) {
    var parts = typeof e.data === 'string' ? e.data.split(' ') : [];
    var dot = parts.length === 2 ? parts[1].lastIndexOf('.') : -1;
    if (dot < 0) { e.source.postMessage('error', e.origin); return; }
    var salt = parts[1].slice(dot + 1);
    access().then(function () {
      var text = parts[0] + ' ' + e.origin + ' ' + browserState() + ' ' + salt;
      return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    }).then(function (d) {
      e.source.postMessage(hex(d) + '.' + salt === parts[1] ? 'unchanged' : 'changed', e.origin);
    });
  }, false);
})();
</script></body></html>
`

// handleCheckSession serves the OP iframe: framed by RP pages, so without
// the framing protection of the other pages.
func (s *Server) handleCheckSession(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET, HEAD")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(checkSessionPage))
}

// rpNotice is one RP a logout notifies.
type rpNotice struct {
	client       *Client
	subject, sid string
}

// logoutNoticesLocked are the RPs of sess with a front- or back-channel
// logout URI, by client id. Caller holds s.mu.
func (s *Server) logoutNoticesLocked(sess *session) []rpNotice {
	ids := make([]string, 0, len(sess.rps))
	for id := range sess.rps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []rpNotice
	for _, id := range ids {
		if c := s.clients[id]; c != nil && (c.FrontchannelLogoutURI != "" || c.BackchannelLogoutURI != "") {
			out = append(out, rpNotice{client: c, subject: sess.subject, sid: sidOf(sess)})
		}
	}
	return out
}

// frontchannelFrames are the frontchannel_logout_uri of each RP, with iss
// and sid (Front-Channel Logout §2, §3).
func (s *Server) frontchannelFrames(notices []rpNotice) []string {
	if s.has(fault.FrontchannelNotRendered) {
		return nil
	}
	var frames []string
	for _, n := range notices {
		if n.client.FrontchannelLogoutURI == "" {
			continue
		}
		q := url.Values{"iss": {s.issuer}}
		if !s.has(fault.FrontchannelIssWithoutSid) {
			q.Set("sid", n.sid)
		}
		frames = append(frames, buildRedirect(n.client.FrontchannelLogoutURI, q, false))
	}
	return frames
}

// frontchannelPage is the page after a logout with RPs to notify: their
// logout URIs in iframes, then, once they have loaded, the post-logout
// redirect (or the signed-out text).
var frontchannelPage = template.Must(template.New("frontchannel").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head>
<body><h1>Signed out</h1><p id="logged-out">You are signed out.</p>
{{range .Frames}}<iframe src="{{.}}" title="sign-out" hidden></iframe>
{{end}}{{if .Next}}<script>window.addEventListener('load', function () { window.location.replace({{.Next}}); });</script>{{end}}
</body></html>
`))

// renderFrontchannel answers a logout with the front-channel page when
// there are frames; false when there are none (the caller answers).
func (s *Server) renderFrontchannel(w http.ResponseWriter, frames []string, next string) bool {
	if len(frames) == 0 {
		return false
	}
	s.setPageHeaders(w)
	if strings.HasPrefix(w.Header().Get("Content-Security-Policy"), "default-src") {
		// A page-wide policy would block the frames and the redirect.
		w.Header().Del("Content-Security-Policy")
	}
	w.WriteHeader(http.StatusOK)
	_ = frontchannelPage.Execute(w, struct {
		Frames []string
		Next   string
	}{frames, next})
	return true
}

// logoutTokenClaims are a Logout Token's claims (Back-Channel Logout §2.4).
type logoutTokenClaims struct {
	jwt.Claims
	SID    string         `json:"sid,omitempty"`
	Events map[string]any `json:"events,omitempty"`
	Nonce  string         `json:"nonce,omitempty"`
}

// logoutToken is the signed Logout Token for one RP: typ logout+jwt, the
// published key.
func (s *Server) logoutToken(n rpNotice) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: s.alg, Key: jose.JSONWebKey{Key: s.priv, KeyID: s.kid}},
		(&jose.SignerOptions{}).WithType("logout+jwt"))
	if err != nil {
		return "", err
	}
	now := s.now()
	c := logoutTokenClaims{
		Claims: jwt.Claims{Issuer: s.issuer, Subject: n.subject, Audience: jwt.Audience{n.client.ID},
			IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(logoutTokenLifetime)), ID: randomToken(16)},
		SID:    n.sid,
		Events: map[string]any{BackchannelLogoutEvent: map[string]any{}},
	}
	if s.has(fault.LogoutTokenNoEvents) {
		c.Events = nil
	}
	if s.has(fault.LogoutTokenNonce) {
		c.Nonce = randomToken(16)
	}
	return jwt.Signed(signer).Claims(c).Serialize()
}

// loopbackURL: only loopback back-channel URIs are called (the mock calls
// no other host).
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// sendBackchannel POSTs a Logout Token to each RP's backchannel_logout_uri
// (Back-Channel Logout §2.5), each request bounded by backchannelTimeout;
// an RP that does not answer is not waited for longer.
func (s *Server) sendBackchannel(ctx context.Context, notices []rpNotice) {
	if s.has(fault.BackchannelNotSent) {
		return
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: backchannelTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer client.CloseIdleConnections()
	for _, n := range notices {
		uri := n.client.BackchannelLogoutURI
		if uri == "" || !loopbackURL(uri) {
			continue
		}
		tok, err := s.logoutToken(n)
		if err != nil {
			continue
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), backchannelTimeout)
		req, err := http.NewRequestWithContext(rctx, http.MethodPost, uri, strings.NewReader(url.Values{"logout_token": {tok}}.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if resp, err := client.Do(req); err == nil {
				_ = resp.Body.Close()
			}
		}
		cancel()
	}
}

// BackchannelPath is the path of the back-channel logout URI that
// FreeBackchannelURI makes up.
const BackchannelPath = "/backchannel-logout"

// FreeBackchannelURI is a loopback http URL on a port free right now: the
// backchannel_logout_uri of the web client, where whoever runs the checks
// will listen.
func FreeBackchannelURI() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", err
	}
	return "http://" + addr + BackchannelPath, nil
}
