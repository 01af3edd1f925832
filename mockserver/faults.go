package mockserver

import (
	"fmt"
	"sort"
)

// Fault describes a named, deliberate flaw. Faults are data: one table.
type Fault struct{ Name, Description string }

// faultTable is the single source of truth for the supported faults. Each
// fault breaks exactly one requirement; the code checks it with s.has(name)
// at the exact point where the correct behaviour is implemented.
var faultTable = []Fault{
	{"state_dropped", "omits state from successful authorization responses (breaks RFC 6749 §4.1.2 and §4.2.2)"},
	{"iss_wrong", "sends a different issuer in the iss authorization response parameter (breaks RFC 9207 §2)"},
	{"code_in_fragment", "delivers the authorization code in the fragment instead of the query (breaks RFC 6749 §4.1.2)"},
	{"pkce_method_ignored", "ignores code_challenge_method and always compares the verifier as plain, so correct S256 exchanges fail (breaks RFC 7636 §4.6)"},
	{"pkce_not_verified", "accepts any or no code_verifier when a code_challenge was stored (breaks RFC 7636 §4.6)"},
	{"code_reuse", "does not mark authorization codes as used, so a second redemption succeeds (breaks RFC 6749 §4.1.2)"},
	{"code_not_client_bound", "lets any authenticated client redeem an authorization code issued to another client (breaks RFC 6749 §4.1.3)"},
	{"redirect_uri_not_checked_at_token", "ignores redirect_uri at the token endpoint (breaks RFC 6749 §4.1.3)"},
	{"token_type_wrong", "answers token_type \"mac\" instead of \"Bearer\" in token responses (breaks RFC 6749 §5.1 / RFC 6750)"},
	{"no_expires_in", "omits expires_in from token responses (breaks RFC 6749 §5.1 RECOMMENDED / §4.2.2)"},
	{"no_cache_headers", "omits Cache-Control: no-store and Pragma: no-cache from token endpoint responses (breaks RFC 6749 §5.1)"},
	{"token_in_query", "delivers the implicit grant access token in the query instead of the fragment (breaks RFC 6749 §4.2.2)"},
	{"implicit_refresh_token", "includes a refresh_token in implicit grant responses (breaks RFC 6749 §4.2.2)"},
	{"basic_auth_not_form_decoded", "compares HTTP Basic client credentials without form-url-decoding them (breaks RFC 6749 §2.3.1)"},
	{"accept_wrong_secret", "accepts any client secret for a known client id (breaks RFC 6749 §2.3.1 / §3.2.1)"},
	{"invalid_client_status_400", "answers invalid_client with status 400 and no WWW-Authenticate header (breaks RFC 6749 §5.2)"},
	{"cc_refresh_token", "includes a refresh_token in client_credentials responses (breaks RFC 6749 §4.4.3)"},
	{"metadata_issuer_mismatch", "publishes a metadata issuer value that differs from the issuer identifier (breaks RFC 8414 §3.3)"},
}

// AllFaults returns every supported fault, sorted by name.
func AllFaults() []Fault {
	out := make([]Fault, len(faultTable))
	copy(out, faultTable)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func knownFault(name string) bool {
	for _, f := range faultTable {
		if f.Name == name {
			return true
		}
	}
	return false
}

// parseFaults validates fault names and returns the enabled set.
func parseFaults(names []string) (map[string]bool, error) {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		if !knownFault(n) {
			return nil, fmt.Errorf("mockserver: unknown fault %q", n)
		}
		set[n] = true
	}
	return set, nil
}

// has reports whether the named fault is enabled. It panics on a name that
// is not in the table, so a typo in the server code cannot silently disable
// a check.
func (s *Server) has(name string) bool {
	if !knownFault(name) {
		panic("mockserver: unknown fault name in code: " + name)
	}
	return s.faults[name]
}

// Faults returns the names of the enabled faults, sorted.
func (s *Server) Faults() []string {
	out := make([]string, 0, len(s.faults))
	for n := range s.faults {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
