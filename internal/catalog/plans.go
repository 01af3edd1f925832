package catalog

import (
	"fmt"
	"sort"
	"strings"
)

// PlanName names a plan: a set of checks that together judge a profile of
// requirements (`oauthconform run --plan NAME`, `make conformance PLAN=NAME`).
type PlanName string

// PlanFAPI2Security is the FAPI 2.0 Security Profile (final) as it binds
// an authorization server.
const PlanFAPI2Security PlanName = "fapi2-security"

// Requirement is one requirement of a plan. It is met when, for one of its
// alternatives, every check passed (a skip, a warning or a waiver is not
// met: the plan asks for the behaviour, not for its absence).
type Requirement struct {
	// Text says the requirement in a few words (a summary, not a quote:
	// the checks quote their sentences).
	Text string `json:"text"`
	// AnyOf are the alternatives, each a list of check IDs ("DPoP or mTLS").
	AnyOf []Alternative `json:"any_of"`
}

// Alternative is one way of meeting a requirement: a name ("" when there is
// one way) and the checks that must all pass.
type Alternative struct {
	Name   string   `json:"name,omitempty"`
	Checks []string `json:"checks"`
}

// Plan is a named set of requirements.
type Plan struct {
	Name         PlanName      `json:"name"`
	Title        string        `json:"title"`
	Requirements []Requirement `json:"requirements"`
	// Met says what a met requirement is, in the summary line ("11/12
	// requirements met"); "" is "requirements met".
	Met string `json:"met,omitempty"`
}

// Checks are the IDs of every check the plan names, sorted, once each.
func (p Plan) Checks() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range p.Requirements {
		for _, a := range r.AnyOf {
			for _, id := range a.Checks {
				if !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// LabelFilter selects the plan's checks (Ginkgo labels are check IDs).
func (p Plan) LabelFilter() string { return strings.Join(p.Checks(), " || ") }

// Plans returns every plan: FAPI 2.0 Security, then the OpenID
// Foundation's OP plans that some check covers (oidf.go).
func Plans() []Plan {
	out := []Plan{fapi2Security()}
	for _, p := range OIDFPlans() {
		if plan := p.Plan(); len(plan.Requirements) > 0 {
			out = append(out, plan)
		}
	}
	return out
}

// PlanByName finds a plan; the error lists the plans there are.
func PlanByName(name string) (Plan, error) {
	var names []string
	for _, p := range Plans() {
		if string(p.Name) == name {
			return p, nil
		}
		names = append(names, string(p.Name))
	}
	return Plan{}, fmt.Errorf("unknown plan %q (one of: %s)", name, strings.Join(names, ", "))
}

// ValidatePlans reports plan requirements that name no check or a check
// the catalog does not have.
func ValidatePlans() error {
	var problems []string
	for _, p := range Plans() {
		for _, r := range p.Requirements {
			if len(r.AnyOf) == 0 {
				problems = append(problems, fmt.Sprintf("%s: %q has no alternative", p.Name, r.Text))
			}
			for _, a := range r.AnyOf {
				if len(a.Checks) == 0 {
					problems = append(problems, fmt.Sprintf("%s: %q alternative %q names no check", p.Name, r.Text, a.Name))
				}
				for _, id := range a.Checks {
					if _, ok := ByID(id); !ok {
						problems = append(problems, fmt.Sprintf("%s: %q names %s, which is no check", p.Name, r.Text, id))
					}
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("plans: %s", strings.Join(problems, "; "))
	}
	return nil
}

// fapi2Security is the FAPI 2.0 Security Profile (final), §5.3.2 and §5.3.3
// (authorization server) with the parts of §5.3.1 it rests on, as far as a
// check of this catalog judges it.
func fapi2Security() Plan {
	return Plan{
		Name:  PlanFAPI2Security,
		Title: "FAPI 2.0 Security Profile",
		Requirements: []Requirement{
			{Text: "pushed authorization requests are supported, authenticated, and required of the clients registered for them",
				AnyOf: []Alternative{{Checks: []string{"PAR-01", "PAR-02", "PAR-03", "PAR-09"}}}},
			{Text: "a pushed request_uri is single-use, expires, is bound to its client and cannot be guessed",
				AnyOf: []Alternative{{Checks: []string{"PAR-04", "PAR-05", "PAR-10", "PAR-11"}}}},
			{Text: "the authorization request is the pushed one: a request_uri is not pushed, parameters beside it are not used, its redirect URI is validated",
				AnyOf: []Alternative{{Checks: []string{"PAR-06", "PAR-07", "PAR-08"}}}},
			{Text: "PKCE with S256 is enforced (plain refused, downgrades and wrong or missing verifiers refused)",
				AnyOf: []Alternative{{Checks: []string{"PK-01", "PK-02", "PK-03", "PK-04", "PK-05", "PK-06", "PK-07"}}}},
			// Sender-constrained access tokens: DPoP proofs verified as RFC
			// 9449 §4.3 and §7 ask, or certificate-bound tokens (RFC 8705 §3).
			{Text: "access tokens are sender-constrained, by DPoP or by mTLS",
				AnyOf: []Alternative{
					{Name: "DPoP", Checks: []string{"DP-01", "DP-02", "DP-03", "DP-04", "DP-05", "DP-06", "DP-07", "DP-08", "DP-09", "DP-10", "DP-13", "DP-14", "DP-15", "DP-16"}},
					{Name: "mTLS", Checks: []string{"MTLS-04", "MTLS-05", "MTLS-06"}},
				}},
			{Text: "the authorization response carries iss, and the metadata says so",
				AnyOf: []Alternative{{Checks: []string{"AE-03", "AE-05"}}}},
			// Confidential clients: private_key_jwt, or mutual TLS (RFC 8705 §2).
			{Text: "confidential clients authenticate by private_key_jwt (verified as RFC 7523 asks) or by mTLS",
				AnyOf: []Alternative{
					{Name: "private_key_jwt", Checks: []string{"PKJ-01", "PKJ-02", "PKJ-03", "PKJ-04", "PKJ-05", "PKJ-06", "PKJ-08", "PKJ-10"}},
					{Name: "tls_client_auth", Checks: []string{"MTLS-01", "MTLS-02"}},
					{Name: "self_signed_tls_client_auth", Checks: []string{"MTLS-03"}},
				}},
			{Text: "no implicit grant, no response type that issues a token from the authorization endpoint",
				AnyOf: []Alternative{{Checks: []string{"IMP-09", "IMP-10"}}}},
			{Text: "authorization codes are single-use and expire (declare code_lifetime: 60s or less: CODE-05 redeems a code after it)",
				AnyOf: []Alternative{{Checks: []string{"CODE-01", "CODE-05"}}}},
			{Text: "redirect URIs are compared exactly",
				AnyOf: []Alternative{{Checks: []string{"RU-01", "RU-03", "RU-10"}}}},
			{Text: "every endpoint is https, and nothing answers over plain http",
				AnyOf: []Alternative{{Checks: []string{"DSC-08", "TLS-04"}}}},
			{Text: "refresh tokens work for their own authenticated client (rotation is not required)",
				AnyOf: []Alternative{{Checks: []string{"RT-01", "RT-02", "RT-03"}}}},
		},
	}
}
