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

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// UnregisteredRedirectRefused: RFC 6749 §3.1.2.4 and §4.1.2.1.
	UnregisteredRedirectRefused = register(Check{
		ID: "RU-01", Title: "an unregistered redirect URI gets an error page, never a redirect",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.2.4", "RFC 6749 §4.1.2.1"}, Fault: fault.RedirectURIAny,
		Quote:  "RFC 6749 §3.1.2.4: If an authorization request fails validation due to a missing, invalid, or mismatching redirection URI, the authorization server … MUST NOT automatically redirect the user-agent to the invalid redirection URI.",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
		OIDF: []string{"oidcc-ensure-registered-redirect-uri"},
	})

	// UnregisteredRedirectBeforeLogin: RFC 6749 §3.1.2.4 "the authorization
	// server SHOULD inform the resource owner of the error" — not ask them to
	// log in first, which trains users to sign in on behalf of any URI.
	UnregisteredRedirectBeforeLogin = register(Check{
		ID: "RU-02", Title: "an unregistered redirect URI is refused before any login page",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §3.1.2.4", "RFC 9700 §4.11.2", "RFC 6749 §4.1.1"}, Fault: fault.RedirectURICheckedAfterLogin,
		Quote: "RFC 6749 §4.1.1: The authorization server validates the request to ensure that all required parameters are present and valid. If the request is valid, the authorization server authenticates the resource owner and obtains an authorization decision",
		Binds: BindsPractice, Why: "The sentence orders validation before login but gives no key word; a server that shows its login page for an unregistered redirect URI lends its trusted page to a phishing link, a hardening warning.",
		Threat: "RFC 9700 §4.11.2 authorization server as open redirector (the provider's login page shown for an attacker's redirect URI)", Severity: verdict.Medium,
		OIDF: []string{"oidcc-ensure-registered-redirect-uri"},
	})

	// RedirectExtraPathSegment: a redirect URI with an extra path segment is refused.
	RedirectExtraPathSegment = register(Check{
		ID: "RU-03", Title: "a redirect URI with an extra path segment is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectPathSuffix: a redirect URI with a suffix on its last path segment is refused.
	RedirectPathSuffix = register(Check{
		ID: "RU-04", Title: "a redirect URI with a suffix on its last path segment is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectTrailingSlash: a redirect URI with an added trailing slash is refused.
	RedirectTrailingSlash = register(Check{
		ID: "RU-05", Title: "a redirect URI with an added trailing slash is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectAddedQuery: a redirect URI with an added query is refused.
	RedirectAddedQuery = register(Check{
		ID: "RU-06", Title: "a redirect URI with an added query is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
		OIDF: []string{"oidcc-redirect-uri-query-added"},
	})

	// RedirectOtherPort: a redirect URI on another port is refused.
	RedirectOtherPort = register(Check{
		ID: "RU-07", Title: "a redirect URI on another port is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIIgnorePort,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectSubdomain: a redirect URI on a subdomain of the registered host is refused.
	RedirectSubdomain = register(Check{
		ID: "RU-08", Title: "a redirect URI on a subdomain of the registered host is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURISubdomainMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectOtherHost: a redirect URI on another host is refused.
	RedirectOtherHost = register(Check{
		ID: "RU-09", Title: "a redirect URI on another host is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIHostIgnored,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectSchemeChange: a redirect URI with another scheme (https↔http) is refused.
	RedirectSchemeChange = register(Check{
		ID: "RU-10", Title: "a redirect URI with another scheme (https↔http) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURISchemeIgnored,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectLetterCase: a redirect URI differing only in letter case is refused.
	RedirectLetterCase = register(Check{
		ID: "RU-11", Title: "a redirect URI differing only in letter case is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURICaseInsensitive,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectEncodedSlash: a redirect URI with an encoded slash after the path (%2F..%2F) is refused.
	RedirectEncodedSlash = register(Check{
		ID: "RU-12", Title: "a redirect URI with an encoded slash after the path (%2F..%2F) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectDotSegment: a redirect URI with an encoded dot-segment escape (/..%2F) is refused.
	RedirectDotSegment = register(Check{
		ID: "RU-13", Title: "a redirect URI with an encoded dot-segment escape (/..%2F) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectDoubleEncoded: a redirect URI that decodes twice to the registered path (%252e%252e) is refused.
	RedirectDoubleEncoded = register(Check{
		ID: "RU-14", Title: "a redirect URI that decodes twice to the registered path (%252e%252e) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIDecodedBeforeCompare,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectPathParameter: a redirect URI with a ;/../ path parameter is refused.
	RedirectPathParameter = register(Check{
		ID: "RU-15", Title: "a redirect URI with a ;/../ path parameter is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectNormalizesToReg: a redirect URI that only normalizes to the registered one (/x/..%2Fcallback) is refused.
	RedirectNormalizesToReg = register(Check{
		ID: "RU-16", Title: "a redirect URI that only normalizes to the registered one (/x/..%2Fcallback) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIDecodedBeforeCompare,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectUserinfo: a redirect URI that puts the registered host in userinfo (host@attacker) is refused.
	RedirectUserinfo = register(Check{
		ID: "RU-17", Title: "a redirect URI that puts the registered host in userinfo (host@attacker) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIUserinfoIgnored,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.Critical,
	})

	// RedirectCodePollution: a redirect URI carrying its own code parameter (?code=…) is refused.
	RedirectCodePollution = register(Check{
		ID: "RU-18", Title: "a redirect URI carrying its own code parameter (?code=…) is refused",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1", "RFC 6749 §4.1.2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.RedirectURIPrefixMatch,
		Quote:  "RFC 9700 §2.1: When comparing client redirection URIs against pre-registered URIs, authorization servers MUST utilize exact string matching except for port numbers in localhost redirection URIs of native apps (see Section 4.1.3).",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.High,
	})

	// DuplicateRedirectURIRefused: RFC 6749 §3.1 "Request and response
	// parameters MUST NOT be included more than once"; with two redirect URIs
	// the server cannot know where to send the user, so nothing may be sent.
	DuplicateRedirectURIRefused = register(Check{
		ID: "RU-19", Title: "a request with two redirect_uri parameters delivers no code",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1", "RFC 6749 §4.1.2.1"}, Fault: fault.DuplicateParamsAccepted,
		Quote:  "RFC 6749 §4.1.2.1: If the request fails due to a missing, invalid, or mismatching redirection URI, or if the client identifier is missing or invalid, the authorization server … MUST NOT automatically redirect the user-agent to the invalid redirection URI.",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI", Severity: verdict.High,
	})

	// NoOpenRedirectOnError: RFC 6749 §4.1.2.1 and RFC 9700 §4.11.2 — an
	// error in an otherwise bad request is not redirected to an unregistered URI.
	NoOpenRedirectOnError = register(Check{
		ID: "RU-20", Title: "a bad request with an unregistered redirect URI is not redirected there (open redirector)",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1", "RFC 9700 §4.11.2"}, Fault: fault.RedirectURIOpenOnError,
		Quote:  "RFC 6749 §4.1.2.1: If the request fails due to a missing, invalid, or mismatching redirection URI, or if the client identifier is missing or invalid, the authorization server … MUST NOT automatically redirect the user-agent to the invalid redirection URI.",
		Threat: "RFC 9700 §4.11.2 authorization server as open redirector", Severity: verdict.High,
	})

	// MissingRedirectURIWithSeveral: RFC 6749 §3.1.2.3 "If multiple
	// redirection URIs have been registered ... the client MUST include a
	// redirection URI with the authorization request"; §4.1.2.1 a missing
	// redirection URI is never redirected.
	MissingRedirectURIWithSeveral = register(Check{
		ID: "RU-21", Title: "a client with several redirect URIs that names none gets an error page",
		Area: "redirect uri", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.2.3", "RFC 6749 §4.1.2.1"}, Fault: fault.RedirectURIDefaultFirst,
		Quote:  "RFC 6749 §4.1.2.1: If the request fails due to a missing, invalid, or mismatching redirection URI, or if the client identifier is missing or invalid, the authorization server … MUST NOT automatically redirect the user-agent to the invalid redirection URI.",
		Threat: "none: the code goes to a registered URI the client did not choose", Severity: verdict.Low,
		OIDF: []string{"oidcc-ensure-redirect-uri-in-authorization-request"},
	})
)
