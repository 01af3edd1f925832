package mockserver

import "github.com/oauthconform/oauthconform/mockserver/fault"

// flowFault reports whether fault f, one of the OpenID Connect flows'
// (fault/oidcflowreauth.go), is on and applies to the request p: its
// response is not a code in the query (a response type other than code, or
// response_mode=form_post), the responses of the Implicit, Hybrid and Form
// Post plans.
func (s *Server) flowFault(p *pendingAuth, f fault.Name) bool {
	return s.has(f) && (p.responseType != "code" || p.responseMode == "form_post")
}
