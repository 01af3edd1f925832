package catalog

// Redirect URI handling: RFC 6749 §3.1.2 and §4.1.2.1, RFC 9700 §2.1 and §4.1.
// RFC 9700 §2.1: "authorization servers MUST utilize exact string matching"
// of redirect URIs (loopback ports excepted); RFC 6749 §4.1.2.1: on a
// missing, invalid or mismatching redirect URI the server "MUST NOT
// automatically redirect the user-agent to the invalid redirection URI".
// Each variant below is sent as a logged-in user who already consented, so
// a lenient server answers with a code at once; the verdict says what it did.

// redirectVariant builds the check for one way of bending the registered URI.
func redirectVariant(id, title, fault string) Check {
	return register(Check{
		ID: id, Title: title, Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault,
	})
}

var (
	// UnregisteredRedirectRefused: RFC 6749 §3.1.2.4 and §4.1.2.1.
	UnregisteredRedirectRefused = register(Check{
		ID: "RU-01", Title: "an unregistered redirect URI gets an error page, never a redirect",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.2.4", "RFC 6749 §4.1.2.1"}, Fault: "redirect_uri_any",
	})

	// UnregisteredRedirectBeforeLogin: RFC 6749 §3.1.2.4 "the authorization
	// server SHOULD inform the resource owner of the error" — not ask them to
	// log in first, which trains users to sign in on behalf of any URI.
	UnregisteredRedirectBeforeLogin = register(Check{
		ID: "RU-02", Title: "an unregistered redirect URI is refused before any login page",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §3.1.2.4", "RFC 9700 §4.11.2"}, Fault: "redirect_uri_checked_after_login",
	})

	RedirectExtraPathSegment = redirectVariant("RU-03", "a redirect URI with an extra path segment is refused", "redirect_uri_prefix_match")
	RedirectPathSuffix       = redirectVariant("RU-04", "a redirect URI with a suffix on its last path segment is refused", "redirect_uri_prefix_match")
	RedirectTrailingSlash    = redirectVariant("RU-05", "a redirect URI with an added trailing slash is refused", "redirect_uri_prefix_match")
	RedirectAddedQuery       = redirectVariant("RU-06", "a redirect URI with an added query is refused", "redirect_uri_prefix_match")
	RedirectOtherPort        = redirectVariant("RU-07", "a redirect URI on another port is refused", "redirect_uri_ignore_port")
	RedirectSubdomain        = redirectVariant("RU-08", "a redirect URI on a subdomain of the registered host is refused", "redirect_uri_subdomain_match")
	RedirectOtherHost        = redirectVariant("RU-09", "a redirect URI on another host is refused", "redirect_uri_host_ignored")
	RedirectSchemeChange     = redirectVariant("RU-10", "a redirect URI with another scheme (https↔http) is refused", "redirect_uri_scheme_ignored")
	RedirectLetterCase       = redirectVariant("RU-11", "a redirect URI differing only in letter case is refused", "redirect_uri_case_insensitive")
	RedirectEncodedSlash     = redirectVariant("RU-12", "a redirect URI with an encoded slash after the path (%2F..%2F) is refused", "redirect_uri_prefix_match")
	RedirectDotSegment       = redirectVariant("RU-13", "a redirect URI with an encoded dot-segment escape (/..%2F) is refused", "redirect_uri_prefix_match")
	RedirectDoubleEncoded    = redirectVariant("RU-14", "a redirect URI that decodes twice to the registered path (%252e%252e) is refused", "redirect_uri_decoded_before_compare")
	RedirectPathParameter    = redirectVariant("RU-15", "a redirect URI with a ;/../ path parameter is refused", "redirect_uri_prefix_match")
	RedirectNormalizesToReg  = redirectVariant("RU-16", "a redirect URI that only normalizes to the registered one (/x/..%2Fcallback) is refused", "redirect_uri_decoded_before_compare")
	RedirectUserinfo         = redirectVariant("RU-17", "a redirect URI that puts the registered host in userinfo (host@attacker) is refused", "redirect_uri_userinfo_ignored")
	RedirectCodePollution    = redirectVariant("RU-18", "a redirect URI carrying its own code parameter (?code=…) is refused", "redirect_uri_prefix_match")

	// DuplicateRedirectURIRefused: RFC 6749 §3.1 "Request and response
	// parameters MUST NOT be included more than once"; with two redirect URIs
	// the server cannot know where to send the user, so nothing may be sent.
	DuplicateRedirectURIRefused = register(Check{
		ID: "RU-19", Title: "a request with two redirect_uri parameters delivers no code",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1", "RFC 6749 §4.1.2.1"}, Fault: "duplicate_params_accepted",
	})

	// MissingRedirectURIWithSeveral: RFC 6749 §3.1.2.3 "If multiple
	// redirection URIs have been registered ... the client MUST include a
	// redirection URI with the authorization request"; §4.1.2.1 a missing
	// redirection URI is never redirected.
	MissingRedirectURIWithSeveral = register(Check{
		ID: "RU-21", Title: "a client with several redirect URIs that names none gets an error page",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.2.3", "RFC 6749 §4.1.2.1"}, Fault: "redirect_uri_default_first",
	})

	// NoOpenRedirectOnError: RFC 6749 §4.1.2.1 and RFC 9700 §4.11.2 — an
	// error in an otherwise bad request is not redirected to an unregistered URI.
	NoOpenRedirectOnError = register(Check{
		ID: "RU-20", Title: "a bad request with an unregistered redirect URI is not redirected there (open redirector)",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1", "RFC 9700 §4.11.2"}, Fault: "redirect_uri_open_on_error",
	})
)
