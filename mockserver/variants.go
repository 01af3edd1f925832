package mockserver

import (
	"fmt"
	"strings"
)

// Variant names a secure look-alike: a different way of being fully
// conformant, the way real providers differ (a consent page every time, a
// login app on another origin, errors shown as 200 pages, opaque tokens...).
// A variant breaks no requirement; every check must pass (or warn where a
// SHOULD really is not met, or be skipped with its reason) against it.
// Faults (faults.go) break one requirement each; variants and faults combine.
//
// Variant is a closed set of constants, so that a misspelt variant in the
// server's code does not compile; ParseVariant turns a name from a flag or
// a file into one.
type Variant uint8

// The variants. Their names and descriptions are in variantTable.
const (
	ConsentEveryTime Variant = iota + 1
	ConsentRemembered
	LoginOtherOrigin
	LoginJSForm
	LoginTwoPages
	ErrorsStatus200
	ErrorsOtherOrigin
	PKCERequiredAll
	OpaqueAccessTokens
	JWTAccessTokensPlain
	JWKSNoKid
	RevocationAccessUnsupported
	RefreshNotRotatedConfidential
	ScopeNarrowed
	LoginGet307
	NoImplicit
	NonceRequired
	NoLoginUI
	DPoPNonceRequired
	variantEnd // not a variant: one past the last
)

// VariantInfo describes a variant.
type VariantInfo struct {
	Variant     Variant
	Name        string
	Description string
	// Profile is the target profile (relative to the repository root) that
	// describes the mock under this variant, when profiles/mock.yaml's login
	// steps cannot serve it; "" for profiles/mock.yaml.
	Profile string
}

// variantTable is the single source of truth for the variants: one row per
// constant, in the constants' order.
var variantTable = [...]VariantInfo{
	{ConsentEveryTime, "consent_every_time", "shows the consent page on every authorization, even for scopes the user already granted in the same session", ""},
	{ConsentRemembered, "consent_remembered", "remembers consent server-side for the user (client and scopes), so a new browser session signs in and gets no consent page", ""},
	{LoginOtherOrigin, "login_other_origin", "the authorization endpoint redirects to a login app on a second loopback port (its own TLS certificate from the same CA), which sends the browser back with a one-time ticket", ""},
	{LoginJSForm, "login_js_form", "the login page is an empty shell whose form a script (same origin) renders after the page loads", ""},
	{LoginTwoPages, "login_two_pages", "asks for the username on one page and the password on a second page", "profiles/mock-two-pages.yaml"},
	{ErrorsStatus200, "errors_200", "shows the error pages of the authorization endpoint (unknown client, unregistered redirect URI...) with HTTP status 200", ""},
	{ErrorsOtherOrigin, "errors_other_origin", "sends the browser to an error page of its UI app on another origin (the login app's port) instead of showing the error at the authorization endpoint", ""},
	{PKCERequiredAll, "pkce_required_all", "requires PKCE (S256) of every client, confidential ones too (RFC 9700 §2.1.1 encourages it)", ""},
	{OpaqueAccessTokens, "opaque_access_tokens", "issues opaque (random, 256-bit) access tokens instead of JWTs; the resource and introspection look them up", ""},
	{JWTAccessTokensPlain, "jwt_access_tokens_plain", "issues JWT access tokens that do not claim RFC 9068: typ \"JWT\" and no client_id claim", ""},
	{JWKSNoKid, "jwks_no_kid", "publishes a JWKS of one key without kid, and signs tokens without a kid header", ""},
	{RevocationAccessUnsupported, "revocation_access_unsupported", "does not revoke access tokens: their revocation is answered with 400 unsupported_token_type (RFC 7009 §2.2.1); refresh tokens are revoked with their grant", ""},
	{RefreshNotRotatedConfidential, "refresh_not_rotated_confidential", "does not rotate the refresh tokens of confidential clients (authenticated at each refresh); public clients' are rotated", ""},
	{ScopeNarrowed, "scope_narrowed", "silently drops requested scopes the client may not have and grants the rest, saying so in the token response's scope (RFC 6749 §3.3)", ""},
	{LoginGet307, "login_get_307", "the login page is reached through a 307 answered to a GET inside the login app (no credentials are ever re-posted)", ""},
	{NoImplicit, "no_implicit", "does not know the implicit grant at all: response_type token is refused with unsupported_response_type in the query", ""},
	{NonceRequired, "nonce_required", "requires a nonce in every authorization request whose scope contains openid, in the code flow too", ""},
	{NoLoginUI, "no_login_ui", "has no login UI: the authorization endpoint signs the only user in and redirects straight back, as test servers do (profile login: [])", "profiles/mock-nologin.yaml"},
	{DPoPNonceRequired, "dpop_nonce_required", "demands a server nonce in every DPoP proof at the token endpoint too (the resource always demands its own, RFC 9449 §9): a proof without it, or with another, is answered 400 use_dpop_nonce with a DPoP-Nonce header (RFC 9449 §8)", ""},
}

func (v Variant) info() (VariantInfo, bool) {
	if v == 0 || v >= variantEnd {
		return VariantInfo{}, false
	}
	return variantTable[v-1], true
}

// String is the variant's name, as -variants takes it.
func (v Variant) String() string {
	if i, ok := v.info(); ok {
		return i.Name
	}
	return fmt.Sprintf("Variant(%d)", uint8(v))
}

// Profile is the target profile the variant needs ("" for profiles/mock.yaml).
func (v Variant) Profile() string {
	i, _ := v.info()
	return i.Profile
}

// AllVariants returns every variant, in table order.
func AllVariants() []VariantInfo {
	return append([]VariantInfo(nil), variantTable[:]...)
}

// ParseVariant returns the variant of that name.
func ParseVariant(name string) (Variant, error) {
	for _, r := range variantTable {
		if r.Name == name {
			return r.Variant, nil
		}
	}
	return 0, fmt.Errorf("mockserver: unknown variant %q (mockserver -list-variants lists them)", name)
}

// ParseVariants parses a list of names; empty names are skipped.
func ParseVariants(names []string) ([]Variant, error) {
	var out []Variant
	for _, n := range names {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		v, err := ParseVariant(n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// VariantsProfile is the target profile a set of variants needs ("" for
// profiles/mock.yaml); two variants that need different ones are an error.
func VariantsProfile(vs []Variant) (string, error) {
	var prof string
	var by Variant
	for _, v := range vs {
		p := v.Profile()
		if p == "" {
			continue
		}
		if prof != "" && p != prof {
			return "", fmt.Errorf("mockserver: variants %s and %s need different profiles (%s, %s): they cannot be combined", by, v, prof, p)
		}
		prof, by = p, v
	}
	return prof, nil
}

// AccessTokenProfile is the access token profile the mock documents under
// vs, as a target profile's access_tokens says it ("rfc9068", or "unspecified"
// when its access tokens are opaque or JWTs that do not claim RFC 9068): the
// bundled profiles read it from MOCK_ACCESS_TOKENS.
func AccessTokenProfile(vs []Variant) string {
	for _, v := range vs {
		if v == OpaqueAccessTokens || v == JWTAccessTokensPlain {
			return "unspecified"
		}
	}
	return "rfc9068"
}

// variantSet validates vs and returns them as a set.
func variantSet(vs []Variant) (map[Variant]bool, error) {
	set := make(map[Variant]bool, len(vs))
	for _, v := range vs {
		if _, ok := v.info(); !ok {
			return nil, fmt.Errorf("mockserver: unknown variant %d", uint8(v))
		}
		set[v] = true
	}
	if set[ConsentEveryTime] && set[ConsentRemembered] {
		return nil, fmt.Errorf("mockserver: variants %s and %s contradict each other", ConsentEveryTime, ConsentRemembered)
	}
	if set[NoLoginUI] {
		for _, v := range []Variant{LoginOtherOrigin, LoginJSForm, LoginTwoPages, LoginGet307, ConsentEveryTime, ConsentRemembered} {
			if set[v] {
				return nil, fmt.Errorf("mockserver: variant %s has no login or consent page for %s to change", NoLoginUI, v)
			}
		}
	}
	if _, err := VariantsProfile(vs); err != nil {
		return nil, err
	}
	return set, nil
}

// is reports whether the variant is on.
func (s *Server) is(v Variant) bool { return s.variants[v] }

// Variants returns the variants in force, in table order.
func (s *Server) Variants() []Variant {
	var out []Variant
	for v := Variant(1); v < variantEnd; v++ {
		if s.variants[v] {
			out = append(out, v)
		}
	}
	return out
}

// needsUIOrigin reports whether the variants need the second listener (the
// login and error UI app on another origin).
func needsUIOrigin(set map[Variant]bool) bool {
	return set[LoginOtherOrigin] || set[ErrorsOtherOrigin]
}

// NeedsUIOrigin reports whether vs need Options.UIOrigin: a second listener
// serving Server.UIApp (Start provides both).
func NeedsUIOrigin(vs []Variant) bool {
	set := map[Variant]bool{}
	for _, v := range vs {
		set[v] = true
	}
	return needsUIOrigin(set)
}
