package catalog

import "testing"

func TestCollateralNamesChecks(t *testing.T) {
	if err := ValidateCollateral(); err != nil {
		t.Fatal(err)
	}
	for _, c := range All() {
		found := false
		for _, id := range Breaks(c.Fault) {
			found = found || id == c.ID
		}
		if !found {
			t.Errorf("Breaks(%s) lacks %s, whose fault it is", c.Fault, c.ID)
		}
	}
}
