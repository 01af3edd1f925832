package mockserver

import (
	"crypto/subtle"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var pageTemplates = template.Must(template.New("pages").Parse(`
{{define "head-start"}}<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.}}</title>{{end}}
{{define "head"}}{{template "head-start" .}}</head>
<body>
{{end}}
{{define "foot"}}</body>
</html>
{{end}}
{{define "error"}}{{template "head" "Error"}}<h1>Authorization error</h1>
<p id="error" class="error">{{.}}</p>
{{template "foot"}}{{end}}
{{define "login"}}{{template "head-start" "Sign in"}}{{if .ThirdParty}}
<meta name="referrer" content="unsafe-url">{{end}}</head>
<body>
{{if .ThirdParty}}<img src="{{.ThirdParty}}" alt="" width="1" height="1">
{{end}}<h1>Sign in</h1>
<p>The application <code id="client">{{.ClientID}}</code> asks you to sign in.</p>
{{if .Script}}<div id="app" data-action="{{.Action}}" data-req="{{.ReqID}}" data-error="{{.Error}}" data-username="{{.Username}}" data-ask-username="{{if .AskUsername}}1{{end}}" data-ask-password="{{if .AskPassword}}1{{end}}"></div>
<script src="{{.Script}}"></script>
{{else}}{{if .Error}}<p id="error" class="error">{{.Error}}</p>
{{end}}<form method="post" action="{{.Action}}">
<input type="hidden" name="req" value="{{.ReqID}}">
{{if .AskUsername}}<p><label for="username">Username</label> <input id="username" name="username" autocomplete="username"></p>
{{else}}<input type="hidden" name="username" value="{{.Username}}"><p>Signing in as <span id="user">{{.Username}}</span></p>
{{end}}{{if .AskPassword}}<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button type="submit">Sign in</button></p>
{{else}}<p><button id="next" type="submit">Next</button></p>
{{end}}</form>
{{end}}{{template "foot"}}{{end}}
{{define "consent"}}{{template "head" "Authorize access"}}<h1>Authorize access</h1>
<p>Signed in as <span id="user">{{.Username}}</span>.</p>
<p>The application <code id="client">{{.ClientID}}</code> requests access to:</p>
<ul id="scopes">
{{range .Scopes}}<li class="scope">{{.}}</li>
{{end}}</ul>
<form method="post" action="{{.Action}}">
<input type="hidden" name="req" value="{{.ReqID}}">
<button id="approve" name="decision" value="approve" type="submit">Allow</button>
<button id="deny" name="decision" value="deny" type="submit">Deny</button>
</form>
{{template "foot"}}{{end}}
`))

// setPageHeaders sets the headers of the HTML pages: no framing by any
// origin, both as X-Frame-Options (RFC 6749 §10.13) and as CSP
// frame-ancestors (RFC 9700 §4.16), no Referer leaking the request (RFC 9700
// §4.2.4), no caching.
func (s *Server) setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	noFrameProtection := s.has(fault.FrameProtectionMissing)
	if !noFrameProtection && !s.has(fault.XFrameOptionsMissing) {
		h.Set("X-Frame-Options", "DENY")
	}
	if !noFrameProtection && !s.has(fault.CSPFrameAncestorsMissing) {
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	} else {
		// The flaw: a policy is sent, but without frame-ancestors.
		h.Set("Content-Security-Policy", "default-src 'self'")
	}
	if !s.has(fault.ReferrerPolicyMissing) {
		h.Set("Referrer-Policy", "no-referrer")
	}
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
}

func (s *Server) renderPage(w http.ResponseWriter, status int, name string, data any) {
	s.setPageHeaders(w)
	w.WriteHeader(status)
	_ = pageTemplates.ExecuteTemplate(w, name, data)
}

// errorPage is shown when the authorization request cannot safely be
// redirected back to the client (unknown client, bad redirect URI, ...):
// status 400, or 200 (ErrorsStatus200), or on the UI app's error page on
// another origin (ErrorsOtherOrigin).
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, msg string) {
	switch {
	case s.is(ErrorsOtherOrigin):
		s.setPageHeaders(w)
		http.Redirect(w, r, s.uiOrigin+errorPath+"?message="+url.QueryEscape(msg), http.StatusSeeOther)
	case s.is(ErrorsStatus200):
		s.renderPage(w, http.StatusOK, "error", msg)
	default:
		s.renderPage(w, http.StatusBadRequest, "error", msg)
	}
}

type loginData struct {
	ClientID, ReqID, Action, Error string
	// ThirdParty is the URL of an image of another origin the page loads
	// (login_page_third_party_leak); "" for none.
	ThirdParty string
	// Username is the name given on the first page (LoginTwoPages).
	Username string
	// AskUsername and AskPassword say which fields the page shows; both
	// false means the variant's first page (both, or the username alone
	// with LoginTwoPages).
	AskUsername, AskPassword bool
	// Script is the script that renders the form (LoginJSForm); "" for a
	// form in the HTML.
	Script string
}

// renderLogin shows the login form. The secure page loads nothing from
// another origin, so the authorization request in its URL leaks nowhere
// (RFC 9700 §4.2.4).
func (s *Server) renderLogin(w http.ResponseWriter, data loginData) {
	if !data.AskUsername && !data.AskPassword {
		data.AskUsername, data.AskPassword = true, !s.is(LoginTwoPages)
	}
	if s.is(LoginJSForm) {
		// Served by the origin the page is on.
		data.Script = s.basePath + loginScriptPath
		if strings.HasPrefix(data.Action, s.uiOrigin+"/") && s.uiOrigin != "" {
			data.Script = s.uiOrigin + loginScriptPath
		}
	}
	if s.has(fault.LoginPageThirdPartyLeak) {
		// The flaw: a resource of another origin, and a referrer policy
		// that sends it the page's full URL.
		data.ThirdParty = thirdPartyOrigin(s.issuer) + s.basePath + pixelPath
	}
	s.renderPage(w, http.StatusOK, "login", data)
}

// pixelPath serves the image the login page loads from another origin
// under login_page_third_party_leak.
const pixelPath = "/pixel.gif"

// thirdPartyOrigin is another origin on the same loopback listener: the
// issuer's host swapped between 127.0.0.1 and localhost (a different host
// is a different origin, RFC 6454 §4), so that the mock itself answers it.
func thirdPartyOrigin(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return issuer
	}
	host := "localhost"
	if u.Hostname() == "localhost" {
		host = "127.0.0.1"
	}
	if p := u.Port(); p != "" {
		host += ":" + p
	}
	return u.Scheme + "://" + host
}

// transparentGIF is a 1×1 transparent GIF.
var transparentGIF = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// handlePixel answers the third-party image; the secure server has none.
func (s *Server) handlePixel(w http.ResponseWriter, r *http.Request) {
	if !s.has(fault.LoginPageThirdPartyLeak) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(transparentGIF)
}

type consentData struct {
	ClientID, ReqID, Action, Username string
	Scopes                            []string
}

// authzParams reads authorization request parameters from the query (GET) or
// the form body (POST), rejecting repeated parameters (RFC 6749 §3.1).
func authzParams(r *http.Request) (url.Values, bool) {
	var v url.Values
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return nil, false
		}
		v = r.PostForm
	} else {
		v = r.URL.Query()
	}
	return v, true
}

func repeated(v url.Values, names ...string) string {
	for _, n := range names {
		if len(v[n]) > 1 {
			return n
		}
	}
	return ""
}

// repeatedAny returns the first (by name) parameter present more than once.
func repeatedAny(v url.Values) string {
	var names []string
	for n, vs := range v {
		if len(vs) > 1 {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	return names[0]
}

// knownAuthzParams are the authorization request parameters this server (or
// a closely related specification) defines. Others are ignored (RFC 6749
// §3.1), unless the unknown_param_rejected fault is on.
var knownAuthzParams = map[string]bool{
	"response_type": true, "client_id": true, "redirect_uri": true, "scope": true, "state": true, // RFC 6749
	"code_challenge": true, "code_challenge_method": true, // RFC 7636
	"response_mode": true, "nonce": true, "display": true, "prompt": true, "max_age": true, // OpenID Connect Core
	"ui_locales": true, "claims_locales": true, "id_token_hint": true, "login_hint": true, "acr_values": true, "claims": true,
	"request": true, "request_uri": true, // RFC 9101
	"resource":              true, // RFC 8707
	"authorization_details": true, // RFC 9396
	"dpop_jkt":              true, // RFC 9449 §10
}

// checkResponseType validates response_type for client. It returns the
// response type to use (also for choosing the error response mode) and, on
// failure, an error code and description.
func (s *Server) checkResponseType(c *Client, rt string) (string, string, string) {
	rt = normResponseType(rt)
	if rt == responseCodeToken && s.has(fault.HybridTokenOffered) && !c.public() && c.allowsResponseType("code") {
		// The flaw: a hybrid response type (OIDC Core §3.3) that issues an
		// access token in the authorization response, which RFC 9700
		// §2.1.2 advises against. The secure server refuses it below, as
		// an unsupported response type.
		return rt, "", ""
	}
	switch rt {
	case "code", "token", responseIDToken, responseIDTokenToken, responseCodeIDToken:
	default:
		if s.has(fault.ResponseTypeLenient) {
			rt = "code"
			break
		}
		if rt == "" {
			return rt, "invalid_request", "response_type is required"
		}
		if s.has(fault.UnknownResponseTypeWrongError) {
			// The flaw: refused, with the error of a malformed request.
			return rt, "invalid_request", "unsupported response_type"
		}
		return rt, "unsupported_response_type", "unsupported response_type"
	}
	// RFC 9700 §2.1.2: clients SHOULD NOT use the implicit grant (nor any
	// response type that issues an access token in the authorization
	// response), so the secure server does not offer it to anyone. The
	// refusal is an ordinary error response (RFC 6749 §4.2.2.1), in the
	// fragment.
	if implicitResponse(rt) && !s.has(fault.ImplicitOffered) && s.is(NoImplicit) {
		// A server that does not know the implicit grant at all does not
		// know that its errors go in the fragment: the error goes in the
		// query, as for any unknown response type.
		return "", "unsupported_response_type", "unsupported response_type"
	}
	if implicitResponse(rt) && !s.has(fault.ImplicitOffered) {
		return rt, "unsupported_response_type", "the implicit grant is not offered (RFC 9700 §2.1.2): use the authorization code grant with PKCE"
	}
	if !c.allowsResponseType(rt) && !(rt == "token" && s.has(fault.ImplicitAnyClient)) && !(rt == "code" && s.has(fault.CodeAnyClient)) {
		return rt, "unsupported_response_type", "response_type " + rt + " is not allowed for this client"
	}
	return rt, "", ""
}

// responseIDToken is the OpenID Connect implicit response type that
// issues an ID Token only (OIDC Core §3.2.2.1): no access token leaves the
// authorization endpoint, so RFC 9700 §2.1.2 does not advise against it.
const responseIDToken = "id_token"

// responseIDTokenToken is the OpenID Connect implicit response type (OIDC
// Core §3.2.2.1): an ID Token and an access token from the authorization
// endpoint.
const responseIDTokenToken = "id_token token"

// responseCodeToken is the hybrid response type "code token" (OIDC Core
// §3.3): a code and an access token from the authorization endpoint. Only
// the hybrid_token_offered fault answers it.
const responseCodeToken = "code token"

// responseCodeIDToken is the hybrid response type "code id_token" (OIDC
// Core §3.3): a code and an ID Token (with c_hash) from the authorization
// endpoint, in the fragment; no access token leaves the token endpoint.
const responseCodeIDToken = "code id_token"

// normResponseType returns the canonical spelling of a response type: the
// order of space-delimited values does not matter (OAuth 2.0 Multiple
// Response Type Encoding Practices §3), so "token id_token" is
// "id_token token". Other values are returned unchanged.
func normResponseType(rt string) string {
	switch rt {
	case "token id_token":
		return responseIDTokenToken
	case "token code":
		return responseCodeToken
	case "id_token code":
		return responseCodeIDToken
	}
	return rt
}

// implicitResponse reports whether the response type delivers its response
// in the fragment (RFC 6749 §4.2.2, OIDC Core §3.2.2.5).
func implicitResponse(rt string) bool { return rt == "token" || rt == responseIDTokenToken }

// fragmentResponse reports whether the response type's responses, errors
// included, go in the fragment: the implicit types and the hybrid code
// id_token (OIDC Core §3.3.2.5). "code token" exists only under a fault
// and keeps the errors of an unsupported type, in the query.
func fragmentResponse(rt string) bool {
	return implicitResponse(rt) || rt == responseCodeIDToken || rt == responseIDToken
}

// newPending starts a pending authorization request with the state of q.
func (s *Server) newPending(c *Client, redirectURI string, redirectGiven bool, q url.Values) *pendingAuth {
	state := q.Get("state")
	if s.has(fault.StateTruncated) && len(state) > 255 {
		state = state[:255]
	}
	return &pendingAuth{
		clientID:      c.ID,
		redirectURI:   redirectURI,
		redirectGiven: redirectGiven,
		responseType:  normResponseType(q.Get("response_type")),
		state:         state,
		oidc:          oidcRequest{maxAge: -1},
		responseMode:  q.Get("response_mode"),
	}
}

func validPKCEString(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for _, c := range v {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	// The authorization endpoint is navigated to, never read by script: no
	// CORS (RFC 9700 §2.6).
	if origin := r.Header.Get("Origin"); origin != "" && s.has(fault.AuthorizeCORS) {
		// The flaw: any origin may read the responses, with credentials.
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		methodNotAllowed(w, "GET, POST")
		return
	}
	if r.Method == http.MethodPost && s.has(fault.AuthorizePostRefused) {
		// The flaw: OIDC Core §3.1.2.1 requires POST too.
		methodNotAllowed(w, "GET")
		return
	}
	q, ok := authzParams(r)
	if !ok {
		s.errorPage(w, r, "The authorization request could not be parsed.")
		return
	}
	// 0. A pushed request (RFC 9126 §4) or a request object (RFC 9101)
	// stands for the whole request.
	pushed := false
	var msg string
	switch {
	case strings.HasPrefix(q.Get("request_uri"), requestURIPrefix):
		if !s.has(fault.PARRequestURIIgnored) {
			q, msg = s.resolvePushed(q)
			pushed = msg == ""
		}
	case q.Has("request_uri"), q.Has("request") && !s.has(fault.JARRequestObjectIgnored):
		q, msg = s.resolveRequestObject(r.Context(), q)
	}
	if msg != "" {
		s.errorPage(w, r, msg)
		return
	}
	// 1. client_id and redirect_uri, before anything may be redirected.
	if !s.has(fault.DuplicateParamsAccepted) {
		if n := repeated(q, "client_id", "redirect_uri"); n != "" {
			s.errorPage(w, r, "The parameter "+n+" was repeated.")
			return
		}
	}
	clientID := q.Get("client_id")
	client, ok := s.clients[clientID]
	if clientID == "" || !ok {
		s.errorPage(w, r, "Unknown or missing client_id.")
		return
	}
	redirectURI := q.Get("redirect_uri")
	redirectGiven := q.Has("redirect_uri")
	if !redirectGiven {
		if len(client.RedirectURIs) != 1 && !s.has(fault.RedirectURIDefaultFirst) {
			s.errorPage(w, r, "The redirect_uri parameter is required for this client.")
			return
		}
		redirectURI = client.RedirectURIs[0]
	}
	if s.has(fault.RedirectURIOpenOnError) {
		// The flaw: response_type is checked first and its error is sent to
		// a redirect_uri nobody has validated yet.
		if rt, code, desc := s.checkResponseType(client, q.Get("response_type")); code != "" {
			p := s.newPending(client, redirectURI, redirectGiven, q)
			p.responseType = rt
			s.redirectError(w, r, p, code, desc)
			return
		}
	}
	if redirectGiven && !(pushed && s.has(fault.PARRedirectURIUnchecked)) && !(s.has(fault.FlowRedirectURIUnchecked) && flowRequest(q)) && !s.redirectURIAllowed(client, redirectURI) {
		if s.has(fault.RedirectURICheckedAfterLogin) && s.deferUntilLogin(w, r, client, q) {
			return
		}
		s.errorPage(w, r, "The redirect_uri is not registered for this client.")
		return
	}

	p := s.newPending(client, redirectURI, redirectGiven, q)
	fail := func(code, desc string) { s.redirectError(w, r, p, code, desc) }

	// 1b. RFC 9126 §4: a client registered to use PAR only is refused a
	// plain request, with invalid_request.
	if client.RequirePAR && !pushed && !s.has(fault.PARRequirementIgnored) {
		fail("invalid_request", "this client must push its authorization requests (RFC 9126)")
		return
	}

	// 2. Repeated and unknown parameters (RFC 6749 §3.1).
	if !s.has(fault.DuplicateParamsAccepted) {
		if n := repeatedAny(q); n != "" {
			if n == "response_type" {
				p.responseType = ""
			}
			fail("invalid_request", "the parameter "+n+" was repeated")
			return
		}
	}
	if s.has(fault.UnknownParamRejected) {
		names := make([]string, 0, len(q))
		for n := range q {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if !knownAuthzParams[n] {
				fail("invalid_request", "unknown parameter "+n)
				return
			}
		}
	}

	// 3. response_type.
	rt, code, desc := s.checkResponseType(client, p.responseType)
	p.responseType = rt
	if code != "" {
		fail(code, desc)
		return
	}

	// 4. scope.
	if q.Has("scope") {
		requested := strings.Fields(q.Get("scope"))
		p.scopes = nil
		for _, sc := range requested {
			switch {
			case contains(client.Scopes, sc):
				p.scopes = append(p.scopes, sc)
			case s.is(ScopeNarrowed):
				// RFC 6749 §3.3: the server may grant less than asked
				// (and says so in the token response's scope).
			default:
				fail("invalid_scope", "scope "+sc+" is not allowed for this client")
				return
			}
		}
		if len(p.scopes) == 0 && len(requested) > 0 {
			fail("invalid_scope", "none of the requested scopes is allowed for this client")
			return
		}
		// OpenID Connect requests (openid requested) must carry a nonce
		// with NonceRequired, in the code flow too.
		if s.is(NonceRequired) && contains(requested, "openid") && q.Get("nonce") == "" {
			fail("invalid_request", "nonce is required for OpenID Connect requests")
			return
		}
	}
	if len(p.scopes) == 0 {
		p.scopes = append([]string(nil), client.Scopes...)
	}
	p.scopes = normScopes(p.scopes)

	// 4b. OpenID Connect: the implicit ID Token request is an OpenID request
	// (openid scope) and must carry a nonce (OIDC Core §3.2.2.1). A nonce
	// sent with a code request is kept for the ID Token (OIDC Core §3.1.2.1).
	if p.responseType == responseIDToken {
		if !contains(p.scopes, "openid") {
			fail("invalid_request", "response_type id_token requires the openid scope")
			return
		}
		if q.Get("nonce") == "" && !s.has(fault.IDTokenOnlyNonceOptional) {
			fail("invalid_request", "nonce is required for response_type id_token")
			return
		}
	}
	if p.responseType == responseIDTokenToken {
		if !contains(p.scopes, "openid") {
			fail("invalid_request", "response_type id_token token requires the openid scope")
			return
		}
		if q.Get("nonce") == "" && !s.has(fault.ImplicitNonceOptional) {
			fail("invalid_request", "nonce is required for response_type id_token token")
			return
		}
	}
	if p.responseType == responseCodeToken && q.Get("nonce") == "" && s.has(fault.CodeTokenNonceRequired) {
		// The flaw: code token returns no ID Token from the authorization
		// endpoint, so its nonce is OPTIONAL (OIDC Core §3.3.2.11).
		fail("invalid_request", "nonce is required for response_type code token")
		return
	}
	// The hybrid code id_token likewise (OIDC Core §3.3.2.11: nonce REQUIRED).
	if p.responseType == responseCodeIDToken {
		if !contains(p.scopes, "openid") {
			fail("invalid_request", "response_type code id_token requires the openid scope")
			return
		}
		if q.Get("nonce") == "" && !s.has(fault.HybridNonceOptional) {
			fail("invalid_request", "nonce is required for response_type code id_token")
			return
		}
	}
	if p.responseType == "code" || p.responseType == responseIDToken || p.responseType == responseIDTokenToken || p.responseType == responseCodeIDToken || p.responseType == responseCodeToken {
		p.nonce = q.Get("nonce")
	}
	p.dpopJKT = q.Get("dpop_jkt")

	// 5. PKCE (authorization code only; and the code of "code token").
	if p.responseType == "code" || p.responseType == responseCodeToken || p.responseType == responseCodeIDToken {
		p.challenge = q.Get("code_challenge")
		p.method = q.Get("code_challenge_method")
		switch {
		case p.challenge == "" && p.method != "":
			fail("invalid_request", "code_challenge_method without code_challenge")
			return
		case p.challenge == "" && client.public() && !s.has(fault.PKCENotRequiredPublic):
			fail("invalid_request", "public clients must use PKCE (code_challenge is required)")
			return
		case p.challenge == "" && !client.public() && s.is(PKCERequiredAll):
			fail("invalid_request", "PKCE is required for every client (code_challenge is required)")
			return
		case p.challenge != "":
			switch p.method {
			case "S256":
			case "plain", "":
				// A missing method means plain (RFC 7636 §4.3), which this
				// server does not support (RFC 9700 §2.1.1).
				if !s.has(fault.PKCEPlainAllowed) {
					fail("invalid_request", "code_challenge_method plain is not supported; use S256")
					return
				}
				p.method = "plain"
			default:
				if !s.has(fault.PKCEUnknownMethodAsPlain) {
					fail("invalid_request", "unsupported code_challenge_method")
					return
				}
				p.method = "plain"
			}
			if !validPKCEString(p.challenge) {
				fail("invalid_request", "malformed code_challenge")
				return
			}
		}
	}

	// 5b. OpenID Connect: prompt, max_age, hints, claims (OIDC Core §3.1.2.1).
	if code, desc := s.readOIDCParams(p, q, strings.Fields(q.Get("scope"))); code != "" {
		fail(code, desc)
		return
	}

	// 6. Store the request server-side and continue with login / consent.
	s.mu.Lock()
	s.sweepLocked()
	sess := s.sessionLocked(r)
	if p.oidc.promptNone && !(sess == nil && s.is(NoLoginUI)) && !(sess == nil && s.has(fault.PromptNoneLoginPage)) && !(sess == nil && s.flowFault(p, fault.FlowPromptNoneLoginPage)) {
		// prompt=none: an answer at once, never a page.
		if code, desc := s.silentLocked(p, sess); code != "" {
			s.mu.Unlock()
			fail(code, desc)
			return
		}
	}
	p.id = randomToken(32)
	p.expires = s.now().Add(pendingLifetime)
	s.pending[p.id] = p
	if s.reauthLocked(p, sess) {
		// prompt=login or max_age: the user signs in again; the new
		// session keeps the consents of this one (signIn).
		sess = nil
	}
	if sess == nil && s.is(NoLoginUI) {
		// No login UI: the request signs the only user in, for this
		// response alone (no session, no cookie), and needs no consent.
		u := s.defaultUser
		delete(s.pending, p.id)
		loc := s.authorizationResponseLocked(p, &session{username: u.Username, subject: u.Subject, authTime: s.now()})
		s.mu.Unlock()
		s.respond(w, r, p, loc, false)
		return
	}
	if sess == nil {
		s.mu.Unlock()
		s.showLogin(w, r, client.ID, p.id)
		return
	}
	p.sessionID = sess.id
	if s.consentedLocked(sess, p.clientID, p.scopes) && !s.forceConsent(p) {
		delete(s.pending, p.id)
		loc := s.authorizationResponseLocked(p, sess)
		s.mu.Unlock()
		s.respond(w, r, p, loc, false)
		return
	}
	s.mu.Unlock()
	http.Redirect(w, r, s.basePath+"/consent?req="+url.QueryEscape(p.id), http.StatusSeeOther)
}

// deferUntilLogin implements the redirect_uri_checked_after_login flaw: with
// no session, it shows the login page and, after sign-in, sends the browser
// back to the same authorization request, which is then validated. It
// returns false (nothing written) when the browser already has a session.
func (s *Server) deferUntilLogin(w http.ResponseWriter, r *http.Request, c *Client, q url.Values) bool {
	s.mu.Lock()
	if s.sessionLocked(r) != nil {
		s.mu.Unlock()
		return false
	}
	s.sweepLocked()
	p := &pendingAuth{
		id:       randomToken(32),
		clientID: c.ID,
		resume:   s.basePath + "/authorize?" + q.Encode(),
		expires:  s.now().Add(pendingLifetime),
	}
	s.pending[p.id] = p
	s.mu.Unlock()
	s.showLogin(w, r, c.ID, p.id)
	return true
}

func normScopes(in []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func (se *session) hasConsent(clientID string, scopes []string) bool {
	got := se.consents[clientID]
	if got == nil {
		return false
	}
	for _, sc := range scopes {
		if !got[sc] {
			return false
		}
	}
	return true
}

// sessionLocked returns the live session named by the request cookie, if any.
func (s *Server) sessionLocked(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	se := s.sessions[c.Value]
	if se == nil || s.now().After(se.expires) {
		return nil
	}
	return se
}

// handleLogin takes the login form posted to the server itself.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, "POST")
		return
	}
	p, u := s.checkLogin(w, r, s.basePath+"/login")
	if u == nil {
		return
	}
	// 303 makes the browser GET the next page; a 307 would re-POST the
	// credentials to it (RFC 9700 §4.12).
	status := http.StatusSeeOther
	if s.has(fault.LoginRedirect307) {
		status = http.StatusTemporaryRedirect
	}
	s.signIn(w, r, p, u, status)
}

// checkLogin reads a posted login form (action is where the form posts).
// It returns the pending request and the user who signed in; otherwise it
// has answered — an error page, the form again with an error, or the
// password page of LoginTwoPages — and returns a nil user.
func (s *Server) checkLogin(w http.ResponseWriter, r *http.Request, action string) (*pendingAuth, *User) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, "The login form could not be parsed.")
		return nil, nil
	}
	reqID := r.PostForm.Get("req")
	username := r.PostForm.Get("username")
	password := r.PostForm.Get("password")

	s.mu.Lock()
	p := s.pending[reqID]
	if reqID == "" || p == nil || s.now().After(p.expires) {
		s.mu.Unlock()
		s.errorPage(w, r, "The authorization request is unknown or has expired. Start again from the application.")
		return nil, nil
	}
	clientID := p.clientID
	if s.is(LoginTwoPages) && !r.PostForm.Has("password") {
		s.mu.Unlock()
		// The first page gave the username; the second asks for the
		// password, whether or not the user exists (the page tells nothing).
		if strings.TrimSpace(username) == "" {
			s.renderLogin(w, loginData{ClientID: clientID, ReqID: reqID, Action: action, Error: "Enter your username", AskUsername: true})
			return nil, nil
		}
		s.renderLogin(w, loginData{ClientID: clientID, ReqID: reqID, Action: action, Username: username, AskPassword: true})
		return nil, nil
	}
	u := s.users[username]
	okUser := u != nil
	want := "\x00never-matches"
	if okUser {
		want = u.Password
	}
	okPass := subtle.ConstantTimeCompare([]byte(password), []byte(want)) == 1
	s.mu.Unlock()
	if !okUser || !okPass {
		s.renderLogin(w, loginData{ClientID: clientID, ReqID: reqID, Action: action, Error: "Invalid username or password"})
		return nil, nil
	}
	return p, u
}

// signIn starts a browser session for u, bound to the pending request p,
// and sends the browser on (status: 303, or 307 with login_redirect_307)
// to the consent page, or back to a request whose validation waited for
// the sign-in (redirect_uri_checked_after_login).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, p *pendingAuth, u *User, status int) {
	s.mu.Lock()
	sess := &session{
		id:       randomToken(32),
		username: u.Username,
		subject:  u.Subject,
		authTime: s.now(),
		expires:  s.now().Add(sessionLifetime),
		consents: map[string]map[string]bool{},
	}
	s.carryConsentsLocked(r, sess)
	s.sessions[sess.id] = sess
	p.sessionID = sess.id
	next := s.basePath + "/consent?req=" + url.QueryEscape(p.id)
	if p.resume != "" {
		// A request whose validation was deferred until sign-in
		// (redirect_uri_checked_after_login): replay it, now with a session.
		next = p.resume
		status = http.StatusSeeOther
		delete(s.pending, p.id)
	}
	s.mu.Unlock()

	// The session cookie is out of script's reach (HttpOnly, RFC 6265
	// §4.1.2.6), stays home on cross-site POSTs and subresources (SameSite
	// Lax against login and consent CSRF, RFC 6749 §10.12) and, for an
	// https issuer, never travels over plain http (Secure, RFC 6265 §8.3).
	cookie := &http.Cookie{
		Name:     sessionCookie,
		Value:    sess.id,
		Path:     "/",
		HttpOnly: !s.has(fault.SessionCookieNotHttponly),
		SameSite: http.SameSiteLaxMode,
		Secure:   strings.HasPrefix(s.issuer, "https://") && !s.has(fault.SessionCookieNotSecure),
	}
	if s.has(fault.SessionCookieNoSamesite) {
		cookie.SameSite = 0 // the flaw: no attribute at all
	}
	http.SetCookie(w, cookie)
	s.setBrowserState(w, sess) // Session Management's OP browser state (rplogout.go)
	s.setPageHeaders(w)
	http.Redirect(w, r, next, status)
}

func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
	var reqID string
	switch r.Method {
	case http.MethodGet:
		reqID = r.URL.Query().Get("req")
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			s.errorPage(w, r, "The consent form could not be parsed.")
			return
		}
		reqID = r.PostForm.Get("req")
	default:
		methodNotAllowed(w, "GET, POST")
		return
	}

	s.mu.Lock()
	if reqID == "" && r.Method == http.MethodPost && s.has(fault.ConsentCSRF) {
		// The flaw: a decision posted without the request's own value (the
		// consent page's anti-forgery value) applies to the session's latest
		// pending request, so any page the user visits can approve it.
		reqID = s.latestPendingLocked(r)
	}
	p := s.pending[reqID]
	if reqID == "" || p == nil || s.now().After(p.expires) {
		s.mu.Unlock()
		s.errorPage(w, r, "The authorization request is unknown or has expired. Start again from the application.")
		return
	}
	sess := s.sessionLocked(r)
	if sess == nil || p.sessionID != sess.id || p.resume != "" {
		// Not signed in, or the request belongs to another browser: never
		// let a foreign session approve it.
		s.mu.Unlock()
		s.errorPage(w, r, "This authorization request does not belong to your session. Start again from the application.")
		return
	}

	// A POST without a decision is the login form re-POSTed after a 307
	// (login_redirect_307): show the page as for GET.
	if r.Method == http.MethodGet || !r.PostForm.Has("decision") {
		if s.consentedLocked(sess, p.clientID, p.scopes) && !s.forceConsent(p) {
			delete(s.pending, p.id)
			loc := s.authorizationResponseLocked(p, sess)
			s.mu.Unlock()
			s.respond(w, r, p, loc, false)
			return
		}
		data := consentData{
			ClientID: p.clientID, ReqID: p.id, Action: s.basePath + "/consent",
			Username: sess.username, Scopes: append([]string(nil), p.scopes...),
		}
		s.mu.Unlock()
		s.renderPage(w, http.StatusOK, "consent", data)
		return
	}

	switch r.PostForm.Get("decision") {
	case "approve":
		delete(s.pending, p.id)
		if sess.consents[p.clientID] == nil {
			sess.consents[p.clientID] = map[string]bool{}
		}
		for _, sc := range p.scopes {
			sess.consents[p.clientID][sc] = true
		}
		s.rememberConsentLocked(sess, p.clientID, p.scopes)
		loc := s.authorizationResponseLocked(p, sess)
		s.mu.Unlock()
		s.respond(w, r, p, loc, false)
	case "deny":
		delete(s.pending, p.id)
		s.mu.Unlock()
		code := "access_denied"
		if s.has(fault.DenyWrongError) {
			code = "server_error"
		}
		s.redirectError(w, r, p, code, "the resource owner denied the request")
	default:
		s.mu.Unlock()
		s.errorPage(w, r, "Unknown consent decision.")
	}
}

// latestPendingLocked returns the id of the newest pending request bound
// to the request's session ("" when none). Caller holds s.mu.
func (s *Server) latestPendingLocked(r *http.Request) string {
	sess := s.sessionLocked(r)
	if sess == nil {
		return ""
	}
	var latest *pendingAuth
	for _, p := range s.pending {
		if p.sessionID == sess.id && (latest == nil || p.expires.After(latest.expires)) {
			latest = p
		}
	}
	if latest == nil {
		return ""
	}
	return latest.id
}

// newCodeLocked returns a fresh authorization code: 256 random bits
// (RFC 6749 §10.10). Caller holds s.mu.
func (s *Server) newCodeLocked() string {
	for {
		var code string
		if s.has(fault.WeakCodes) {
			// The flaw: a counter through a multiplicative hash, 32 bits.
			s.codeSeq++
			code = fmt.Sprintf("%08x", s.codeSeq*2654435761)
		} else {
			code = randomToken(32)
		}
		if s.codes[code] == nil {
			return code
		}
	}
}

// responseIssuer is the value of the RFC 9207 iss parameter.
func (s *Server) responseIssuer() string {
	if s.has(fault.IssWrong) {
		return s.issuer + "/other"
	}
	return s.issuer
}

// buildRedirect appends params to the redirect URI, in the query or in the
// fragment.
func buildRedirect(redirectURI string, params url.Values, inFragment bool) string {
	enc := params.Encode()
	if inFragment {
		return redirectURI + "#" + enc
	}
	switch {
	case !strings.Contains(redirectURI, "?"):
		return redirectURI + "?" + enc
	case strings.HasSuffix(redirectURI, "?"), strings.HasSuffix(redirectURI, "&"):
		return redirectURI + enc
	default:
		return redirectURI + "&" + enc
	}
}

// redirectError sends an authorization error response to the client's
// redirect URI (query for code, fragment for token): a registered error code
// (RFC 6749 §4.1.2.1), state if the request had one, iss, and never a code.
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, p *pendingAuth, code, desc string) {
	v := url.Values{}
	if s.has(fault.ErrorCodeUnregistered) {
		code = "bad_request"
	}
	v.Set("error", code)
	if desc != "" {
		v.Set("error_description", desc)
	}
	if p.state != "" && !s.has(fault.ErrorStateDropped) {
		v.Set("state", p.state)
	}
	v.Set("iss", s.responseIssuer())
	if s.has(fault.CodeInErrorResponse) {
		v.Set("code", randomToken(32))
	}
	w.Header().Set("Cache-Control", "no-store")
	// RFC 6749 §4.2.2.1: errors for response_type=token go in the fragment,
	// as do those for id_token token (OIDC Core §3.2.2.6).
	inFragment := fragmentResponse(p.responseType) && !s.has(fault.ImplicitErrorInQuery)
	s.respond(w, r, p, buildRedirect(p.redirectURI, v, inFragment), true)
}

// authorizationResponseLocked issues the code or the implicit access token
// (with an ID Token for id_token token) and returns the redirect location.
// Caller holds s.mu.
func (s *Server) authorizationResponseLocked(p *pendingAuth, sess *session) string {
	now := s.now()
	v := url.Values{}
	inFragment := false
	switch p.responseType {
	case "code", responseCodeToken, responseCodeIDToken:
		code := s.newCodeLocked()
		lifetime := s.codeLifetime
		if s.has(fault.CodeLongLived) {
			lifetime = 100 * 365 * 24 * time.Hour
		}
		s.codes[code] = &codeRecord{
			clientID:      p.clientID,
			redirectURI:   p.redirectURI,
			redirectGiven: p.redirectGiven,
			subject:       sess.subject,
			scopes:        p.scopes,
			challenge:     p.challenge,
			method:        p.method,
			nonce:         p.nonce,
			dpopJKT:       p.dpopJKT,
			authTime:      s.authTimeFor(p, sess),
			sid:           sidOf(sess),
			expires:       now.Add(lifetime),
		}
		v.Set("code", code)
		inFragment = s.has(fault.CodeInFragment)
		if p.responseType == responseCodeIDToken {
			// OIDC Core §3.3.2.5: the code and an ID Token bound to it by
			// c_hash (§3.3.2.11), in the fragment.
			inFragment = true
			nonce := p.nonce
			if s.has(fault.HybridIDTokenNonceDropped) {
				// The flaw: the front channel's ID Token forgets the nonce.
				nonce = ""
			}
			idt, err := s.issueIDToken(p.clientID, sess.subject, s.authTimeFor(p, sess), nonce, "", false, withCHash(code, !s.has(fault.IDTokenNoCHash)), withSID(sidOf(sess)))
			if err != nil {
				v = url.Values{"error": {"server_error"}, "error_description": {"could not issue the ID Token"}}
				break
			}
			v.Set("id_token", idt)
		}
		if p.responseType == responseCodeToken {
			// hybrid_token_offered: the access token joins the code, and
			// the response goes in the fragment (OIDC Core §3.3.2.5).
			inFragment = true
			tok, err := s.issueAccessLocked(s.newGrantLocked(p.clientID, sess.subject, p.scopes), p.scopes, tokenBinding{})
			if err != nil {
				v = url.Values{"error": {"server_error"}, "error_description": {"could not issue the access token"}}
				break
			}
			v.Set("access_token", tok)
			v.Set("token_type", s.tokenType())
			v.Set("expires_in", itoa(int64(s.atLifetime(p.clientID)/time.Second)))
		}
	case responseIDToken:
		// OIDC Core §3.2.2.5: the ID Token alone, in the fragment.
		inFragment = true
		idt, err := s.issueIDToken(p.clientID, sess.subject, s.authTimeFor(p, sess), p.nonce, "", false, s.idTokenScopeClaimsLocked(sess.subject, p.scopes), withSID(sidOf(sess)))
		if err != nil {
			v.Set("error", "server_error")
			v.Set("error_description", "could not issue the ID Token")
			break
		}
		v.Set("id_token", idt)
	case "token", responseIDTokenToken:
		inFragment = !s.has(fault.TokenInQuery)
		g := s.newGrantLocked(p.clientID, sess.subject, p.scopes)
		tok, err := s.issueAccessLocked(g, s.frontTokenScopes(p), tokenBinding{})
		if err != nil {
			v.Set("error", "server_error")
			v.Set("error_description", "could not issue the access token")
			break
		}
		v.Set("access_token", tok)
		tokenType := s.tokenType()
		if s.has(fault.ImplicitTokenTypeWrong) {
			tokenType = "mac"
		}
		v.Set("token_type", tokenType)
		if !s.has(fault.NoExpiresIn) && !s.has(fault.ImplicitNoExpiresIn) {
			v.Set("expires_in", itoa(int64(s.atLifetime(g.clientID)/time.Second)))
		}
		v.Set("scope", strings.Join(p.scopes, " "))
		if s.has(fault.ImplicitRefreshToken) {
			v.Set("refresh_token", s.issueRefreshLocked(g, g.scopes, ""))
		}
		if p.responseType == responseIDTokenToken {
			// OIDC Core §3.2.2.10: at_hash is REQUIRED here.
			withAtHash := !s.has(fault.IDTokenNoAtHash)
			idt, err := s.issueIDToken(p.clientID, sess.subject, s.authTimeFor(p, sess), p.nonce, tok, withAtHash, withSID(sidOf(sess)))
			if err != nil {
				v = url.Values{}
				v.Set("error", "server_error")
				v.Set("error_description", "could not issue the ID Token")
				break
			}
			v.Set("id_token", idt)
		}
	}
	dropState := s.has(fault.StateDropped) || (implicitResponse(p.responseType) && s.has(fault.ImplicitStateDropped))
	if p.state != "" && !dropState {
		v.Set("state", p.state)
	}
	v.Set("iss", s.responseIssuer())
	// Session Management §3 session_state, and the RP the logout notifies (rplogout.go).
	s.sessionResponseLocked(p, sess, v)
	return buildRedirect(p.redirectURI, v, inFragment)
}
