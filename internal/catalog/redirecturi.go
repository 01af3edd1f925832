package catalog

// Redirect URI handling: RFC 6749 §3.1.2 and §4.1.2.1, RFC 9700 §2.1 and
// §4.1.
// RFC 9700 §2.1: "authorization servers MUST utilize exact string matching"
// of redirect URIs (loopback ports excepted); RFC 6749 §4.1.2.1: on a
// missing, invalid or mismatching redirect URI the server "MUST NOT
// automatically redirect the user-agent to the invalid redirection URI".
// Each variant is sent as a logged-in user who already consented, so a
// lenient server answers with a code at once; the verdict says what it did.
// The checks of suites/redirecturi.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// UnregisteredRedirectRefused: RFC 6749 §3.1.2.4 and §4.1.2.1.
	UnregisteredRedirectRefused = register(Check{
		ID: "RU-01", Title: "an unregistered redirect URI gets an error page, never a redirect",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.2.4", "RFC 6749 §4.1.2.1"}, Fault: fault.RedirectURIAny,
	})

	// UnregisteredRedirectBeforeLogin: RFC 6749 §3.1.2.4 "the authorization
	// server SHOULD inform the resource owner of the error" — not ask them to
	// log in first, which trains users to sign in on behalf of any URI.
	UnregisteredRedirectBeforeLogin = register(Check{
		ID: "RU-02", Title: "an unregistered redirect URI is refused before any login page",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §3.1.2.4", "RFC 9700 §4.11.2"}, Fault: fault.RedirectURICheckedAfterLogin,
	})

	// RedirectExtraPathSegment: a redirect URI with an extra path segment is refused.
	RedirectExtraPathSegment = register(Check{
		ID: "RU-03", Title: "a redirect URI with an extra path segment is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// RedirectPathSuffix: a redirect URI with a suffix on its last path segment is refused.
	RedirectPathSuffix = register(Check{
		ID: "RU-04", Title: "a redirect URI with a suffix on its last path segment is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// RedirectTrailingSlash: a redirect URI with an added trailing slash is refused.
	RedirectTrailingSlash = register(Check{
		ID: "RU-05", Title: "a redirect URI with an added trailing slash is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// RedirectAddedQuery: a redirect URI with an added query is refused.
	RedirectAddedQuery = register(Check{
		ID: "RU-06", Title: "a redirect URI with an added query is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// RedirectOtherPort: a redirect URI on another port is refused.
	RedirectOtherPort = register(Check{
		ID: "RU-07", Title: "a redirect URI on another port is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIIgnorePort,
	})

	// RedirectSubdomain: a redirect URI on a subdomain of the registered host is refused.
	RedirectSubdomain = register(Check{
		ID: "RU-08", Title: "a redirect URI on a subdomain of the registered host is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURISubdomainMatch,
	})

	// RedirectOtherHost: a redirect URI on another host is refused.
	RedirectOtherHost = register(Check{
		ID: "RU-09", Title: "a redirect URI on another host is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIHostIgnored,
	})

	// RedirectSchemeChange: a redirect URI with another scheme (https↔http) is refused.
	RedirectSchemeChange = register(Check{
		ID: "RU-10", Title: "a redirect URI with another scheme (https↔http) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURISchemeIgnored,
	})

	// RedirectLetterCase: a redirect URI differing only in letter case is refused.
	RedirectLetterCase = register(Check{
		ID: "RU-11", Title: "a redirect URI differing only in letter case is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURICaseInsensitive,
	})

	// RedirectEncodedSlash: a redirect URI with an encoded slash after the path (%2F..%2F) is refused.
	RedirectEncodedSlash = register(Check{
		ID: "RU-12", Title: "a redirect URI with an encoded slash after the path (%2F..%2F) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// RedirectDotSegment: a redirect URI with an encoded dot-segment escape (/..%2F) is refused.
	RedirectDotSegment = register(Check{
		ID: "RU-13", Title: "a redirect URI with an encoded dot-segment escape (/..%2F) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// RedirectDoubleEncoded: a redirect URI that decodes twice to the registered path (%252e%252e) is refused.
	RedirectDoubleEncoded = register(Check{
		ID: "RU-14", Title: "a redirect URI that decodes twice to the registered path (%252e%252e) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIDecodedBeforeCompare,
	})

	// RedirectPathParameter: a redirect URI with a ;/../ path parameter is refused.
	RedirectPathParameter = register(Check{
		ID: "RU-15", Title: "a redirect URI with a ;/../ path parameter is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// RedirectNormalizesToReg: a redirect URI that only normalizes to the registered one (/x/..%2Fcallback) is refused.
	RedirectNormalizesToReg = register(Check{
		ID: "RU-16", Title: "a redirect URI that only normalizes to the registered one (/x/..%2Fcallback) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIDecodedBeforeCompare,
	})

	// RedirectUserinfo: a redirect URI that puts the registered host in userinfo (host@attacker) is refused.
	RedirectUserinfo = register(Check{
		ID: "RU-17", Title: "a redirect URI that puts the registered host in userinfo (host@attacker) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIUserinfoIgnored,
	})

	// RedirectCodePollution: a redirect URI carrying its own code parameter (?code=…) is refused.
	RedirectCodePollution = register(Check{
		ID: "RU-18", Title: "a redirect URI carrying its own code parameter (?code=…) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
	})

	// DuplicateRedirectURIRefused: RFC 6749 §3.1 "Request and response
	// parameters MUST NOT be included more than once"; with two redirect URIs
	// the server cannot know where to send the user, so nothing may be sent.
	DuplicateRedirectURIRefused = register(Check{
		ID: "RU-19", Title: "a request with two redirect_uri parameters delivers no code",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1", "RFC 6749 §4.1.2.1"}, Fault: fault.DuplicateParamsAccepted,
	})

	// NoOpenRedirectOnError: RFC 6749 §4.1.2.1 and RFC 9700 §4.11.2 — an
	// error in an otherwise bad request is not redirected to an unregistered URI.
	NoOpenRedirectOnError = register(Check{
		ID: "RU-20", Title: "a bad request with an unregistered redirect URI is not redirected there (open redirector)",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1", "RFC 9700 §4.11.2"}, Fault: fault.RedirectURIOpenOnError,
	})

	// MissingRedirectURIWithSeveral: RFC 6749 §3.1.2.3 "If multiple
	// redirection URIs have been registered ... the client MUST include a
	// redirection URI with the authorization request"; §4.1.2.1 a missing
	// redirection URI is never redirected.
	MissingRedirectURIWithSeveral = register(Check{
		ID: "RU-21", Title: "a client with several redirect URIs that names none gets an error page",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.2.3", "RFC 6749 §4.1.2.1"}, Fault: fault.RedirectURIDefaultFirst,
	})
)
