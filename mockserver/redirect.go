package mockserver

import (
	"net/url"
	"path"
	"strings"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// redirectURIAllowed reports whether given may be used as client's redirect
// URI. The secure rule is simple string comparison with a registered URI
// (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3). Each redirect_uri_* fault replaces
// it with a lenient matcher seen in real servers; every relaxation compares
// all other parts of the URI exactly, as text.
func (s *Server) redirectURIAllowed(c *Client, given string) bool {
	if s.has(fault.RedirectURIAny) {
		return true
	}
	g, gOK := splitURI(given)
	for _, reg := range c.RedirectURIs {
		if given == reg {
			return true
		}
		if s.has(fault.RedirectURIPrefixMatch) && strings.HasPrefix(given, reg) {
			return true
		}
		if s.has(fault.RedirectURICaseInsensitive) && strings.EqualFold(given, reg) {
			return true
		}
		if s.has(fault.RedirectURIUserinfoIgnored) && naiveAuthorityURI(given) == reg {
			return true
		}
		if s.has(fault.RedirectURIDecodedBeforeCompare) && decodedCleanURI(given) == reg {
			return true
		}
		r, rOK := splitURI(reg)
		if !gOK || !rOK {
			continue
		}
		if s.has(fault.RedirectURIIgnorePort) &&
			g.scheme == r.scheme && g.host == r.host && g.rest == r.rest {
			return true
		}
		if s.has(fault.RedirectURIHostIgnored) &&
			g.scheme == r.scheme && g.port == r.port && g.rest == r.rest {
			return true
		}
		if s.has(fault.RedirectURISchemeIgnored) &&
			g.host == r.host && g.port == r.port && g.rest == r.rest {
			return true
		}
		if s.has(fault.RedirectURISubdomainMatch) &&
			g.scheme == r.scheme && g.port == r.port && g.rest == r.rest &&
			strings.HasSuffix(g.host, "."+r.host) {
			return true
		}
	}
	return false
}

// uriParts is a purely textual split of scheme://host[:port]rest, where rest
// starts at the first '/', '?' or '#' after the authority. host keeps any
// userinfo; port keeps its leading ':' so "h" and "h:" differ.
type uriParts struct{ scheme, host, port, rest string }

func splitURI(u string) (uriParts, bool) {
	var p uriParts
	i := strings.Index(u, "://")
	if i <= 0 {
		return p, false
	}
	p.scheme = u[:i]
	after := u[i+3:]
	j := strings.IndexAny(after, "/?#")
	if j < 0 {
		j = len(after)
	}
	authority := after[:j]
	p.rest = after[j:]
	if k := strings.LastIndex(authority, ":"); k >= 0 && k > strings.LastIndex(authority, "]") {
		p.host, p.port = authority[:k], authority[k:]
	} else {
		p.host = authority
	}
	return p, true
}

// naiveAuthorityURI rebuilds u the way a naive parser sees it: the text
// between "://" and the next "/" is cut at "@" and the part before it is
// taken as the host. It returns "" when u has no "@" in its authority.
func naiveAuthorityURI(u string) string {
	scheme, after, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	authority, rest := after, ""
	if j := strings.Index(after, "/"); j >= 0 {
		authority, rest = after[:j], after[j:]
	}
	host, _, found := strings.Cut(authority, "@")
	if !found {
		return ""
	}
	return scheme + "://" + host + rest
}

// decodedCleanURI percent-decodes the path of u until it no longer changes
// and removes dot segments. It returns "" when u cannot be split.
func decodedCleanURI(u string) string {
	p, ok := splitURI(u)
	if !ok {
		return ""
	}
	pth, suffix := p.rest, ""
	if k := strings.IndexAny(pth, "?#"); k >= 0 {
		pth, suffix = pth[:k], pth[k:]
	}
	for range 16 {
		d, err := url.PathUnescape(pth)
		if err != nil || d == pth {
			break
		}
		pth = d
	}
	if pth != "" {
		pth = path.Clean(pth)
	}
	return p.scheme + "://" + p.host + p.port + pth + suffix
}
