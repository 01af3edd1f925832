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
