// Package reports turns a Ginkgo run into the harness's artifacts: a JUnit
// file (through Ginkgo's own JUnit reporter) whose test cases are named by
// check ID and carry level, spec links, flow and verdict as properties, and a
// one-line-per-check summary for people. Every string that leaves the process
// goes through the redactor first.
package reports

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/redact"
)

// Result is one check's outcome.
type Result struct {
	Check   catalog.Check
	Verdict string
	Reason  string
	Seconds float64
}

// Results reads the verdict of every catalog check in the report.
func Results(report types.Report) []Result {
	var out []Result
	for _, spec := range withSetupFailure(report).SpecReports {
		c, ok := checkOf(spec)
		if !ok {
			continue
		}
		out = append(out, Result{Check: c, Verdict: Verdict(spec), Reason: reason(spec), Seconds: spec.RunTime.Seconds()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Check.ID < out[j].Check.ID })
	return out
}

// withSetupFailure returns the report with a harness error for every
// selected check when the suite's set-up failed (no browser, no endpoints):
// Ginkgo then runs no spec and lists none, and a report that simply lacked
// them would hide that nothing was decided.
func withSetupFailure(report types.Report) types.Report {
	var setupErr string
	ran := map[string]bool{}
	for _, spec := range report.SpecReports {
		if spec.LeafNodeType.Is(types.NodeTypeBeforeSuite|types.NodeTypeSynchronizedBeforeSuite) && spec.State.Is(types.SpecStateFailureStates) {
			setupErr = spec.Failure.Message
		}
		if c, ok := checkOf(spec); ok {
			ran[c.ID] = true
		}
	}
	if setupErr == "" {
		return report
	}
	selected := func([]string) bool { return true }
	if f := report.SuiteConfig.LabelFilter; f != "" {
		if parsed, err := types.ParseLabelFilter(f); err == nil {
			selected = parsed
		}
	}
	out := report
	out.SpecReports = append(types.SpecReports(nil), report.SpecReports...)
	for _, c := range catalog.All() {
		if ran[c.ID] || !selected(c.Labels()) {
			continue
		}
		out.SpecReports = append(out.SpecReports, types.SpecReport{
			LeafNodeType:   types.NodeTypeIt,
			LeafNodeText:   c.SpecText(),
			LeafNodeLabels: c.Labels(),
			State:          types.SpecStatePanicked,
			Failure:        types.Failure{Message: "harness error: the run could not start: " + setupErr},
		})
	}
	return out
}

func checkOf(spec types.SpecReport) (catalog.Check, bool) {
	if spec.LeafNodeType != types.NodeTypeIt {
		return catalog.Check{}, false
	}
	for _, l := range spec.Labels() {
		if c, ok := catalog.ByID(l); ok {
			return c, true
		}
	}
	return catalog.Check{}, false
}

func entry(spec types.SpecReport, name string) string {
	for _, e := range spec.ReportEntries {
		if e.Name == name {
			return e.StringRepresentation()
		}
	}
	return ""
}

// Verdict derives a spec's verdict from its state and its verdict entry.
func Verdict(spec types.SpecReport) string {
	recorded := entry(spec, harness.EntryVerdict)
	switch {
	case spec.State == types.SpecStatePassed && recorded == harness.VerdictWarning:
		return harness.VerdictWarning
	case spec.State == types.SpecStatePassed:
		return harness.VerdictPass
	case spec.State == types.SpecStateSkipped:
		return harness.VerdictSkipped
	case spec.State == types.SpecStateFailed && recorded != harness.VerdictError:
		return harness.VerdictFail
	default: // harness errors, panics, timeouts, interrupts: undecided
		return harness.VerdictError
	}
}

func reason(spec types.SpecReport) string {
	if r := entry(spec, harness.EntryReason); r != "" {
		return r
	}
	return spec.Failure.Message
}

// WriteJUnit writes path with Ginkgo's JUnit reporter, after renaming each
// check's test case to start with its ID, marking harness errors as JUnit
// errors and redacting; then adds the check's catalog data and verdict as
// plain-text properties.
func WriteJUnit(report types.Report, path string, r *redact.Redactor) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	report = withSetupFailure(report)
	out := report
	out.SpecReports = make(types.SpecReports, 0, len(report.SpecReports))
	props := map[string][]reporters.JUnitProperty{} // by test case name
	for _, spec := range report.SpecReports {
		spec.Failure.Message = r.String(spec.Failure.Message)
		spec.Failure.ForwardedPanic = r.String(spec.Failure.ForwardedPanic)
		spec.Failure.Location.FullStackTrace = r.String(spec.Failure.Location.FullStackTrace)
		spec.CapturedGinkgoWriterOutput = r.String(spec.CapturedGinkgoWriterOutput)
		spec.CapturedStdOutErr = r.String(spec.CapturedStdOutErr)
		entries := make([]types.ReportEntry, len(spec.ReportEntries))
		for i, e := range spec.ReportEntries {
			e.Value = types.WrapEntryValue(r.String(e.StringRepresentation()))
			entries[i] = e
		}
		spec.ReportEntries = entries
		if c, ok := checkOf(spec); ok {
			verdict := Verdict(spec)
			spec.ContainerHierarchyTexts = nil
			spec.LeafNodeText = fmt.Sprintf("%s %s (%s)", c.ID, c.Title, flows(c))
			if verdict == harness.VerdictError && spec.State.Is(types.SpecStateFailed|types.SpecStateTimedout|types.SpecStateAborted) {
				spec.State = types.SpecStatePanicked // JUnit <error>: the harness could not decide
			}
			if spec.State == types.SpecStatePanicked && spec.Failure.ForwardedPanic == "" {
				spec.Failure.ForwardedPanic = spec.Failure.Message // Ginkgo's <error message> comes from here
			}
			p := []reporters.JUnitProperty{
				{Name: "check", Value: c.ID}, {Name: "level", Value: string(c.Level)}, {Name: "area", Value: c.Area},
				{Name: "flows", Value: flows(c)}, {Name: "spec", Value: specLinks(c)}, {Name: "verdict", Value: verdict},
			}
			for _, e := range spec.ReportEntries {
				if e.Name != harness.EntryVerdict {
					p = append(p, reporters.JUnitProperty{Name: e.Name, Value: e.StringRepresentation()})
				}
			}
			props[spec.LeafNodeText] = p
		}
		out.SpecReports = append(out.SpecReports, spec)
	}
	err := reporters.GenerateJUnitReportWithConfig(out, path, reporters.JunitReportConfig{
		OmitSpecLabels:            true,
		OmitLeafNodeType:          true,
		OmitTimelinesForSpecState: types.SpecStatePassed | types.SpecStateSkipped,
	})
	if err != nil {
		return err
	}
	return rewrite(path, props, r)
}

// rewrite replaces the JSON-quoted report-entry properties Ginkgo writes with
// readable ones, and redacts every text Ginkgo rendered (timelines carry
// step texts, follow-on failures and progress reports too). It works on the
// decoded XML: the raw file escapes "&", which hides parameters from the redactor.
func rewrite(path string, props map[string][]reporters.JUnitProperty, r *redact.Redactor) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var suites reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		return err
	}
	for i := range suites.TestSuites {
		for j := range suites.TestSuites[i].TestCases {
			tc := &suites.TestSuites[i].TestCases[j]
			if p, ok := props[tc.Name]; ok {
				tc.Properties = &reporters.JUnitProperties{Properties: p}
			}
			tc.SystemOut, tc.SystemErr = r.String(tc.SystemOut), r.String(tc.SystemErr)
			if f := tc.Failure; f != nil {
				f.Message, f.Description = r.String(f.Message), r.String(f.Description)
			}
			if e := tc.Error; e != nil {
				e.Message, e.Description = r.String(e.Message), r.String(e.Description)
			}
			if sk := tc.Skipped; sk != nil {
				sk.Message = r.String(sk.Message)
			}
		}
	}
	out, err := xml.MarshalIndent(suites, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(out, '\n')...), 0o644)
}

func flows(c catalog.Check) string {
	parts := make([]string, len(c.Flows))
	for i, f := range c.Flows {
		parts[i] = string(f)
	}
	return strings.Join(parts, ",")
}

func specLinks(c catalog.Check) string {
	parts := make([]string, len(c.Spec))
	for i, s := range c.Spec {
		parts[i] = s + " <" + catalog.SpecURL(s) + ">"
	}
	return strings.Join(parts, "; ")
}

// WriteSummary prints one line per check and a closing count, for people
// reading a terminal or a CI log.
func WriteSummary(w io.Writer, results []Result, r *redact.Redactor) {
	counts := map[string]int{}
	previous := ""
	for _, res := range results {
		counts[res.Verdict]++
		line := fmt.Sprintf("%-8s %-8s %-6s %s", strings.ToUpper(res.Verdict), res.Check.ID, res.Check.Level, res.Check.Title)
		if res.Verdict != harness.VerdictPass && res.Reason != "" {
			// One root cause is said once, not once per dependent check.
			if reason := firstLine(r.String(res.Reason)); reason == previous {
				line += " — same cause as above"
			} else {
				line += " — " + reason
				previous = reason
			}
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "checks: %d pass, %d fail, %d warning, %d skipped, %d error\n",
		counts[harness.VerdictPass], counts[harness.VerdictFail], counts[harness.VerdictWarning],
		counts[harness.VerdictSkipped], counts[harness.VerdictError])
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// WriteResultsJSON writes the verdicts as JSON (used by `make faults` and tools).
func WriteResultsJSON(path string, results []Result, r *redact.Redactor) error {
	type row struct {
		ID      string `json:"id"`
		Level   string `json:"level"`
		Verdict string `json:"verdict"`
		Reason  string `json:"reason,omitempty"`
	}
	rows := make([]row, len(results))
	for i, res := range results {
		rows[i] = row{ID: res.Check.ID, Level: string(res.Check.Level), Verdict: res.Verdict, Reason: r.String(res.Reason)}
	}
	data, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
