package catalog

import (
	"fmt"
	"sort"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// alsoBreaks names, for a fault, the checks other than its own (those whose
// Fault is it) that it breaks too, each for a stated reason: a flaw that
// another check sees as well. `make faults-collateral` runs the whole
// catalog once per fault and fails on a check that changes to fail, warning
// or error under a fault without being named here or by its Fault field;
// collateral damage that nobody declared hides which check really detects
// a flaw.
var alsoBreaks = map[fault.Name][]string{}

// Breaks returns the IDs of the checks fault f breaks, sorted: those that
// name it as their Fault and those alsoBreaks declares.
func Breaks(f fault.Name) []string {
	seen := map[string]bool{}
	for _, c := range All() {
		if c.Fault == f {
			seen[c.ID] = true
		}
	}
	for _, id := range alsoBreaks[f] {
		seen[id] = true
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// ValidateCollateral checks that every declared collateral break names a
// check of the catalog.
func ValidateCollateral() error {
	for f, ids := range alsoBreaks {
		for _, id := range ids {
			if _, ok := ByID(id); !ok {
				return fmt.Errorf("catalog: fault %s is declared to break %q, which is no check", f, id)
			}
		}
	}
	return nil
}
