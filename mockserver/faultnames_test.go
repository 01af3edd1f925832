package mockserver

import (
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// Every constant of package fault is a row of the fault table, and every
// row has its constant.
func TestFaultTableMatchesFaultNames(t *testing.T) {
	rows := map[fault.Name]bool{}
	for _, r := range faultTable {
		rows[r.Name] = true
	}
	for _, n := range fault.All() {
		if !rows[n] {
			t.Errorf("fault.%s has no row in faultTable", n)
		}
		delete(rows, n)
	}
	for n := range rows {
		t.Errorf("faultTable row %q has no constant in package fault", n)
	}
}
