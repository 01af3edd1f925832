// Package reports turns a Ginkgo run into the harness's artifacts, all from
// one verdict model (pass, fail, warning, info, skipped, error, waived):
//
//   - junit.xml (WriteJUnit): one test case per check, named by its ID, with
//     level, spec links, flows, verdict and evidence as properties and a
//     readable system-out; screenshots as [[ATTACHMENT|path]];
//   - report.json (Build, WriteJSON): the run, its settings, counts and every
//     check with its evidence, under a versioned schema (docs/reports.md);
//   - report.html (WriteHTML): the same, one self-contained page;
//   - summary.md (WriteMarkdown): counts, failures and warnings for a CI job summary;
//   - results.json (WriteResultsJSON): {id, level, verdict, reason} per check;
//   - the terminal: a progress line per check and a closing summary.
//
// Every string that leaves the process goes through the redactor first.
package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
	// Evidence are the check's evidence entries (env.Attach), Redirects its
	// browser redirect chain (env.AttachRedirects), Screenshot the path of a
	// screenshot taken when the browser failed, Waiver the note of a waiver
	// that applied or expired, Location where the failure was raised.
	Evidence   []string
	Redirects  string
	Screenshot string
	Waiver     string
	Location   string
}

// Results reads the verdict of every catalog check in the report.
func Results(report types.Report) []Result {
	var out []Result
	for _, spec := range withSetupFailure(report).SpecReports {
		c, ok := checkOf(spec)
		if !ok {
			continue
		}
		out = append(out, resultOf(c, spec))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Check.ID < out[j].Check.ID })
	return out
}

// withSetupFailure returns the report with a harness error for every
// selected check when the suite's set-up failed (no browser, no endpoints):
// Ginkgo then runs no spec and lists none, and a report that simply lacked
// them would hide that nothing was decided.
func withSetupFailure(report types.Report) types.Report {
	report = withoutFiltered(report)
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

func resultOf(c catalog.Check, spec types.SpecReport) Result {
	res := Result{
		Check: c, Verdict: Verdict(spec), Reason: reason(spec), Seconds: spec.RunTime.Seconds(),
		Evidence:   entries(spec, harness.EntryEvidence),
		Redirects:  strings.Join(entries(spec, harness.EntryRedirects), "\n"),
		Screenshot: entry(spec, harness.EntryScreenshot),
		Waiver:     entry(spec, harness.EntryWaiver),
	}
	if spec.State.Is(types.SpecStateFailureStates) && spec.Failure.Location.FileName != "" {
		res.Location = fmt.Sprintf("%s:%d", filepath.Base(spec.Failure.Location.FileName), spec.Failure.Location.LineNumber)
	}
	return res
}

// withoutFiltered drops the checks a label filter left out: Ginkgo lists
// them as skipped, but nothing was tried, and "skipped" here means the target
// lacks what the check needs.
func withoutFiltered(report types.Report) types.Report {
	f := report.SuiteConfig.LabelFilter
	if f == "" {
		return report
	}
	selected, err := types.ParseLabelFilter(f)
	if err != nil {
		return report
	}
	out := report
	out.SpecReports = make(types.SpecReports, 0, len(report.SpecReports))
	for _, spec := range report.SpecReports {
		if spec.LeafNodeType == types.NodeTypeIt && spec.State == types.SpecStateSkipped && !selected(spec.Labels()) {
			continue
		}
		out.SpecReports = append(out.SpecReports, spec)
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

// entries returns the values of every entry with that name, in order.
func entries(spec types.SpecReport, name string) []string {
	var out []string
	for _, e := range spec.ReportEntries {
		if e.Name == name {
			out = append(out, e.StringRepresentation())
		}
	}
	return out
}

// Verdict derives a spec's verdict from its state and its verdict entries.
// A passed spec is waived, warning or info when such a verdict was recorded
// (in that order of precedence), else pass; a failed one is fail unless the
// harness recorded an error; panics, timeouts and interrupts are errors.
func Verdict(spec types.SpecReport) string {
	recorded := map[string]bool{}
	for _, v := range entries(spec, harness.EntryVerdict) {
		recorded[v] = true
	}
	switch {
	case spec.State == types.SpecStatePassed:
		for _, v := range []string{harness.VerdictWaived, harness.VerdictWarning, harness.VerdictInfo} {
			if recorded[v] {
				return v
			}
		}
		return harness.VerdictPass
	case spec.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		return harness.VerdictSkipped
	case spec.State == types.SpecStateFailed && !recorded[harness.VerdictError]:
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
	previous := ""
	for _, res := range results {
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
	fmt.Fprintln(w, CountLine(results))
	if harness.TLSVerificationDisabled() {
		fmt.Fprintln(w, "WARNING: TLS certificate verification was DISABLED for this run (tls.insecure_skip_verify): nothing here shows the target's TLS is sound")
	}
}

// CountLine is the closing count: "checks: 18 pass, 3 fail, 0 warning, 0 info, 0 skipped, 0 error, 0 waived".
func CountLine(results []Result) string {
	counts := Count(results)
	parts := make([]string, 0, len(countOrder))
	for _, v := range countOrder {
		parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
	}
	return "checks: " + strings.Join(parts, ", ")
}

// countOrder is the order of the closing count line.
var countOrder = []string{harness.VerdictPass, harness.VerdictFail, harness.VerdictWarning, harness.VerdictInfo,
	harness.VerdictSkipped, harness.VerdictError, harness.VerdictWaived}

// Count counts results by verdict; every verdict has a key.
func Count(results []Result) map[string]int {
	counts := map[string]int{}
	for _, v := range harness.Verdicts {
		counts[v] = 0
	}
	for _, res := range results {
		counts[res.Verdict]++
	}
	return counts
}

// ProgressLine is the line printed when a check completes: verdict, ID,
// seconds and title, and for a verdict other than pass the first line of
// its reason ("WARNING  TE-02      0.42s  token response carries expires_in — no expires_in ...").
func ProgressLine(res Result, r *redact.Redactor) string {
	line := fmt.Sprintf("%-8s %-8s %6.2fs  %s", strings.ToUpper(res.Verdict), res.Check.ID, res.Seconds, res.Check.Title)
	if reason := firstLine(r.String(res.Reason)); res.Verdict != harness.VerdictPass && reason != "" {
		line += " — " + reason
	}
	return line
}

// ResultOf is the result of one completed spec, if it is a check (for
// progress lines from a ReportAfterEach).
func ResultOf(spec types.SpecReport) (Result, bool) {
	c, ok := checkOf(spec)
	if !ok {
		return Result{}, false
	}
	return resultOf(c, spec), true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// ResultRow is one row of results.json. id, level, verdict and reason are
// stable (internal/cmd/faults, internal/cmd/verdict and interop read them);
// the others were added later and may be absent in older files.
type ResultRow struct {
	ID      string  `json:"id"`
	Level   string  `json:"level"`
	Verdict string  `json:"verdict"`
	Reason  string  `json:"reason,omitempty"`
	Title   string  `json:"title,omitempty"`
	Area    string  `json:"area,omitempty"`
	Seconds float64 `json:"seconds"`
	Waiver  string  `json:"waiver,omitempty"`
}

// WriteResultsJSON writes the verdicts as JSON (used by `make faults` and tools).
func WriteResultsJSON(path string, results []Result, r *redact.Redactor) error {
	rows := make([]ResultRow, len(results))
	for i, res := range results {
		rows[i] = ResultRow{ID: res.Check.ID, Level: string(res.Check.Level), Verdict: res.Verdict, Reason: r.String(res.Reason),
			Title: res.Check.Title, Area: res.Check.Area, Seconds: round(res.Seconds), Waiver: r.String(res.Waiver)}
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

// round keeps seconds to milliseconds in files.
func round(s float64) float64 { return float64(int64(s*1000+0.5)) / 1000 }
