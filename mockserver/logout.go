package mockserver

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// logoutPath is the end_session_endpoint (OpenID Connect RP-Initiated
// Logout 1.0 §2).
const logoutPath = "/logout"

// logoutPages are the confirmation page (a logout request the OP must ask
// the user about) and the page shown after a logout that redirects nowhere.
var logoutPages = template.Must(template.New("logout").Parse(`
{{define "confirm"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head>
<body><h1>Sign out?</h1>
<p>Do you want to sign out of the provider?</p>
<form method="post" action="{{.Action}}">
{{range $k, $vs := .Fields}}{{range $vs}}<input type="hidden" name="{{$k}}" value="{{.}}">
{{end}}{{end}}<input type="hidden" name="confirm" value="yes">
<button id="logout-confirm" type="submit">Sign out</button>
</form>
</body></html>
{{end}}
{{define "done"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head>
<body><h1>Signed out</h1><p id="logged-out">{{.}}</p></body></html>
{{end}}`))

// handleLogout is the end_session_endpoint, GET and POST (§2). A request
// whose id_token_hint names the user of the browser's session logs out at
// once; any other request that would end a session asks the user first
// (§2: the OP MUST ask when no id_token_hint was provided or it does not
// belong to the session), by a form POSTed back here with confirm=yes,
// which the session cookie (SameSite=Lax) only accompanies from this
// origin. The user agent is sent to post_logout_redirect_uri only when a
// client is identified (by the hint, or client_id) and the URI exactly
// matches one it registered (§3).
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		methodNotAllowed(w, "GET, POST")
		return
	}
	q, ok := authzParams(r)
	if !ok {
		s.errorPage(w, r, "The logout request could not be parsed.")
		return
	}
	clientID := q.Get("client_id")
	var hintSub string
	if raw := q.Get("id_token_hint"); raw != "" {
		aud := clientID
		if aud == "" {
			aud = hintAudience(raw)
		}
		sub, ok := s.hintSubject(raw, aud)
		if c, err := jwtParse(raw); !ok && err == nil && s.has(fault.LogoutHintNotVerified) {
			// The flaw: the hint's claims, unverified.
			sub, ok = c.Subject, c.Subject != ""
		}
		if !ok {
			s.errorPage(w, r, "The id_token_hint is not an ID Token this server issued to the client.")
			return
		}
		hintSub, clientID = sub, aud
	}

	// The redirect is decided first: a request asking for one it may not
	// have is refused before anything happens (§3, §4).
	uri := q.Get("post_logout_redirect_uri")
	s.mu.Lock()
	target := s.postLogoutTarget(clientID, uri)
	s.mu.Unlock()
	if uri != "" && target == "" {
		s.errorPage(w, r, "The post_logout_redirect_uri is not registered for the client the request names (by id_token_hint or client_id).")
		return
	}

	s.mu.Lock()
	sess := s.sessionLocked(r)
	confirmed := r.Method == http.MethodPost && r.PostForm.Get("confirm") == "yes"
	mustAsk := sess != nil && (hintSub == "" || hintSub != sess.subject)
	if mustAsk && !confirmed && !s.has(fault.LogoutWithoutConfirmation) {
		s.mu.Unlock()
		fields := url.Values{}
		for k, v := range q {
			if k != "confirm" {
				fields[k] = v
			}
		}
		s.setPageHeaders(w)
		w.WriteHeader(http.StatusOK)
		_ = logoutPages.ExecuteTemplate(w, "confirm", struct {
			Action string
			Fields url.Values
		}{s.basePath + logoutPath, fields})
		return
	}
	var notices []rpNotice
	if sess != nil {
		// The RPs of the session, told of the logout (rplogout.go).
		notices = s.logoutNoticesLocked(sess)
	}
	keep := s.has(fault.LogoutKeepsSession) || (uri == "" && s.has(fault.LogoutKeepsSessionWithoutRedirect))
	if sess != nil && !keep {
		delete(s.sessions, sess.id)
	}
	s.mu.Unlock()
	s.sendBackchannel(r.Context(), notices)

	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(s.issuer, "https://")})
	if !s.has(fault.LogoutKeepsBrowserState) {
		http.SetCookie(w, s.browserStateCookieFor("", -1))
	}
	if st := q.Get("state"); target != "" && st != "" && !s.has(fault.LogoutStateDropped) {
		target = buildRedirect(target, url.Values{"state": {st}}, false)
	} else if target != "" && st == "" && s.has(fault.LogoutStateInvented) {
		// The flaw: a state the RP never sent.
		target = buildRedirect(target, url.Values{"state": {randomToken(16)}}, false)
	}
	if s.renderFrontchannel(w, s.frontchannelFrames(notices), target) {
		return
	}
	s.setPageHeaders(w)
	if target == "" {
		w.WriteHeader(http.StatusOK)
		_ = logoutPages.ExecuteTemplate(w, "done", "You are signed out.")
		return
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// postLogoutTarget is where the user agent goes after the logout: uri when
// the client clientID registered exactly it, "" otherwise (RP-Initiated
// Logout §3). Caller holds s.mu.
func (s *Server) postLogoutTarget(clientID, uri string) string {
	if uri == "" && s.has(fault.LogoutRedirectWithoutURI) {
		// The flaw: a redirect nobody asked for, to the first registered
		// URI of the client named, or of any client.
		for id, c := range s.clients {
			if (clientID == "" || id == clientID) && len(c.PostLogoutRedirectURIs) > 0 {
				return c.PostLogoutRedirectURIs[0]
			}
		}
	}
	if uri == "" {
		return ""
	}
	if clientID == "" {
		if s.has(fault.LogoutRedirectWithoutHint) {
			// The flaw: no client named, any client's registered URI.
			for _, c := range s.clients {
				if contains(c.PostLogoutRedirectURIs, uri) {
					return uri
				}
			}
		}
		return ""
	}
	if c, ok := s.clients[clientID]; ok && (contains(c.PostLogoutRedirectURIs, uri) || s.has(fault.LogoutRedirectAny)) {
		// (The flaw: any URI for a client named.)
		return uri
	}
	return ""
}

// hintAudience is the first aud of an unverified ID Token ("" when it does
// not parse): the client the hint names, checked by hintSubject.
func hintAudience(raw string) string {
	tok, err := jwtParse(raw)
	if err != nil || len(tok.Audience) == 0 {
		return ""
	}
	return tok.Audience[0]
}
