// Package mockserver is the bundled mock OAuth 2.0 authorization server (and
// OpenID Provider, and protected resource at /api/me) the suites run
// against: secure by default, with named faults (AllFaults) that each break
// one requirement so that every check is proven able to fail.
//
// Secure by default means following RFC 9700 as well as RFC 6749: PKCE S256
// only, exact redirect URI matching, no password grant (§2.4) and no
// implicit grant (§2.1.2) — response_type "token" and "id_token token" are
// refused for every client with unsupported_response_type in the fragment
// (RFC 6749 §4.2.2.1), and the metadata lists neither. The legacy-spa client
// stays registered for the implicit grant: the fault implicit_offered turns
// the grant on, and every fault of an implicit response implies it.
package mockserver
