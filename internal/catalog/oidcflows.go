package catalog

// The OpenID Connect flows of the OIDF Implicit, Hybrid and Form Post OP
// plans (issue 16). Those plans run the Basic plan's modules again with
// other response types (id_token and id_token token; code id_token, code
// token and code id_token token) or with response_mode=form_post, so our
// checks of those modules are run again the same way: one family of checks
// per plan, whose IDs share the number of the requirement they test.
//
//	IM-nn  response_type id_token and id_token token          (Implicit OP)
//	HB-nn  response_type code id_token, code token, code id_token token (Hybrid OP)
//	FP-nn  response_type code with response_mode form_post    (Form Post Basic OP)
//	FI-nn  the implicit types with response_mode form_post    (Form Post Implicit OP)
//	FH-nn  the hybrid types with response_mode form_post      (Form Post Hybrid OP)
//
// IM-03, HB-03, FP-03, FI-03 and FH-03 are the same requirement, tested
// with each plan's way of asking. The numbers:
//
//	01 the response and its ID Token          08 request objects
//	02 nonce                                  09 essential claims
//	03 claims by scope                        10 prompt=none
//	04 UserInfo with the flow's access token  11 prompt=login and max_age
//	05 response_type missing                  12 id_token_hint
//	06 the registered redirect URI            13 code reuse (code flows)
//	07 request parameters accepted            14 the code's exchange (code flows)
//	                                          15 POST to the authorization endpoint (FP)
//
// A check of a family is declared by a template that takes its ID and the
// family's FlowPlan: oidcflowresponse.go (01..05), oidcflowrequest.go
// (06..09, 13..15) and oidcflowreauth.go (10..12), each with its suite in
// suites/ of the same name. A family checks each of its response types the
// provider offers (response_types_supported) and skips the rest with the
// reason.

import (
	"slices"
	"strings"
)

// FlowPlan is how one OIDF plan runs its modules: its response types and
// response mode, and the prefix of its checks.
type FlowPlan struct {
	Qualifier OIDFQualifier
	// Prefix of the family's check IDs ("IM").
	Prefix string
	// ResponseTypes the plan runs, in the order the checks try them.
	ResponseTypes []string
	// FormPost: the plan asks for response_mode=form_post.
	FormPost bool
	// Runs says it in words, for titles ("response_type id_token and id_token token").
	Runs string
}

// The five plans' ways of running.
var (
	ImplicitPlan = FlowPlan{Qualifier: OIDFImplicit, Prefix: "IM",
		ResponseTypes: []string{"id_token", "id_token token"}, Runs: "id_token and id_token token"}
	HybridPlan = FlowPlan{Qualifier: OIDFHybrid, Prefix: "HB",
		ResponseTypes: []string{"code id_token", "code token", "code id_token token"}, Runs: "code id_token, code token and code id_token token"}
	FormPostPlan = FlowPlan{Qualifier: OIDFFormPost, Prefix: "FP",
		ResponseTypes: []string{"code"}, FormPost: true, Runs: "code with response_mode=form_post"}
	FormPostImplicitPlan = FlowPlan{Qualifier: OIDFFormPostImplicit, Prefix: "FI",
		ResponseTypes: []string{"id_token", "id_token token"}, FormPost: true, Runs: "id_token and id_token token with response_mode=form_post"}
	FormPostHybridPlan = FlowPlan{Qualifier: OIDFFormPostHybrid, Prefix: "FH",
		ResponseTypes: []string{"code id_token", "code token", "code id_token token"}, FormPost: true, Runs: "code id_token, code token and code id_token token with response_mode=form_post"}
)

// FlowPlans are the five, in the order of the OIDF plans.
func FlowPlans() []FlowPlan {
	return []FlowPlan{ImplicitPlan, HybridPlan, FormPostPlan, FormPostImplicitPlan, FormPostHybridPlan}
}

// HasCode reports whether every response type of the plan issues a code.
func (p FlowPlan) HasCode() bool {
	for _, rt := range p.ResponseTypes {
		if !hasWord(rt, "code") {
			return false
		}
	}
	return true
}

// Refs names modules the way a check covers them in this plan
// ("oidcc-server@implicit").
func (p FlowPlan) Refs(modules ...OIDFModule) []string {
	out := make([]string, 0, len(modules))
	for _, m := range modules {
		out = append(out, string(m)+oidfQualifierSep+string(p.Qualifier))
	}
	return out
}

// Flows are the catalog flows of the plan's checks.
func (p FlowPlan) Flows() []Flow {
	if p.HasCode() {
		return []Flow{FlowAuthorizationCode}
	}
	return []Flow{FlowImplicit}
}

// Area is the area of the family's checks.
func (p FlowPlan) Area() string {
	switch p.Qualifier {
	case OIDFImplicit:
		return "oidc implicit"
	case OIDFHybrid:
		return "oidc hybrid"
	case OIDFFormPost:
		return "oidc form_post"
	case OIDFFormPostImplicit:
		return "oidc form_post implicit"
	}
	return "oidc form_post hybrid"
}

// titled is c for the plan: Area and Flows set, and the plan's way of
// running appended to the title ("…, with id_token and id_token token").
func (p FlowPlan) titled(c Check) Check {
	c.Area, c.Flows = p.Area(), p.Flows()
	c.Title += " (" + p.Runs + ")"
	return c
}

func hasWord(s, w string) bool { return slices.Contains(strings.Fields(s), w) }
