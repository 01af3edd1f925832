package catalog

// The OP test plans of the OpenID Foundation conformance suite
// (github.com/openid-certification/conformance-suite, the plan classes
// under src/main/java/net/openid/conformance/openid), as data: which test
// modules each plan runs. docs/oidf-parity.md is generated from them and
// from Check.OIDF ("oauthconform catalog --format oidf-parity").
//
// A check names the modules it covers in Check.OIDF. A plain name
// ("oidcc-scope-profile") covers the module in the plans that run it with
// the authorization code flow (Basic, Dynamic, Config and the logout
// plans). The Implicit, Hybrid and Form Post plans run the same modules
// with other response types or response modes, so a check covers a module
// there only when it runs that way and says so with the plan's qualifier
// after an @: "oidcc-server@implicit", "oidcc-server@form_post". A module
// none of our checks covers is either not applicable (its reason below) or
// listed as not yet covered.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// OIDFModule is the name of a test module of the OIDF suite ("oidcc-server").
type OIDFModule string

// OIDFQualifier says how a plan runs its modules, when not with the code
// flow and the default response mode; checks append it to a module name
// ("oidcc-server@implicit") to cover the module in that plan.
type OIDFQualifier string

const (
	OIDFCode             OIDFQualifier = ""
	OIDFImplicit         OIDFQualifier = "implicit"
	OIDFHybrid           OIDFQualifier = "hybrid"
	OIDFFormPost         OIDFQualifier = "form_post"
	OIDFFormPostImplicit OIDFQualifier = "form_post_implicit"
	OIDFFormPostHybrid   OIDFQualifier = "form_post_hybrid"
)

// oidfQualifierSep separates a module name from its plan's qualifier in Check.OIDF.
const oidfQualifierSep = "@"

// OIDFPlan is one OP certification test plan of the OIDF suite.
type OIDFPlan struct {
	// ID is the plan's name in the suite ("oidcc-basic-certification-test-plan").
	ID string
	// Name is ours, for --plan and PLAN= ("oidc-basic").
	Name PlanName
	// Title is the certification profile ("Basic OP").
	Title string
	// Runs says how the plan runs its modules (response types, mode).
	Runs string
	// Qualifier is what a check appends to a module name to cover it in
	// this plan (OIDFCode: the plain name).
	Qualifier OIDFQualifier
	// Modules are the plan's test modules, in the plan's order, each once
	// (a plan that runs a module for several response types lists it once).
	Modules []OIDFModule
	// NotApplicable gives, for a module of this plan only, why no check of
	// ours can cover it; it wins over coverage in this plan.
	NotApplicable map[OIDFModule]string
}

// OIDFPlanMet is what a met requirement of an OIDF plan is: a module whose
// checks all pass.
const OIDFPlanMet = "modules' checks pass"

// Plan is the plan as a catalog.Plan (--plan, reports): one requirement per
// module that checks cover, met when they all pass; a module not applicable
// or not yet covered is not counted.
func (p OIDFPlan) Plan() Plan {
	plan := Plan{Name: p.Name, Title: "OIDF " + p.Title, Met: OIDFPlanMet}
	for _, cov := range p.Coverage() {
		if cov.Covered() {
			plan.Requirements = append(plan.Requirements, Requirement{
				Text: string(cov.Module), AnyOf: []Alternative{{Checks: cov.Checks}}})
		}
	}
	return plan
}

// Ref is how a check names module m for this plan in Check.OIDF.
func (p OIDFPlan) Ref(m OIDFModule) string {
	if p.Qualifier == OIDFCode {
		return string(m)
	}
	return string(m) + oidfQualifierSep + string(p.Qualifier)
}

// The modules the Basic OP plan runs with response_type=code (the Form
// Post Basic plan runs the same with response_mode=form_post); OIDCCBasicTestPlan.
func oidfBasicModules() []OIDFModule {
	return []OIDFModule{
		"oidcc-server", "oidcc-response-type-missing", "oidcc-idtoken-signature", "oidcc-idtoken-unsigned",
		"oidcc-userinfo-get", "oidcc-userinfo-post-header", "oidcc-userinfo-post-body",
		"oidcc-ensure-request-without-nonce-succeeds-for-code-flow",
		"oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all",
		"oidcc-ensure-other-scope-order-succeeds", "oidcc-display-page", "oidcc-display-popup",
		"oidcc-prompt-login", "oidcc-prompt-none-not-logged-in", "oidcc-prompt-none-logged-in",
		"oidcc-max-age-1", "oidcc-max-age-10000", "oidcc-ensure-request-with-unknown-parameter-succeeds",
		"oidcc-id-token-hint", "oidcc-login-hint", "oidcc-ui-locales", "oidcc-claims-locales",
		"oidcc-ensure-request-with-acr-values-succeeds", "oidcc-codereuse", "oidcc-codereuse-30seconds",
		"oidcc-ensure-registered-redirect-uri", "oidcc-ensure-post-request-succeeds", "oidcc-server-client-secret-post",
		"oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported",
		"oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
		"oidcc-claims-essential", "oidcc-ensure-request-object-with-redirect-uri", "oidcc-refresh-token",
		"oidcc-ensure-request-with-valid-pkce-succeeds",
	}
}

// The modules the Implicit OP plan runs with response_type id_token and
// id_token token (userinfo and response-type-missing with id_token token
// only); OIDCCImplicitTestPlan.
func oidfImplicitModules() []OIDFModule {
	return []OIDFModule{
		"oidcc-server", "oidcc-idtoken-signature", "oidcc-ensure-request-without-nonce-fails",
		"oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all",
		"oidcc-ensure-other-scope-order-succeeds", "oidcc-display-page", "oidcc-display-popup",
		"oidcc-prompt-login", "oidcc-prompt-none-not-logged-in", "oidcc-prompt-none-logged-in",
		"oidcc-max-age-1", "oidcc-max-age-10000", "oidcc-ensure-request-with-unknown-parameter-succeeds",
		"oidcc-id-token-hint", "oidcc-login-hint", "oidcc-ui-locales", "oidcc-claims-locales",
		"oidcc-ensure-request-with-acr-values-succeeds", "oidcc-ensure-registered-redirect-uri",
		"oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported",
		"oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
		"oidcc-ensure-request-object-with-redirect-uri", "oidcc-claims-essential",
		"oidcc-userinfo-get", "oidcc-userinfo-post-header", "oidcc-userinfo-post-body", "oidcc-response-type-missing",
	}
}

// The modules the Hybrid OP plan runs with response_type code id_token,
// code token and code id_token token; OIDCCHybridTestPlan.
func oidfHybridModules() []OIDFModule {
	return []OIDFModule{
		"oidcc-server", "oidcc-response-type-missing", "oidcc-idtoken-signature",
		"oidcc-userinfo-get", "oidcc-userinfo-post-header", "oidcc-userinfo-post-body",
		"oidcc-ensure-request-without-nonce-fails", "oidcc-ensure-request-without-nonce-succeeds-for-code-flow",
		"oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all",
		"oidcc-ensure-other-scope-order-succeeds", "oidcc-display-page", "oidcc-display-popup",
		"oidcc-prompt-login", "oidcc-prompt-none-not-logged-in", "oidcc-prompt-none-logged-in",
		"oidcc-max-age-1", "oidcc-max-age-10000", "oidcc-ensure-request-with-unknown-parameter-succeeds",
		"oidcc-id-token-hint", "oidcc-login-hint", "oidcc-ui-locales", "oidcc-claims-locales",
		"oidcc-ensure-request-with-acr-values-succeeds", "oidcc-codereuse", "oidcc-codereuse-30seconds",
		"oidcc-ensure-registered-redirect-uri", "oidcc-server-client-secret-post",
		"oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported",
		"oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
		"oidcc-claims-essential", "oidcc-ensure-request-object-with-redirect-uri", "oidcc-refresh-token",
		"oidcc-ensure-request-with-valid-pkce-succeeds",
	}
}

// notRegisteredByUs is why the modules that register a client dynamically
// (OpenID Connect Dynamic Client Registration) are not applicable.
const notRegisteredByUs = "registers a client dynamically (OpenID Connect Dynamic Client Registration 1.0); the harness tests with the clients the operator registered and declared in the profile"

// OIDFPlans returns the OP test plans, in the order docs/oidf-parity.md lists them.
func OIDFPlans() []OIDFPlan {
	return []OIDFPlan{
		{ID: "oidcc-basic-certification-test-plan", Name: "oidc-basic", Title: "Basic OP", Qualifier: OIDFCode,
			Runs: "response_type=code, client_secret_basic (oidcc-server-client-secret-post: client_secret_post)", Modules: oidfBasicModules()},
		{ID: "oidcc-implicit-certification-test-plan", Name: "oidc-implicit", Title: "Implicit OP", Qualifier: OIDFImplicit,
			Runs: "response_type=id_token and id_token token", Modules: oidfImplicitModules()},
		{ID: "oidcc-hybrid-certification-test-plan", Name: "oidc-hybrid", Title: "Hybrid OP", Qualifier: OIDFHybrid,
			Runs: "response_type=code id_token, code token and code id_token token", Modules: oidfHybridModules()},
		{ID: "oidcc-config-certification-test-plan", Name: "oidc-config", Title: "Config OP", Qualifier: OIDFCode,
			Runs: "discovery only", Modules: []OIDFModule{"oidcc-discovery-endpoint-verification"}},
		{ID: "oidcc-dynamic-certification-test-plan", Name: "oidc-dynamic", Title: "Dynamic OP", Qualifier: OIDFCode,
			Runs: "discovery, dynamic client registration, private_key_jwt",
			Modules: []OIDFModule{
				"oidcc-idtoken-rs256", "oidcc-idtoken-unsigned", "oidcc-userinfo-rs256",
				"oidcc-ensure-redirect-uri-in-authorization-request", "oidcc-redirect-uri-query-OK",
				"oidcc-redirect-uri-query-mismatch", "oidcc-redirect-uri-query-added", "oidcc-redirect-uri-regfrag",
				"oidcc-discovery-endpoint-verification", "oidcc-server", "oidcc-registration-logo-uri",
				"oidcc-registration-policy-uri", "oidcc-registration-tos-uri", "oidcc-registration-jwks-uri",
				"oidcc-registration-sector-uri", "oidcc-registration-sector-bad", "oidcc-server-rotate-keys",
				"oidcc-refresh-token-rp-key-rotation", "oidcc-request-uri-unsigned", "oidcc-request-uri-signed-rs256",
				"oidcc-ensure-request-object-with-redirect-uri", "oidcc-refresh-token",
				"oidcc-ensure-client-assertion-with-iss-aud-succeeds",
			},
			NotApplicable: map[OIDFModule]string{
				"oidcc-server":                      "in this plan it " + notRegisteredByUs + " (the flow itself is the Basic plan's oidcc-server)",
				"oidcc-redirect-uri-query-OK":       "registers a client whose redirect URI has a query, dynamically; the profile's redirect URIs are the operator's",
				"oidcc-redirect-uri-query-mismatch": "registers a client whose redirect URI has a query, dynamically, to send another query; the profile's redirect URIs are the operator's (RU-06 refuses a query added to one without)",
				"oidcc-redirect-uri-regfrag":        "registers a redirect URI with a fragment, dynamically, to see registration refuse it; the harness registers no client",
			}},
		{ID: "oidcc-formpost-basic-certification-test-plan", Name: "oidc-formpost-basic", Title: "Form Post Basic OP", Qualifier: OIDFFormPost,
			Runs: "the Basic OP plan with response_mode=form_post", Modules: oidfBasicModules()},
		{ID: "oidcc-formpost-implicit-certification-test-plan", Name: "oidc-formpost-implicit", Title: "Form Post Implicit OP", Qualifier: OIDFFormPostImplicit,
			Runs: "the Implicit OP plan with response_mode=form_post", Modules: oidfImplicitModules()},
		{ID: "oidcc-formpost-hybrid-certification-test-plan", Name: "oidc-formpost-hybrid", Title: "Form Post Hybrid OP", Qualifier: OIDFFormPostHybrid,
			Runs: "the Hybrid OP plan with response_mode=form_post", Modules: oidfHybridModules()},
		{ID: "oidcc-rp-initiated-logout-certification-test-plan", Name: "oidc-rp-initiated-logout", Title: "RP-Initiated Logout OP", Qualifier: OIDFCode,
			Runs: "discovery, response_type=code, client_secret_basic",
			Modules: []OIDFModule{
				"oidcc-rp-initiated-logout-discovery-endpoint-verification", "oidcc-rp-initiated-logout",
				"oidcc-rp-initiated-logout-bad-post-logout-redirect-uri", "oidcc-rp-initiated-logout-modified-id-token-hint",
				"oidcc-rp-initiated-logout-no-id-token-hint", "oidcc-rp-initiated-logout-no-params",
				"oidcc-rp-initiated-logout-no-post-logout-redirect-uri", "oidcc-rp-initiated-logout-no-state",
				"oidcc-rp-initiated-logout-only-state",
			}},
		{ID: "oidcc-session-management-certification-test-plan", Name: "oidc-session-management", Title: "Session Management OP", Qualifier: OIDFCode,
			Runs:    "discovery, response_type=code, client_secret_basic",
			Modules: []OIDFModule{"oidcc-session-management-discovery-endpoint-verification", "oidcc-session-management-rp-initiated-logout"}},
		{ID: "oidcc-frontchannel-rp-initiated-logout-certification-test-plan", Name: "oidc-frontchannel-logout", Title: "Front-Channel Logout OP", Qualifier: OIDFCode,
			Runs:    "discovery, response_type=code, client_secret_basic",
			Modules: []OIDFModule{"oidcc-frontchannel-logout-discovery-endpoint-verification", "oidcc-frontchannel-rp-initiated-logout"}},
		{ID: "oidcc-backchannel-rp-initiated-logout-certification-test-plan", Name: "oidc-backchannel-logout", Title: "Back-Channel Logout OP", Qualifier: OIDFCode,
			Runs:    "discovery, response_type=code, client_secret_basic",
			Modules: []OIDFModule{"oidcc-backchannel-logout-discovery-endpoint-verification", "oidcc-backchannel-rp-initiated-logout"}},
	}
}

// OIDFNotApplicable gives, for the modules no check of ours can cover in
// any plan, why.
func OIDFNotApplicable() map[OIDFModule]string {
	return map[OIDFModule]string{
		"oidcc-registration-logo-uri":         notRegisteredByUs,
		"oidcc-registration-policy-uri":       notRegisteredByUs,
		"oidcc-registration-tos-uri":          notRegisteredByUs,
		"oidcc-registration-jwks-uri":         notRegisteredByUs,
		"oidcc-registration-sector-uri":       notRegisteredByUs,
		"oidcc-registration-sector-bad":       notRegisteredByUs,
		"oidcc-server-rotate-keys":            "asks a person to rotate the provider's signing keys in the middle of the test; there is no standard way for the harness to ask a provider for that, and a rotation during a run would change what every other signature check sees (TF-08 and DSC-12 check the keys in place)",
		"oidcc-idtoken-unsigned":              "needs a client registered for unsigned ID Tokens (id_token_signed_response_alg none), which a profile does not declare; TF-20 checks the opposite, that the profile's clients never get one",
		"oidcc-refresh-token-rp-key-rotation": "rotates the keys of a private_key_jwt client it registered; the keys of the profile's clients are registered by the operator, and the harness cannot change them",
	}
}

// OIDFCoverage is where one module of one plan stands.
type OIDFCoverage struct {
	Module OIDFModule
	// Checks cover the module in the plan (IDs, sorted).
	Checks []string
	// NotApplicable is why no check can cover it, when none does.
	NotApplicable string
}

// Covered reports whether some check covers the module.
func (c OIDFCoverage) Covered() bool { return len(c.Checks) > 0 }

// Coverage maps each module of the plan to the checks that cover it, or to
// its reason for being not applicable.
func (p OIDFPlan) Coverage() []OIDFCoverage {
	byRef := map[string][]string{}
	for _, c := range All() {
		for _, ref := range c.OIDF {
			byRef[ref] = append(byRef[ref], c.ID)
		}
	}
	global := OIDFNotApplicable()
	out := make([]OIDFCoverage, 0, len(p.Modules))
	for _, m := range p.Modules {
		cov := OIDFCoverage{Module: m}
		if why, ok := p.NotApplicable[m]; ok {
			cov.NotApplicable = why
		} else if ids := byRef[p.Ref(m)]; len(ids) > 0 {
			cov.Checks = append([]string(nil), ids...)
			sort.Strings(cov.Checks)
		} else {
			cov.NotApplicable = global[m]
		}
		out = append(out, cov)
	}
	return out
}

// ValidateOIDF reports a check that names an unknown module (or a module
// with a qualifier of no plan that runs it), and a module that is both
// covered and declared not applicable.
func ValidateOIDF() error {
	known := map[string]bool{}
	for _, p := range OIDFPlans() {
		for _, m := range p.Modules {
			known[p.Ref(m)] = true
		}
		for m := range p.NotApplicable {
			if !slices.Contains(p.Modules, m) {
				return fmt.Errorf("oidf: plan %s declares %s not applicable but does not run it", p.ID, m)
			}
		}
	}
	var problems []string
	global := OIDFNotApplicable()
	for _, c := range All() {
		for _, ref := range c.OIDF {
			if !known[ref] {
				problems = append(problems, fmt.Sprintf("%s names %q, which no OIDF plan runs (module names are the suite's testName; qualifiers: @implicit, @hybrid, @form_post, @form_post_implicit, @form_post_hybrid)", c.ID, ref))
			}
			m, _, _ := strings.Cut(ref, oidfQualifierSep)
			if why, ok := global[OIDFModule(m)]; ok {
				problems = append(problems, fmt.Sprintf("%s covers %s, declared not applicable: %s", c.ID, m, why))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("oidf: %s", strings.Join(problems, "; "))
	}
	return nil
}
