package reports

import (
	"fmt"
	"strings"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

// PlanReport is how far a run meets a plan (catalog.Plans): reported when
// the run ran every check of the plan (a full run, or --plan).
type PlanReport struct {
	Name  catalog.PlanName `json:"name"`
	Title string           `json:"title"`
	// MetText says what Met counts ("requirements met", "modules' checks pass").
	MetText      string              `json:"met_text"`
	Met          int                 `json:"met"`
	Total        int                 `json:"total"`
	Requirements []RequirementReport `json:"requirements"`
}

// RequirementReport is one requirement of a plan in this run.
type RequirementReport struct {
	Text string `json:"text"`
	Met  bool   `json:"met"`
	// By is the alternative that met it ("DPoP"), or "" (one way only).
	By string `json:"by,omitempty"`
	// Checks are the verdicts behind it, "PAR-01 pass", of the
	// alternative that met it, else of every alternative.
	Checks []string `json:"checks"`
}

// Line is the plan's summary line: "FAPI 2.0 Security Profile: 11/12 requirements met".
func (p PlanReport) Line() string {
	return fmt.Sprintf("%s: %d/%d %s", p.Title, p.Met, p.Total, p.MetText)
}

// planReports judges every plan whose checks all ran.
func planReports(checks []CheckReport) []PlanReport {
	got := map[string]verdict.Verdict{}
	for _, c := range checks {
		got[c.ID] = c.Verdict
	}
	var out []PlanReport
plans:
	for _, p := range catalog.Plans() {
		for _, id := range p.Checks() {
			if _, ran := got[id]; !ran {
				continue plans
			}
		}
		pr := PlanReport{Name: p.Name, Title: p.Title, MetText: p.Met, Total: len(p.Requirements), Requirements: []RequirementReport{}}
		if pr.MetText == "" {
			pr.MetText = "requirements met"
		}
		for _, r := range p.Requirements {
			rr := RequirementReport{Text: r.Text, Checks: []string{}}
			for _, a := range r.AnyOf {
				met := true
				var lines []string
				for _, id := range a.Checks {
					met = met && got[id] == verdict.Pass
					lines = append(lines, id+" "+string(got[id]))
				}
				if met {
					rr.Met, rr.By, rr.Checks = true, a.Name, lines
					break
				}
				rr.Checks = append(rr.Checks, lines...)
			}
			if rr.Met {
				pr.Met++
			}
			pr.Requirements = append(pr.Requirements, rr)
		}
		out = append(out, pr)
	}
	return out
}

// unmetSummary lists a plan's unmet requirements, for a report's text.
func (p PlanReport) unmetSummary() string {
	var unmet []string
	for _, r := range p.Requirements {
		if !r.Met {
			unmet = append(unmet, r.Text+" ("+strings.Join(notPassed(r.Checks), ", ")+")")
		}
	}
	return strings.Join(unmet, "; ")
}

// notPassed keeps the "ID verdict" lines whose verdict is not pass.
func notPassed(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasSuffix(l, " "+string(verdict.Pass)) {
			out = append(out, l)
		}
	}
	return out
}
