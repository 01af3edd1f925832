package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// broke reports whether a check's verdict under a fault is a break of what
// the secure mock gave: fail or warning where the secure run had anything
// else. An error (undecided: the fault broke what the check starts from)
// detects nothing and is listed apart.
func broke(secure, got result) bool {
	switch got.Verdict {
	case verdict.Fail, verdict.Warning:
		return got.Verdict != secure.Verdict
	}
	return false
}

// collateralDamage runs the whole catalog once per fault and lists, per
// fault, the checks it breaks; a check broken but not named by
// catalog.Breaks (for the fault or a fault it implies) fails the command.
// It returns the exit status.
func collateralDamage(suite, out string, parallel int, runs []*run, secure, second *run) int {
	if err := catalog.ValidateCollateral(); err != nil {
		fmt.Println("faults-collateral:", err)
		return 1
	}
	implies := map[string][]fault.Name{}
	for _, mf := range mockserver.AllFaults() {
		implies[string(mf.Name)] = mf.Implies
	}
	full := make([]*run, len(runs))
	for i, r := range runs {
		full[i] = &run{fault: r.fault, name: "collateral/" + r.fault}
	}
	executeAll(suite, out, parallel, full)
	unnamed, failedRuns := 0, 0
	for _, r := range full {
		if r.err != nil {
			fmt.Printf("%-36s RUN FAILED: %v\n", r.fault, r.err)
			failedRuns++
			continue
		}
		named := map[string]bool{}
		for _, id := range catalog.Breaks(fault.Name(r.fault)) {
			named[id] = true
		}
		for _, imp := range implies[r.fault] {
			for _, id := range catalog.Breaks(imp) {
				named[id] = true
			}
		}
		var own, extra, undecided []string
		for _, c := range catalog.All() {
			base := secure.results[c.ID]
			if b, ok := second.results[c.ID]; ok && base.Verdict == verdict.Skipped {
				base = b
			}
			got := r.results[c.ID]
			if got.Verdict == verdict.Error && base.Verdict != verdict.Error && !named[c.ID] {
				undecided = append(undecided, c.ID)
				continue
			}
			if !broke(base, got) {
				continue
			}
			if named[c.ID] {
				own = append(own, c.ID)
			} else {
				extra = append(extra, fmt.Sprintf("%s (%s → %s: %s)", c.ID, base.Verdict, got.Verdict, firstLine(got.Reason)))
			}
		}
		sort.Strings(own)
		line := fmt.Sprintf("%-36s breaks %s", r.fault, strings.Join(own, " "))
		if len(undecided) > 0 {
			line += fmt.Sprintf("\n    undecided (what they start from is broken): %s", strings.Join(undecided, " "))
		}
		if len(extra) > 0 {
			unnamed += len(extra)
			line += "\n    UNNAMED: " + strings.Join(extra, "\n    UNNAMED: ")
		}
		fmt.Println(line)
	}
	fmt.Printf("faults-collateral: %d faults, %d unnamed breaks, %d runs failed\n", len(full), unnamed, failedRuns)
	if unnamed > 0 || failedRuns > 0 {
		return 1
	}
	return 0
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
