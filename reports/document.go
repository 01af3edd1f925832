package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/oauthconform/oauthconform/internal/redact"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/internal/waiver"
)

// SchemaVersion is the version of report.json's schema (docs/reports.md,
// docs/report.schema.json). The major number changes when a field is removed
// or changes meaning; the minor when fields are added.
const SchemaVersion = "1.4"

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
	// Version is the oauthconform build (module version and commit).
	Version string
}

// Target is what was tested.
type Target struct {
	Name      string            `json:"name"`
	Issuer    string            `json:"issuer"`
	Endpoints map[string]string `json:"endpoints"`
	// Mock is true for the bundled mock; Faults are its faults switched on.
	Mock   bool     `json:"mock"`
	Faults []string `json:"faults"`
	// Profile is the target profile the run read, relative to the working
	// directory when inside it (SARIF locates the findings on it).
	Profile string `json:"profile,omitempty"`
}

// Settings are the run's settings, as a reviewer needs them to judge it.
type Settings struct {
	// TLSVerificationDisabled: the harness did not verify the target's TLS
	// certificates. Reports show a banner when it is true.
	TLSVerificationDisabled bool `json:"tls_verification_disabled"`
	// Strict and FailOn are the exit policy (verdict.Policy).
	Strict      bool              `json:"strict"`
	FailOn      verdict.Severity  `json:"fail_on,omitempty"`
	WaiversFile string            `json:"waivers_file,omitempty"`
	LabelFilter string            `json:"label_filter,omitempty"`
	RandomSeed  int64             `json:"random_seed"`
	ReportsDir  string            `json:"reports_dir"`
	Browser     string            `json:"browser"`
	Timeouts    map[string]string `json:"timeouts"`
}

// Policy is the run's exit policy.
func (s Settings) Policy() verdict.Policy {
	return verdict.Policy{Strict: s.Strict, FailOn: s.FailOn}
}

// Document is the run, redacted: report.json itself, and the one model
// junit.xml, report.html, summary.md, results.json and the terminal summary
// are rendered from. Fields tagged json:"-" are for the other writers.
type Document struct {
	SchemaVersion   string                  `json:"schema_version"`
	Tool            string                  `json:"tool"`
	ToolVersion     string                  `json:"tool_version,omitempty"`
	Suite           string                  `json:"suite"`
	Started         time.Time               `json:"started"`
	Finished        time.Time               `json:"finished"`
	DurationSeconds float64                 `json:"duration_seconds"`
	Target          Target                  `json:"target"`
	Settings        Settings                `json:"settings"`
	Exit            Exit                    `json:"exit"`
	SetupError      string                  `json:"setup_error,omitempty"`
	Counts          map[verdict.Verdict]int `json:"counts"`
	// Severities counts the checks of each severity by verdict, gravest
	// first; checks without a severity yet are counted as "unrated", last.
	Severities []SeverityCounts `json:"severities"`
	Areas      []AreaCounts     `json:"areas"`
	// Checks are sorted by ID.
	Checks  []CheckReport  `json:"checks"`
	Waivers []WaiverReport `json:"waivers"`
	// Plans are the plans (catalog.Plans) whose checks all ran, judged:
	// "FAPI 2.0 Security Profile: 11/12 requirements met".
	Plans []PlanReport `json:"plans,omitempty"`

	// SuitePath is where the suite ran from (JUnit's package).
	SuitePath string `json:"-"`
	// NodeFailures are failures outside any check (a BeforeSuite, an
	// AfterSuite, a report node): JUnit lists them as test cases.
	NodeFailures []NodeFailure `json:"-"`
}

// Exit is the run's exit status and why (verdict.Exit).
type Exit struct {
	Status verdict.Status `json:"status"`
	Reason string         `json:"reason"`
}

// AreaCounts counts one area's checks by verdict.
type AreaCounts struct {
	Area   string                  `json:"area"`
	Counts map[verdict.Verdict]int `json:"counts"`
}

// Unrated is the severity group of checks whose severity is not set.
const Unrated = "unrated"

// SeverityCounts counts one severity's checks by verdict.
type SeverityCounts struct {
	// Severity is one of verdict.Severities, or Unrated.
	Severity string                  `json:"severity"`
	Counts   map[verdict.Verdict]int `json:"counts"`
}

// SpecRef is one spec reference with its link.
type SpecRef struct {
	Ref string `json:"ref"`
	URL string `json:"url"`
}

// CheckReport is one check's outcome with everything behind it.
type CheckReport struct {
	ID    string        `json:"id"`
	Title string        `json:"title"`
	Area  string        `json:"area"`
	Flows []string      `json:"flows"`
	Level verdict.Level `json:"level"`
	// Severity is what an attacker gains when the requirement is broken
	// (empty: not rated yet); Threat the attack it prevents; Quote the
	// normative sentence the check rests on.
	Severity verdict.Severity `json:"severity,omitempty"`
	Threat   string           `json:"threat,omitempty"`
	Quote    string           `json:"quote,omitempty"`
	Spec     []SpecRef        `json:"spec"`
	Verdict  verdict.Verdict  `json:"verdict"`
	Reason   string           `json:"reason,omitempty"`
	Seconds  float64          `json:"seconds"`
	Location string           `json:"location,omitempty"`
	Evidence []string         `json:"evidence"`
	// Redirects is the browser's redirect chain, one hop an item.
	Redirects []string `json:"redirects"`
	// Screenshot is the PNG's path, relative to the repository root when inside it.
	Screenshot string `json:"screenshot,omitempty"`
	Waiver     string `json:"waiver,omitempty"`

	// Output is what the check wrote (GinkgoWriter, stdout), for JUnit's system-out.
	Output         string `json:"-"`
	screenshotPath string // as recorded, for inlining into HTML
}

// SeverityRank orders checks by severity for display: critical 4 … none 0,
// not rated -1 (last).
func (c CheckReport) SeverityRank() int { return c.Severity.Rank() }

// SeverityLabel is the severity as shown: the severity, or "unrated".
func (c CheckReport) SeverityLabel() string {
	if c.Severity.Rank() < 0 {
		return Unrated
	}
	return string(c.Severity)
}

// Row is the check's results.json row.
func (c CheckReport) Row() verdict.Row {
	return verdict.Row{ID: c.ID, Level: c.Level, Severity: c.Severity, Verdict: c.Verdict, Reason: c.Reason,
		Title: c.Title, Area: c.Area, Seconds: c.Seconds, Waiver: c.Waiver}
}

// NodeFailure is a failure outside any check.
type NodeFailure struct {
	Name     string
	Message  string
	Location string
	Output   string
	Seconds  float64
	// Error: a panic, timeout or interrupt rather than a failed assertion.
	Error bool
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
	ID      string          `json:"id"`
	Reason  string          `json:"reason"`
	Expires string          `json:"expires,omitempty"`
	Status  string          `json:"status"`
	Verdict verdict.Verdict `json:"verdict,omitempty"`
}

// Rows are the document's results.json rows, by ID.
func (doc Document) Rows() []verdict.Row {
	rows := make([]verdict.Row, len(doc.Checks))
	for i, c := range doc.Checks {
		rows[i] = c.Row()
	}
	return rows
}

// BySeverity returns the checks gravest first (unrated last), then by
// verdict (worst first) and ID: what needs attention is at the top.
func (doc Document) BySeverity() []CheckReport {
	out := slices.Clone(doc.Checks)
	rank := func(v verdict.Verdict) int { return slices.Index(verdict.All, v) }
	slices.SortStableFunc(out, func(a, b CheckReport) int {
		if d := b.SeverityRank() - a.SeverityRank(); d != 0 {
			return d
		}
		if d := rank(a.Verdict) - rank(b.Verdict); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Recount derives the counts (all, by severity, by area) and the exit
// status from the checks and the settings; Build calls it, and so does
// whoever changes a document's checks (a baseline, a test).
func (doc *Document) Recount() {
	rows := doc.Rows()
	doc.Counts = verdict.CountRows(rows)
	areas := map[string][]verdict.Row{}
	severities := map[string][]verdict.Row{}
	for i, c := range doc.Checks {
		areas[c.Area] = append(areas[c.Area], rows[i])
		severities[c.SeverityLabel()] = append(severities[c.SeverityLabel()], rows[i])
	}
	doc.Areas = []AreaCounts{}
	for _, a := range sortedKeys(areas) {
		doc.Areas = append(doc.Areas, AreaCounts{Area: a, Counts: verdict.CountRows(areas[a])})
	}
	doc.Severities = []SeverityCounts{}
	for _, s := range append(severityNames(), Unrated) {
		if rs, ok := severities[s]; ok {
			doc.Severities = append(doc.Severities, SeverityCounts{Severity: s, Counts: verdict.CountRows(rs)})
		}
	}
	doc.Exit.Status, doc.Exit.Reason = verdict.Exit(rows, doc.Settings.Policy())
}

// judgeWaivers says what became of each waiver of the run.
func (doc *Document) judgeWaivers(list *waiver.List, now time.Time, r *redact.Redactor) {
	if list == nil {
		return
	}
	byID := map[string]CheckReport{}
	for _, c := range doc.Checks {
		byID[c.ID] = c
	}
	for _, w := range list.Waivers {
		doc.Waivers = append(doc.Waivers, waiverReport(w, byID, now, r))
	}
}

func severityNames() []string {
	out := make([]string, len(verdict.Severities))
	for i, s := range verdict.Severities {
		out[i] = string(s)
	}
	return out
}

func waiverReport(w waiver.Waiver, checks map[string]CheckReport, now time.Time, r *redact.Redactor) WaiverReport {
	wr := WaiverReport{ID: w.ID, Reason: r.String(w.Reason), Expires: w.ExpiresString()}
	c, ran := checks[w.ID]
	switch {
	case !ran:
		wr.Status = WaiverNotRun
	case c.Verdict == verdict.Pass:
		wr.Status = WaiverStale
	case w.Expired(now):
		wr.Status = WaiverExpired
	case c.Verdict == verdict.Waived:
		wr.Status = WaiverApplied
	default:
		wr.Status = WaiverUnused
	}
	if ran {
		wr.Verdict = c.Verdict
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

// WriteJSON writes the document as report.json.
func WriteJSON(path string, doc Document) error {
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append(data, '\n'))
}

// WriteResultsJSON writes results.json: one verdict.Row per check (used by
// `make faults`, internal/cmd/verdict, multi, bench and interop).
func WriteResultsJSON(path string, doc Document) error {
	return verdict.WriteRows(path, doc.Rows())
}

// WriteAll writes every file report into dir: junit.xml, results.json,
// report.json, report.html and summary.md.
func WriteAll(dir string, doc Document) error {
	for _, w := range []struct {
		name  string
		write func(string, Document) error
	}{
		{"junit.xml", WriteJUnit}, {"results.json", WriteResultsJSON}, {"report.json", WriteJSON},
		{"report.html", WriteHTML}, {"summary.md", WriteMarkdown}, {"results.sarif", WriteSARIF},
	} {
		if err := w.write(filepath.Join(dir, w.name), doc); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// attachmentPath is path relative to root when it lies inside it.
func attachmentPath(path, root string) string {
	if root == "" || !filepath.IsAbs(path) {
		return path
	}
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}
