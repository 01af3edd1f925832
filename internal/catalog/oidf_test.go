package catalog_test

import (
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/catalog"
)

// A check that names a module no OIDF plan runs (a typo, or a module of
// another suite) would vanish from docs/oidf-parity.md unnoticed.
func TestOIDFModulesAreKnown(t *testing.T) {
	if err := catalog.ValidateOIDF(); err != nil {
		t.Fatal(err)
	}
}

// The plans list each module once, with the suite's naming.
func TestOIDFPlansListModulesOnce(t *testing.T) {
	for _, p := range catalog.OIDFPlans() {
		seen := map[catalog.OIDFModule]bool{}
		for _, m := range p.Modules {
			if seen[m] {
				t.Errorf("%s lists %s twice", p.ID, m)
			}
			seen[m] = true
			if !strings.HasPrefix(string(m), "oidcc-") {
				t.Errorf("%s: %q is not an oidcc- module name", p.ID, m)
			}
		}
		for _, c := range p.Coverage() {
			if c.Covered() && c.NotApplicable != "" {
				t.Errorf("%s: %s is both covered and not applicable", p.ID, c.Module)
			}
		}
	}
}
