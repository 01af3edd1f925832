package catalog_test

import (
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/catalog"
)

func TestPlans(t *testing.T) {
	if err := catalog.ValidatePlans(); err != nil {
		t.Fatal(err)
	}
	p, err := catalog.PlanByName(string(catalog.PlanFAPI2Security))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.LabelFilter(), "PAR-09 || ") || len(p.Checks()) < 20 {
		t.Errorf("filter %q", p.LabelFilter())
	}
	if _, err := catalog.PlanByName("nope"); err == nil || !strings.Contains(err.Error(), string(catalog.PlanFAPI2Security)) {
		t.Errorf("unknown plan: %v", err)
	}
}

// The OpenID Foundation's OP plans are plans too: one requirement per
// module some check covers, named by module.
func TestOIDFPlansArePlans(t *testing.T) {
	p, err := catalog.PlanByName("oidc-basic")
	if err != nil {
		t.Fatal(err)
	}
	if p.Met != catalog.OIDFPlanMet || len(p.Requirements) < 30 || !strings.HasPrefix(p.Requirements[0].Text, "oidcc-") {
		t.Errorf("oidc-basic: %+v", p)
	}
	for _, op := range catalog.OIDFPlans() {
		plan := op.Plan()
		covered := 0
		for _, c := range op.Coverage() {
			if c.Covered() {
				covered++
			}
		}
		if len(plan.Requirements) != covered {
			t.Errorf("%s: %d requirements for %d covered modules", op.Name, len(plan.Requirements), covered)
		}
		if _, err := catalog.PlanByName(string(op.Name)); (err == nil) != (covered > 0) {
			t.Errorf("%s: selectable %v with %d covered modules", op.Name, err == nil, covered)
		}
	}
}
