package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/redact"
	"github.com/oauthconform/oauthconform/internal/waiver"
)

// SchemaVersion is the version of report.json's schema (docs/reports.md,
// docs/report.schema.json). The major number changes when a field is removed
// or changes meaning; the minor when fields are added.
const SchemaVersion = "1.0"

// Run describes the run around the Ginkgo report: what was tested and how.
// The suite fills it from the harness's Env.
type Run struct {
	Target   Target
	Settings Settings
	// Waivers is the run's waivers file (nil: none).
	Waivers *waiver.List
	// Root is the directory artifact paths are written relative to.
	Root string
	// Now is when waivers are judged (default: time.Now()).
	Now time.Time
}

// Target is what was tested.
type Target struct {
	Name      string            `json:"name"`
	Issuer    string            `json:"issuer"`
	Endpoints map[string]string `json:"endpoints"`
	// Mock is true for the bundled mock; Faults are its faults switched on.
	Mock   bool     `json:"mock"`
	Faults []string `json:"faults"`
}

// Settings are the run's settings, as a reviewer needs them to judge it.
type Settings struct {
	// TLSVerificationDisabled: the harness did not verify the target's TLS
	// certificates. Reports show a banner when it is true.
	TLSVerificationDisabled bool              `json:"tls_verification_disabled"`
	Strict                  bool              `json:"strict"`
	WaiversFile             string            `json:"waivers_file,omitempty"`
	LabelFilter             string            `json:"label_filter,omitempty"`
	RandomSeed              int64             `json:"random_seed"`
	ReportsDir              string            `json:"reports_dir"`
	Browser                 string            `json:"browser"`
	Timeouts                map[string]string `json:"timeouts"`
}

// Document is report.json, and the model of report.html and summary.md.
type Document struct {
	SchemaVersion   string         `json:"schema_version"`
	Tool            string         `json:"tool"`
	Suite           string         `json:"suite"`
	Started         time.Time      `json:"started"`
	Finished        time.Time      `json:"finished"`
	DurationSeconds float64        `json:"duration_seconds"`
	Target          Target         `json:"target"`
	Settings        Settings       `json:"settings"`
	Exit            Exit           `json:"exit"`
	SetupError      string         `json:"setup_error,omitempty"`
	Counts          map[string]int `json:"counts"`
	Areas           []AreaCounts   `json:"areas"`
	Checks          []CheckReport  `json:"checks"`
	Waivers         []WaiverReport `json:"waivers"`
}

// Exit is the run's exit status and why (see ExitStatus).
type Exit struct {
	Status int    `json:"status"`
	Reason string `json:"reason"`
}

// AreaCounts counts one area's checks by verdict.
type AreaCounts struct {
	Area   string         `json:"area"`
	Counts map[string]int `json:"counts"`
}

// SpecRef is one spec reference with its link.
type SpecRef struct {
	Ref string `json:"ref"`
	URL string `json:"url"`
}

// CheckReport is one check's outcome with everything behind it.
type CheckReport struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Area     string    `json:"area"`
	Flows    []string  `json:"flows"`
	Level    string    `json:"level"`
	Spec     []SpecRef `json:"spec"`
	Verdict  string    `json:"verdict"`
	Reason   string    `json:"reason,omitempty"`
	Seconds  float64   `json:"seconds"`
	Location string    `json:"location,omitempty"`
	Evidence []string  `json:"evidence"`
	// Redirects is the browser's redirect chain, one hop an item.
	Redirects []string `json:"redirects"`
	// Screenshot is the PNG's path, relative to the repository root when inside it.
	Screenshot string `json:"screenshot,omitempty"`
	Waiver     string `json:"waiver,omitempty"`

	screenshotPath string // as recorded, for inlining into HTML
}

// Waiver statuses in report.json.
const (
	WaiverApplied = "applied" // the check failed and the waiver made it waived
	WaiverExpired = "expired" // past its date: the check counts again
	WaiverStale   = "stale"   // the check passes: the waiver can go
	WaiverUnused  = "unused"  // the check ran but was not broken (skipped, error, info)
	WaiverNotRun  = "not_run" // the check was not selected in this run
)

// WaiverReport is one waiver and what became of it.
type WaiverReport struct {
	ID      string `json:"id"`
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	Status  string `json:"status"`
	Verdict string `json:"verdict,omitempty"`
}

// Build assembles the run's document, redacted.
func Build(report types.Report, run Run, r *redact.Redactor) Document {
	results := Results(report)
	now := run.Now
	if now.IsZero() {
		now = time.Now()
	}
	doc := Document{
		SchemaVersion:   SchemaVersion,
		Tool:            "oauthconform",
		Suite:           r.String(report.SuiteDescription),
		Started:         report.StartTime.UTC().Truncate(time.Second),
		Finished:        report.EndTime.UTC().Truncate(time.Second),
		DurationSeconds: round(report.RunTime.Seconds()),
		Target:          run.Target,
		Settings:        run.Settings,
		Counts:          Count(results),
		Checks:          []CheckReport{},
		Waivers:         []WaiverReport{},
	}
	// The harness's own record wins: a run that verified no certificate
	// says so in every report, whatever the caller filled in.
	doc.Settings.TLSVerificationDisabled = doc.Settings.TLSVerificationDisabled || harness.TLSVerificationDisabled()
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
		if spec.LeafNodeType.Is(types.NodeTypeBeforeSuite|types.NodeTypeSynchronizedBeforeSuite) && spec.State.Is(types.SpecStateFailureStates) {
			doc.SetupError = r.String(spec.Failure.Message)
		}
	}
	areas := map[string]map[string]int{}
	byID := map[string]Result{}
	for _, res := range results {
		byID[res.Check.ID] = res
		doc.Checks = append(doc.Checks, checkReport(res, r, run.Root))
		if areas[res.Check.Area] == nil {
			areas[res.Check.Area] = Count(nil)
		}
		areas[res.Check.Area][res.Verdict]++
	}
	for _, a := range sortedKeys(areas) {
		doc.Areas = append(doc.Areas, AreaCounts{Area: a, Counts: areas[a]})
	}
	if doc.Areas == nil {
		doc.Areas = []AreaCounts{}
	}
	if run.Waivers != nil {
		for _, w := range run.Waivers.Waivers {
			doc.Waivers = append(doc.Waivers, waiverReport(w, byID, now, r))
		}
	}
	rows := make([]ResultRow, len(results))
	for i, res := range results {
		rows[i] = ResultRow{ID: res.Check.ID, Level: string(res.Check.Level), Verdict: res.Verdict}
	}
	doc.Exit.Status, doc.Exit.Reason = ExitStatus(rows, run.Settings.Strict)
	return doc
}

func checkReport(res Result, r *redact.Redactor, root string) CheckReport {
	c := res.Check
	cr := CheckReport{
		ID: c.ID, Title: c.Title, Area: c.Area, Level: string(c.Level), Verdict: res.Verdict,
		Reason: r.String(res.Reason), Seconds: round(res.Seconds), Location: res.Location,
		Evidence: []string{}, Redirects: []string{}, Waiver: r.String(res.Waiver),
	}
	for _, f := range c.Flows {
		cr.Flows = append(cr.Flows, string(f))
	}
	for _, s := range c.Spec {
		cr.Spec = append(cr.Spec, SpecRef{Ref: s, URL: catalog.SpecURL(s)})
	}
	for _, e := range res.Evidence {
		cr.Evidence = append(cr.Evidence, r.String(e))
	}
	if res.Redirects != "" {
		cr.Redirects = strings.Split(r.String(res.Redirects), "\n")
	}
	if res.Screenshot != "" {
		cr.Screenshot = attachmentPath(res.Screenshot, root)
		cr.screenshotPath = res.Screenshot
	}
	return cr
}

func waiverReport(w waiver.Waiver, results map[string]Result, now time.Time, r *redact.Redactor) WaiverReport {
	wr := WaiverReport{ID: w.ID, Reason: r.String(w.Reason), Expires: w.ExpiresString()}
	res, ran := results[w.ID]
	switch {
	case !ran:
		wr.Status = WaiverNotRun
	case res.Verdict == harness.VerdictPass:
		wr.Status = WaiverStale
	case w.Expired(now):
		wr.Status = WaiverExpired
	case res.Verdict == harness.VerdictWaived:
		wr.Status = WaiverApplied
	default:
		wr.Status = WaiverUnused
	}
	if ran {
		wr.Verdict = res.Verdict
	}
	return wr
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Exit statuses of a run (docs/reports.md).
const (
	ExitOK     = 0 // no unwaived MUST failure (and, with --strict, no warning)
	ExitFailed = 1 // at least one unwaived MUST failure, undecided check, or (strict) warning
	ExitNotRun = 2 // the harness could not run: bad configuration, no browser, every check undecided
)

// ExitStatus decides the run's exit status from its verdicts:
//
//	2 when no check has a verdict, or every check is error (the harness could not run);
//	1 when a check is fail (a MUST broken, not waived or its waiver expired),
//	  or error (undecided: the run cannot vouch for it), or, with strict, warning;
//	0 otherwise: pass, info, skipped, waived and (without strict) warning never fail a run.
func ExitStatus(rows []ResultRow, strict bool) (int, string) {
	ids := map[string][]string{}
	for _, row := range rows {
		ids[row.Verdict] = append(ids[row.Verdict], row.ID)
	}
	n := func(v string) int { return len(ids[v]) }
	switch {
	case len(rows) == 0:
		return ExitNotRun, "no check ran"
	case n(harness.VerdictError) == len(rows):
		return ExitNotRun, fmt.Sprintf("the harness could not decide any check (%d error)", len(rows))
	}
	var why []string
	if n(harness.VerdictFail) > 0 {
		why = append(why, fmt.Sprintf("%d MUST failure(s): %s", n(harness.VerdictFail), strings.Join(ids[harness.VerdictFail], ", ")))
	}
	if n(harness.VerdictError) > 0 {
		why = append(why, fmt.Sprintf("%d undecided (error): %s", n(harness.VerdictError), strings.Join(ids[harness.VerdictError], ", ")))
	}
	if strict && n(harness.VerdictWarning) > 0 {
		why = append(why, fmt.Sprintf("%d warning(s) under --strict: %s", n(harness.VerdictWarning), strings.Join(ids[harness.VerdictWarning], ", ")))
	}
	if len(why) > 0 {
		return ExitFailed, strings.Join(why, "; ")
	}
	msg := "no unwaived MUST failure"
	if n(harness.VerdictWarning) > 0 {
		msg += fmt.Sprintf("; %d warning(s) do not fail the run without --strict", n(harness.VerdictWarning))
	}
	if n(harness.VerdictWaived) > 0 {
		msg += fmt.Sprintf("; %d waived", n(harness.VerdictWaived))
	}
	return ExitOK, msg
}

// ReadResults reads results.json.
func ReadResults(path string) ([]ResultRow, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []ResultRow
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, row := range rows {
		if row.ID == "" || row.Verdict == "" {
			return nil, fmt.Errorf("%s: row %d has no id or verdict", path, i)
		}
	}
	return rows, nil
}

// WriteJSON writes the document as report.json.
func WriteJSON(path string, doc Document) error {
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append(data, '\n'))
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
