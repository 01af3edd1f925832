package mockserver

import (
	"net/http"
	"net/url"
	"time"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// Paths of the login UI, served by the server itself or, with
// LoginOtherOrigin and ErrorsOtherOrigin, by the UI app (UIApp) on another
// origin.
const (
	// signinPath is the login page reached by a redirect (LoginOtherOrigin,
	// LoginGet307); without those variants the authorization endpoint
	// shows the form itself.
	signinPath = "/signin"
	// loginCallbackPath is where the UI app sends the browser back to the
	// server with a one-time ticket (LoginOtherOrigin).
	loginCallbackPath = "/login/callback"
	// loginScriptPath is the script that renders the login form (LoginJSForm).
	loginScriptPath = "/login.js"
	// errorPath is the UI app's error page (ErrorsOtherOrigin).
	errorPath = "/error"
)

// ticketLifetime bounds the trip from the UI app back to the server.
const ticketLifetime = time.Minute

// loginTicket is a sign-in done on the UI app, to be turned into a session
// by the server (LoginOtherOrigin).
type loginTicket struct {
	reqID, username string
	expires         time.Time
}

// UIApp is the login and error UI on another origin, for the variants
// LoginOtherOrigin and ErrorsOtherOrigin: Start serves it on a second
// loopback port (Options.UIOrigin), with its own certificate from the same
// certificate authority. It shares the server's state, as a provider's
// login app shares its database.
func (s *Server) UIApp() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case signinPath:
			s.handleSignin(w, r, true)
		case loginScriptPath:
			s.handleLoginScript(w, r)
		case errorPath:
			s.handleUIError(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// showLogin answers an authorization request that needs the user to sign
// in: the login form right here, or a redirect to where the login UI lives.
func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, clientID, reqID string) {
	switch {
	case s.is(LoginOtherOrigin):
		s.setPageHeaders(w)
		http.Redirect(w, r, s.uiOrigin+signinPath+"?req="+url.QueryEscape(reqID), http.StatusSeeOther)
	case s.is(LoginGet307):
		s.setPageHeaders(w)
		http.Redirect(w, r, s.basePath+signinPath+"?req="+url.QueryEscape(reqID), http.StatusSeeOther)
	default:
		s.renderLogin(w, loginData{ClientID: clientID, ReqID: reqID, Action: s.basePath + "/login"})
	}
}

// handleSignin is the login page reached by a redirect: on the server
// (LoginGet307) or on the UI app (ui, LoginOtherOrigin), where the form is
// also posted. With LoginGet307 its first GET answers 307 to itself with
// step=form: a 307 on a GET, which re-posts nothing.
func (s *Server) handleSignin(w http.ResponseWriter, r *http.Request, ui bool) {
	if ui && r.Method == http.MethodPost {
		s.uiLogin(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET, HEAD")
		return
	}
	base, action := s.basePath, s.basePath+"/login"
	if ui {
		base, action = "", s.uiOrigin+signinPath
	}
	q := r.URL.Query()
	reqID := q.Get("req")
	if s.is(LoginGet307) && q.Get("step") != "form" {
		s.setPageHeaders(w)
		http.Redirect(w, r, base+signinPath+"?req="+url.QueryEscape(reqID)+"&step=form", http.StatusTemporaryRedirect)
		return
	}
	s.mu.Lock()
	p := s.pending[reqID]
	valid := reqID != "" && p != nil && !s.now().After(p.expires)
	var clientID string
	if valid {
		clientID = p.clientID
	}
	s.mu.Unlock()
	if !valid {
		s.errorPage(w, r, "The authorization request is unknown or has expired. Start again from the application.")
		return
	}
	s.renderLogin(w, loginData{ClientID: clientID, ReqID: reqID, Action: action})
}

// uiLogin takes the login form on the UI app and sends the browser back to
// the server with a one-time ticket, which the server turns into its own
// session (handleLoginCallback).
func (s *Server) uiLogin(w http.ResponseWriter, r *http.Request) {
	p, u := s.checkLogin(w, r, s.uiOrigin+signinPath)
	if u == nil {
		return
	}
	s.mu.Lock()
	s.sweepLocked()
	t := randomToken(32)
	s.tickets[t] = &loginTicket{reqID: p.id, username: u.Username, expires: s.now().Add(ticketLifetime)}
	s.mu.Unlock()
	status := http.StatusSeeOther
	if s.has(fault.LoginRedirect307) {
		// The flaw, on the UI app: the credentials are re-posted to the server.
		status = http.StatusTemporaryRedirect
	}
	s.setPageHeaders(w)
	http.Redirect(w, r, s.endpoint(loginCallbackPath)+"?ticket="+url.QueryEscape(t), status)
}

// handleLoginCallback turns a ticket from the UI app into a session.
func (s *Server) handleLoginCallback(w http.ResponseWriter, r *http.Request) {
	if !s.is(LoginOtherOrigin) {
		http.NotFound(w, r)
		return
	}
	t := r.URL.Query().Get("ticket")
	s.mu.Lock()
	tk := s.tickets[t]
	delete(s.tickets, t)
	var p *pendingAuth
	var u *User
	if tk != nil && !s.now().After(tk.expires) {
		p, u = s.pending[tk.reqID], s.users[tk.username]
	}
	if p != nil && s.now().After(p.expires) {
		p = nil
	}
	s.mu.Unlock()
	if p == nil || u == nil {
		s.errorPage(w, r, "The sign-in is unknown or has expired. Start again from the application.")
		return
	}
	s.signIn(w, r, p, u, http.StatusSeeOther)
}

// handleUIError is the UI app's error page (ErrorsOtherOrigin): status 200,
// as such apps answer.
func (s *Server) handleUIError(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET, HEAD")
		return
	}
	msg := r.URL.Query().Get("message")
	if msg == "" {
		msg = "Something went wrong."
	}
	s.renderPage(w, http.StatusOK, "error", msg)
}

// loginScript renders the login form from the data attributes of #app
// (LoginJSForm), a moment after the page has loaded, as a single-page
// login app does.
const loginScript = `(function () {
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }
  function row(children) {
    var p = el('p', {});
    children.forEach(function (c) { p.appendChild(c); });
    return p;
  }
  function render() {
    var app = document.getElementById('app');
    if (!app) return;
    var d = app.dataset;
    if (d.error) app.appendChild(el('p', {id: 'error', 'class': 'error'}, d.error));
    var form = el('form', {method: 'post', action: d.action});
    form.appendChild(el('input', {type: 'hidden', name: 'req', value: d.req}));
    if (d.askUsername === '1') {
      form.appendChild(row([el('label', {'for': 'username'}, 'Username'), el('input', {id: 'username', name: 'username', autocomplete: 'username'})]));
    } else {
      form.appendChild(el('input', {type: 'hidden', name: 'username', value: d.username || ''}));
    }
    if (d.askPassword === '1') {
      form.appendChild(row([el('label', {'for': 'password'}, 'Password'), el('input', {id: 'password', name: 'password', type: 'password', autocomplete: 'current-password'})]));
      form.appendChild(row([el('button', {type: 'submit'}, 'Sign in')]));
    } else {
      form.appendChild(row([el('button', {id: 'next', type: 'submit'}, 'Next')]));
    }
    app.appendChild(form);
  }
  function later() { setTimeout(render, 50); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', later); else later();
})();
`

// handleLoginScript serves loginScript (LoginJSForm only).
func (s *Server) handleLoginScript(w http.ResponseWriter, r *http.Request) {
	if !s.is(LoginJSForm) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(loginScript))
}

// consentedLocked reports whether the user of sess already consented to
// clientID for scopes: in this session, or (ConsentRemembered) in any;
// never with ConsentEveryTime. Caller holds s.mu.
func (s *Server) consentedLocked(sess *session, clientID string, scopes []string) bool {
	switch {
	case s.is(ConsentEveryTime):
		return false
	case s.is(ConsentRemembered):
		got := s.userConsents[sess.subject][clientID]
		for _, sc := range scopes {
			if !got[sc] {
				return false
			}
		}
		return got != nil
	default:
		return sess.hasConsent(clientID, scopes)
	}
}

// rememberConsentLocked records an approval server-side for the user
// (ConsentRemembered). Caller holds s.mu.
func (s *Server) rememberConsentLocked(sess *session, clientID string, scopes []string) {
	if !s.is(ConsentRemembered) {
		return
	}
	byClient := s.userConsents[sess.subject]
	if byClient == nil {
		byClient = map[string]map[string]bool{}
		s.userConsents[sess.subject] = byClient
	}
	if byClient[clientID] == nil {
		byClient[clientID] = map[string]bool{}
	}
	for _, sc := range scopes {
		byClient[clientID][sc] = true
	}
}
