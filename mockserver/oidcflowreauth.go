package mockserver

import "github.com/oauthconform/oauthconform/mockserver/fault"

// flowFault reports whether fault f, one of the OpenID Connect flows'
// (fault/oidcflowreauth.go), is on and applies to the request p: a response
// of the Implicit, Hybrid and Form Post plans — an ID Token or a hybrid
// type, or a code with response_mode=form_post — not a code in the query
// nor OAuth's plain implicit token.
func (s *Server) flowFault(p *pendingAuth, f fault.Name) bool {
	if !s.has(f) {
		return false
	}
	switch p.responseType {
	case "code":
		return p.responseMode == "form_post"
	case "", "token":
		return false
	}
	return true
}
