package mockserver

// The device authorization grant (RFC 8628): the device authorization
// endpoint, the verification pages the user reaches in a browser (sign in,
// enter the user code, approve or deny), and the device_code grant at the
// token endpoint.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

const (
	// DeviceGrantType is the device_code grant (RFC 8628 §3.4).
	DeviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"
	// DeviceAuthorizationPath is the device authorization endpoint (§3.1),
	// DeviceVerificationPath the verification URI (§3.2).
	DeviceAuthorizationPath = "/device_authorization"
	DeviceVerificationPath  = "/device"
	// DeviceInterval is the polling interval the mock asks for: short, so
	// that a run waits seconds (RFC 8628 §3.2 lets the server choose it).
	DeviceInterval = 1 * time.Second
	// deviceCodeLifetime is the default lifetime of device and user codes.
	deviceCodeLifetime = 10 * time.Minute
	// userCodeAlphabet is RFC 8628 §6.1's base 20 character set.
	userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"
	// slowDownStep is what slow_down adds to the interval (RFC 8628 §3.5).
	slowDownStep = 5 * time.Second
)

// deviceStatus is where a device authorization stands.
type deviceStatus int

const (
	devicePending deviceStatus = iota
	deviceApproved
	deviceDenied
)

// deviceRecord is one device authorization (RFC 8628 §3.2).
type deviceRecord struct {
	userCode string // normalised: the significant characters, upper case
	shown    string // as the response gave it
	clientID string
	scopes   []string
	expires  time.Time
	interval time.Duration
	lastPoll time.Time
	status   deviceStatus
	subject  string
	used     bool
}

// normUserCode keeps the characters of the user-code set, upper-cased
// (RFC 8628 §6.1: case-insensitive, punctuation ignored).
func normUserCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if strings.ContainsRune(userCodeAlphabet, r) || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// newUserCode draws a user code: 8 characters of the base 20 set, shown
// as XXXX-XXXX; with device_weak_user_code, four digits.
func (s *Server) newUserCode() (norm, shown string) {
	if s.has(fault.DeviceWeakUserCode) {
		n, _ := rand.Int(rand.Reader, big.NewInt(10000))
		code := n.String()
		for len(code) < 4 {
			code = "0" + code
		}
		return code, code
	}
	b := make([]byte, 8)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(userCodeAlphabet))))
		if err != nil {
			panic("mockserver: crypto/rand failed: " + err.Error())
		}
		b[i] = userCodeAlphabet[n.Int64()]
	}
	return string(b), string(b[:4]) + "-" + string(b[4:])
}

// handleDeviceAuthorization is the device authorization endpoint (RFC 8628
// §3.1, §3.2).
func (s *Server) handleDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, "POST")
		return
	}
	form, oe := parsePostForm(r)
	if oe != nil {
		s.writeOAuthError(w, oe, true)
		return
	}
	// RFC 8628 §3.1: the client authenticates as at the token endpoint.
	c, oe := s.authenticateClient(r, form, false)
	if oe != nil && s.has(fault.DeviceClientUnauthenticated) {
		// The flaw: the client is whoever it says it is.
		id := form.Get("client_id")
		if u, _, ok := r.BasicAuth(); ok {
			id, _ = url.QueryUnescape(u)
		}
		if known := s.clients[id]; known != nil {
			c, oe = known, nil
		}
	}
	if oe != nil {
		s.writeOAuthError(w, oe, true)
		return
	}
	if !c.allowsGrant(DeviceGrantType) {
		s.writeOAuthError(w, unauthorizedClient("device_code"), true)
		return
	}
	scopes := normScopes(c.Scopes)
	if form.Has("scope") {
		req := normScopes(strings.Fields(form.Get("scope")))
		for _, sc := range req {
			if !contains(c.Scopes, sc) {
				s.writeOAuthError(w, &oauthError{http.StatusBadRequest, "invalid_scope", "scope " + sc + " is not allowed for this client"}, true)
				return
			}
		}
		if len(req) > 0 {
			scopes = req
		}
	}
	lifetime := deviceCodeLifetime
	if c.DeviceCodeLifetime > 0 {
		lifetime = c.DeviceCodeLifetime
	}
	code := randomToken(32)
	s.mu.Lock()
	s.sweepLocked()
	norm, shown := s.newUserCode()
	for s.userCodes[norm] != "" {
		norm, shown = s.newUserCode()
	}
	s.devices[code] = &deviceRecord{
		userCode: norm, shown: shown, clientID: c.ID, scopes: scopes,
		expires: s.now().Add(lifetime), interval: DeviceInterval,
	}
	s.userCodes[norm] = code
	s.mu.Unlock()
	verify := s.endpoint(DeviceVerificationPath)
	resp := map[string]any{
		"device_code":               code,
		"user_code":                 shown,
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?" + url.Values{"user_code": {shown}}.Encode(),
		"expires_in":                int64(lifetime / time.Second),
		"interval":                  int64(DeviceInterval / time.Second),
	}
	if s.has(fault.DeviceNoExpiresIn) {
		delete(resp, "expires_in")
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

// grantDeviceCode is the device_code grant (RFC 8628 §3.4, §3.5).
func (s *Server) grantDeviceCode(c *Client, form url.Values, b tokenBinding) (map[string]any, *oauthError) {
	if !c.allowsGrant(DeviceGrantType) {
		return nil, unauthorizedClient("device_code")
	}
	code := form.Get("device_code")
	if code == "" {
		return nil, s.missingParam("device_code")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.devices[code]
	if rec == nil || rec.clientID != c.ID {
		return nil, errInvalidGrant("unknown device_code")
	}
	if rec.used && !s.has(fault.DeviceCodeReuse) {
		return nil, errInvalidGrant("the device_code has already been used")
	}
	now := s.now()
	if !now.Before(rec.expires) && !s.has(fault.DeviceExpiryUnchecked) {
		return nil, &oauthError{http.StatusBadRequest, "expired_token", "the device_code has expired"}
	}
	switch rec.status {
	case deviceDenied:
		return nil, &oauthError{http.StatusBadRequest, "access_denied", "the user denied the request"}
	case devicePending:
		tooSoon := !rec.lastPoll.IsZero() && now.Sub(rec.lastPoll) < rec.interval
		rec.lastPoll = now
		if tooSoon && !s.has(fault.DeviceNoSlowDown) {
			rec.interval += slowDownStep
			return nil, &oauthError{http.StatusBadRequest, "slow_down", "polling too fast: wait the interval, now 5 seconds longer"}
		}
		if s.has(fault.DevicePendingWrongError) {
			return nil, errInvalidGrant("the user has not approved the request")
		}
		return nil, &oauthError{http.StatusBadRequest, "authorization_pending", "the user has not yet approved the request"}
	}
	if !s.has(fault.DeviceCodeReuse) {
		rec.used = true
	}
	g := s.newGrantLocked(c.ID, rec.subject, rec.scopes)
	at, err := s.issueAccessLocked(g, rec.scopes, b)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "could not issue the access token"}
	}
	var rt string
	if c.allowsGrant("refresh_token") {
		rt = s.issueRefreshLocked(g, rec.scopes, b.jkt)
	}
	return s.tokenResponse(g, at, rec.scopes, rt, b.jkt), nil
}

// deviceUser is who is signed in at the verification page: the session's
// user, or the only user under NoLoginUI; "" for nobody.
func (s *Server) deviceUserLocked(r *http.Request) (username, subject, csrf string) {
	if sess := s.sessionLocked(r); sess != nil {
		return sess.username, sess.subject, s.deviceCSRF(sess.id)
	}
	if s.is(NoLoginUI) {
		return s.defaultUser.Username, s.defaultUser.Subject, s.deviceCSRF("")
	}
	return "", "", ""
}

// deviceCSRF is the verification forms' anti-forgery value: bound to the
// browser session.
func (s *Server) deviceCSRF(sessionID string) string {
	m := hmac.New(sha256.New, s.hmacKey)
	m.Write([]byte("device\x00" + sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

type devicePageData struct {
	Action, CSRF, UserCode, Error, Username, ClientID string
	Scopes                                            []string
}

// devicePages are the verification pages, with the pages' common parts.
var devicePages = template.Must(template.Must(pageTemplates.Clone()).Parse(`
{{define "device"}}{{template "head" "Connect a device"}}<h1>Connect a device</h1>
<p>Signed in as <span id="user">{{.Username}}</span>. Enter the code your device shows.</p>
{{if .Error}}<p id="device-error" class="error">{{.Error}}</p>
{{end}}<form method="post" action="{{.Action}}">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<p><label for="user_code">Code</label> <input id="user_code" name="user_code" value="{{.UserCode}}" autocomplete="off"></p>
<p><input id="device-submit" type="submit" value="Continue"></p>
</form>
{{template "foot"}}{{end}}
{{define "device-confirm"}}{{template "head" "Connect a device"}}<h1>Connect a device</h1>
<p>Signed in as <span id="user">{{.Username}}</span>.</p>
<p>The device application <code id="client">{{.ClientID}}</code> requests access to:</p>
<ul id="scopes">
{{range .Scopes}}<li class="scope">{{.}}</li>
{{end}}</ul>
<form method="post" action="{{.Action}}">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<input type="hidden" name="user_code" value="{{.UserCode}}">
<button id="approve" name="decision" value="approve" type="submit">Allow</button>
<button id="deny" name="decision" value="deny" type="submit">Deny</button>
</form>
{{template "foot"}}{{end}}
{{define "device-done"}}{{template "head" "Device"}}<h1 id="device-done">{{.Error}}</h1>
<p>You may close this window and return to your device.</p>
{{template "foot"}}{{end}}
`))

func (s *Server) renderDevice(w http.ResponseWriter, name string, data devicePageData) {
	s.setPageHeaders(w)
	w.WriteHeader(http.StatusOK)
	_ = devicePages.ExecuteTemplate(w, name, data)
}

// handleDeviceVerification is the verification URI (RFC 8628 §3.3): the
// user signs in (the login pages, which come back here), enters the user
// code (prefilled from verification_uri_complete) and approves or denies.
func (s *Server) handleDeviceVerification(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		methodNotAllowed(w, "GET, POST")
		return
	}
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			s.errorPage(w, r, "The form could not be parsed.")
			return
		}
	}
	s.mu.Lock()
	username, subject, csrf := s.deviceUserLocked(r)
	if username == "" {
		// Sign in first, then come back (with the code of the link).
		s.sweepLocked()
		p := &pendingAuth{
			id:      randomToken(32),
			resume:  s.basePath + DeviceVerificationPath + "?" + url.Values{"user_code": {r.FormValue("user_code")}}.Encode(),
			expires: s.now().Add(pendingLifetime),
		}
		s.pending[p.id] = p
		s.mu.Unlock()
		s.showLogin(w, r, "", p.id)
		return
	}
	data := devicePageData{Action: s.basePath + DeviceVerificationPath, CSRF: csrf, Username: username}
	if r.Method == http.MethodGet {
		s.mu.Unlock()
		data.UserCode = r.URL.Query().Get("user_code")
		s.renderDevice(w, "device", data)
		return
	}
	if !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(csrf)) {
		s.mu.Unlock()
		s.errorPage(w, r, "This form does not belong to your session. Start again.")
		return
	}
	entered := r.PostForm.Get("user_code")
	key := normUserCode(entered)
	code := s.userCodes[key]
	rec := s.devices[code]
	if s.has(fault.DeviceUserCodeStrict) && rec != nil && entered != rec.shown && entered != rec.userCode {
		// The flaw: the code must be typed exactly as shown.
		rec = nil
	}
	if rec == nil || !s.now().Before(rec.expires) || rec.status != devicePending {
		s.mu.Unlock()
		data.UserCode, data.Error = entered, "That code is not valid. Check the code your device shows and try again."
		s.renderDevice(w, "device", data)
		return
	}
	switch r.PostForm.Get("decision") {
	case "":
		data.UserCode, data.ClientID, data.Scopes = rec.userCode, rec.clientID, append([]string(nil), rec.scopes...)
		s.mu.Unlock()
		s.renderDevice(w, "device-confirm", data)
	case "approve":
		rec.status, rec.subject = deviceApproved, subject
		s.mu.Unlock()
		s.renderDevice(w, "device-done", devicePageData{Error: "Device connected"})
	case "deny":
		if !s.has(fault.DeviceDenyIgnored) {
			rec.status = deviceDenied
		}
		s.mu.Unlock()
		s.renderDevice(w, "device-done", devicePageData{Error: "Access denied"})
	default:
		s.mu.Unlock()
		s.errorPage(w, r, "Unknown decision.")
	}
}

// sweepDevicesLocked drops device authorizations long expired. Caller holds s.mu.
func (s *Server) sweepDevicesLocked(now time.Time) {
	for code, rec := range s.devices {
		if now.After(rec.expires.Add(deviceCodeLifetime)) {
			delete(s.userCodes, rec.userCode)
			delete(s.devices, code)
		}
	}
}
