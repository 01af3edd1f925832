// Package reports renders a run's artifacts from one redacted Document,
// built once from the Ginkgo report (Build):
//
//   - junit.xml (WriteJUnit): one test case per check, named by its ID, with
//     level, severity, spec links, flows, verdict and evidence as properties
//     and a readable system-out; screenshots as [[ATTACHMENT|path]];
//   - report.json (WriteJSON): the run, its settings, counts and every check
//     with its evidence, under a versioned schema (docs/reports.md);
//   - report.html (WriteHTML): the same, one self-contained page, sorted and
//     grouped by severity;
//   - summary.md (WriteMarkdown): counts, failures and warnings for a CI job summary;
//   - results.json (WriteResultsJSON): one verdict.Row per check;
//   - the terminal: a progress line per check and a closing summary.
//
// Build is the only function that reads the Ginkgo report or redacts: every
// writer renders the Document it is given and reads no other state. The
// verdict model (precedence, exit status, result rows) is internal/verdict's.
package reports

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/redact"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

// Build reads a finished Ginkgo run into its document, redacted: the one
// model every report is rendered from.
func Build(report types.Report, run Run, r *redact.Redactor) Document {
	report = withSetupFailure(report)
	now := run.Now
	if now.IsZero() {
		now = time.Now()
	}
	doc := Document{
		SchemaVersion:   SchemaVersion,
		Tool:            "oauthconform",
		ToolVersion:     run.Version,
		Suite:           r.String(report.SuiteDescription),
		Started:         report.StartTime.UTC().Truncate(time.Second),
		Finished:        report.EndTime.UTC().Truncate(time.Second),
		DurationSeconds: round(report.RunTime.Seconds()),
		Target:          run.Target,
		Settings:        run.Settings,
		Checks:          []CheckReport{},
		Waivers:         []WaiverReport{},
		SuitePath:       report.SuitePath,
	}
	doc.Target.Name, doc.Target.Issuer = r.String(doc.Target.Name), r.String(doc.Target.Issuer)
	if doc.Target.Faults == nil {
		doc.Target.Faults = []string{}
	}
	endpoints := map[string]string{}
	for k, v := range doc.Target.Endpoints {
		if v != "" {
			endpoints[k] = r.String(v)
		}
	}
	doc.Target.Endpoints = endpoints
	if doc.Settings.LabelFilter == "" {
		doc.Settings.LabelFilter = report.SuiteConfig.LabelFilter
	}
	if doc.Settings.RandomSeed == 0 {
		doc.Settings.RandomSeed = report.SuiteConfig.RandomSeed
	}
	if run.Waivers != nil && doc.Settings.WaiversFile == "" {
		doc.Settings.WaiversFile = attachmentPath(run.Waivers.Path, run.Root)
	}
	for _, spec := range report.SpecReports {
		if c, ok := checkOf(spec); ok {
			doc.Checks = append(doc.Checks, checkReport(c, spec, r, run.Root))
			continue
		}
		if spec.State.Is(types.SpecStateFailureStates) {
			if spec.LeafNodeType.Is(types.NodeTypeBeforeSuite | types.NodeTypeSynchronizedBeforeSuite) {
				doc.SetupError = r.String(spec.Failure.Message)
			}
			doc.NodeFailures = append(doc.NodeFailures, nodeFailure(spec, r))
		}
	}
	sort.Slice(doc.Checks, func(i, j int) bool { return doc.Checks[i].ID < doc.Checks[j].ID })
	doc.Recount()
	doc.judgeWaivers(run.Waivers, now, r)
	doc.Plans = planReports(doc.Checks)
	return doc
}

// CheckOf reads one completed spec, if it is a check, redacted (for the
// progress line a ReportAfterEach prints).
func CheckOf(spec types.SpecReport, r *redact.Redactor) (CheckReport, bool) {
	c, ok := checkOf(spec)
	if !ok {
		return CheckReport{}, false
	}
	return checkReport(c, spec, r, ""), true
}

// Verdict is a spec's verdict: how it ended and the verdicts it recorded,
// under verdict.Of's precedence.
func Verdict(spec types.SpecReport) verdict.Verdict {
	var recorded []verdict.Verdict
	for _, v := range entries(spec, verdict.EntryVerdict) {
		if parsed, err := verdict.Parse(v); err == nil {
			recorded = append(recorded, parsed)
		}
	}
	return verdict.Of(outcome(spec.State), recorded)
}

func outcome(s types.SpecState) verdict.Outcome {
	switch {
	case s == types.SpecStatePassed:
		return verdict.SpecPassed
	case s.Is(types.SpecStateSkipped | types.SpecStatePending):
		return verdict.SpecSkipped
	case s == types.SpecStateFailed:
		return verdict.SpecFailed
	default: // panics, timeouts, interrupts
		return verdict.SpecAborted
	}
}

func checkReport(c catalog.Check, spec types.SpecReport, r *redact.Redactor, root string) CheckReport {
	cr := CheckReport{
		ID: c.ID, Title: c.Title, Area: c.Area, Level: c.Level,
		Severity: c.Severity, Threat: c.Threat, Quote: c.Quote,
		Verdict: Verdict(spec), Reason: r.String(reason(spec)), Seconds: round(spec.RunTime.Seconds()),
		Evidence: []string{}, Redirects: []string{}, Waiver: r.String(entry(spec, verdict.EntryWaiver)),
	}
	for _, f := range c.Flows {
		cr.Flows = append(cr.Flows, string(f))
	}
	for _, s := range c.Spec {
		cr.Spec = append(cr.Spec, SpecRef{Ref: s, URL: catalog.SpecURL(s)})
	}
	for _, e := range entries(spec, verdict.EntryEvidence) {
		cr.Evidence = append(cr.Evidence, r.String(e))
	}
	for _, chain := range entries(spec, verdict.EntryRedirects) {
		cr.Redirects = append(cr.Redirects, strings.Split(r.String(chain), "\n")...)
	}
	if shot := entry(spec, verdict.EntryScreenshot); shot != "" {
		cr.Screenshot = attachmentPath(shot, root)
		cr.screenshotPath = shot
	}
	if spec.State.Is(types.SpecStateFailureStates) && spec.Failure.Location.FileName != "" {
		cr.Location = fmt.Sprintf("%s:%d", filepath.Base(spec.Failure.Location.FileName), spec.Failure.Location.LineNumber)
	}
	cr.Output = r.String(strings.TrimSpace(spec.CapturedGinkgoWriterOutput + "\n" + spec.CapturedStdOutErr))
	return cr
}

func nodeFailure(spec types.SpecReport, r *redact.Redactor) NodeFailure {
	name := "[" + spec.LeafNodeType.String() + "]"
	if spec.LeafNodeText != "" {
		name += " " + spec.LeafNodeText
	}
	nf := NodeFailure{
		Name: r.String(name), Message: r.String(spec.Failure.Message), Seconds: round(spec.RunTime.Seconds()),
		Error:  spec.State != types.SpecStateFailed,
		Output: r.String(strings.TrimSpace(spec.CapturedGinkgoWriterOutput + "\n" + spec.CapturedStdOutErr)),
	}
	if spec.Failure.ForwardedPanic != "" {
		nf.Message = strings.TrimSpace(nf.Message + "\n" + r.String(spec.Failure.ForwardedPanic))
	}
	if l := spec.Failure.Location; l.FileName != "" {
		nf.Location = fmt.Sprintf("%s:%d", filepath.Base(l.FileName), l.LineNumber)
	}
	return nf
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

func reason(spec types.SpecReport) string {
	if r := entry(spec, verdict.EntryReason); r != "" {
		return r
	}
	return spec.Failure.Message
}

// round keeps seconds to milliseconds in files.
func round(s float64) float64 { return float64(int64(s*1000+0.5)) / 1000 }

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
