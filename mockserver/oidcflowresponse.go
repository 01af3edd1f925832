package mockserver

import (
	"slices"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// The responses of the OpenID Connect flows (OIDC Core §3.2, §3.3): the
// claims of an ID Token that no access token accompanies, and the scopes
// of an access token issued by the authorization endpoint.

// idTokenScopeClaimsLocked is the ID Token option that adds the claims of
// the granted profile, email, address and phone scopes: OIDC Core §5.4
// returns them in the ID Token when no access token is issued (response
// type id_token), there being no UserInfo request to make. Caller holds s.mu.
func (s *Server) idTokenScopeClaimsLocked(subject string, scopes []string) idTokenOption {
	if s.has(fault.IDTokenOnlyScopeClaimsDropped) {
		// The flaw: the claims go nowhere.
		return func(*idTokenClaims) {}
	}
	var username string
	for _, u := range s.users {
		if u.Subject == subject {
			username = u.Username
		}
	}
	all := standardClaims(username, s.now().Unix())
	extra := map[string]any{}
	for _, sc := range scopes {
		for _, name := range scopeClaims[sc] {
			extra[name] = all[name]
		}
	}
	return func(c *idTokenClaims) {
		if len(extra) > 0 {
			c.Extra = extra
		}
	}
}

// frontTokenScopes are the scopes of the access token an implicit
// response issues: the request's.
func (s *Server) frontTokenScopes(p *pendingAuth) []string {
	if p.responseType == responseIDTokenToken && s.has(fault.ImplicitAccessTokenNoOpenID) {
		// The flaw: the token cannot obtain the user's claims.
		return slices.DeleteFunc(slices.Clone(p.scopes), func(sc string) bool { return sc == "openid" })
	}
	return p.scopes
}
