package reports_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/redact"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/reports"
)

const (
	registeredSecret = "client-secret-3f9a7c"
	unregisteredCode = "abcdefgh123"
)

func entry[V ~string](name string, value V) types.ReportEntry {
	return types.ReportEntry{Name: name, Value: types.WrapEntryValue(string(value))}
}

// checks builds the document of a report (redacting the registered secret)
// and returns its checks, by ID.
func checks(report types.Report) []reports.CheckReport {
	var r redact.Redactor
	r.Add(registeredSecret)
	return reports.Build(report, reports.Run{}, &r).Checks
}

// docOf is a document of hand-made checks, counted.
func docOf(cs ...reports.CheckReport) reports.Document {
	doc := reports.Document{Checks: cs}
	doc.Counts = verdict.CountRows(doc.Rows())
	return doc
}

// checkReport is a hand-made check of the catalog.
func checkReport(c catalog.Check, v verdict.Verdict, reason string) reports.CheckReport {
	return reports.CheckReport{ID: c.ID, Title: c.Title, Area: c.Area, Level: c.Level, Verdict: v, Reason: reason}
}

func loc(line int) types.CodeLocation {
	return types.CodeLocation{FileName: "/work/main/suites/x_test.go", LineNumber: line}
}

// spec builds an It spec report for a catalog check.
func spec(c catalog.Check, state types.SpecState, msg string, entries ...types.ReportEntry) types.SpecReport {
	s := types.SpecReport{
		ContainerHierarchyTexts:  []string{"authorization code flow"},
		ContainerHierarchyLabels: [][]string{{"flow:" + string(c.Flows[0])}},
		LeafNodeType:             types.NodeTypeIt,
		LeafNodeText:             c.SpecText(),
		LeafNodeLocation:         loc(10),
		LeafNodeLabels:           c.Labels(),
		State:                    state,
		RunTime:                  1500 * time.Millisecond,
		ReportEntries:            entries,
	}
	if msg != "" {
		s.Failure = types.Failure{Message: msg, Location: loc(20), FailureNodeType: types.NodeTypeIt}
	}
	return s
}

func TestVerdict(t *testing.T) {
	c := catalog.CodeInQuery
	tests := []struct {
		name string
		spec types.SpecReport
		want verdict.Verdict
	}{
		{"passed is pass", spec(c, types.SpecStatePassed, ""), verdict.Pass},
		{"passed with a warning entry is warning", spec(catalog.TokenResponseExpiresIn, types.SpecStatePassed, "", entry(verdict.EntryVerdict, verdict.Warning)), verdict.Warning},
		{"passed with another entry is pass", spec(c, types.SpecStatePassed, "", entry(verdict.EntryEvidence, "GET /x")), verdict.Pass},
		{"skipped is skipped", spec(c, types.SpecStateSkipped, "no public client"), verdict.Skipped},
		{"failed is fail", spec(c, types.SpecStateFailed, "code in fragment"), verdict.Fail},
		{"failed with a warning entry is still fail", spec(c, types.SpecStateFailed, "x", entry(verdict.EntryVerdict, verdict.Warning)), verdict.Fail},
		{"failed with an error verdict entry is error", spec(c, types.SpecStateFailed, "harness error: x", entry(verdict.EntryVerdict, verdict.Error)), verdict.Error},
		{"passed with a waived entry is waived", spec(c, types.SpecStatePassed, "", entry(verdict.EntryVerdict, verdict.Waived)), verdict.Waived},
		{"passed with an info entry is info", spec(c, types.SpecStatePassed, "", entry(verdict.EntryVerdict, verdict.Info)), verdict.Info},
		{"a warning outranks an info", spec(c, types.SpecStatePassed, "", entry(verdict.EntryVerdict, verdict.Info), entry(verdict.EntryVerdict, verdict.Warning)), verdict.Warning},
		{"waived outranks a warning", spec(c, types.SpecStatePassed, "", entry(verdict.EntryVerdict, verdict.Warning), entry(verdict.EntryVerdict, verdict.Waived)), verdict.Waived},
		{"failed after an info is fail", spec(c, types.SpecStateFailed, "x", entry(verdict.EntryVerdict, verdict.Info)), verdict.Fail},
		{"pending is skipped", spec(c, types.SpecStatePending, ""), verdict.Skipped},
		{"panicked is error", spec(c, types.SpecStatePanicked, "boom"), verdict.Error},
		{"timed out is error", spec(c, types.SpecStateTimedout, "timeout"), verdict.Error},
		{"interrupted is error", spec(c, types.SpecStateInterrupted, "interrupted"), verdict.Error},
		{"aborted is error", spec(c, types.SpecStateAborted, "aborted"), verdict.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reports.Verdict(tt.spec); got != tt.want {
				t.Errorf("Verdict = %q, want %q", got, tt.want)
			}
		})
	}
}

// sampleReport has one spec per verdict, plus specs the reports must ignore.
func sampleReport() types.Report {
	beforeSuite := types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, LeafNodeLocation: loc(1), State: types.SpecStatePassed}
	unlabelled := types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: "a helper spec", LeafNodeLabels: []string{"MUST", "flow:implicit"},
		LeafNodeLocation: loc(2), State: types.SpecStatePassed,
	}
	errSpec := spec(catalog.ClientCredentialsIssued, types.SpecStateFailed,
		"harness error: token endpoint unreachable with secret "+registeredSecret,
		entry(verdict.EntryVerdict, verdict.Error),
		entry(verdict.EntryEvidence, "POST /token\nAuthorization: Basic d2ViOmNsaWVudC1zZWNyZXQ=\n\nclient_secret="+registeredSecret))
	errSpec.CapturedGinkgoWriterOutput = "using " + registeredSecret
	errSpec.CapturedStdOutErr = "stderr " + registeredSecret
	errSpec.Failure.Location.FullStackTrace = "goroutine 1 " + registeredSecret
	return types.Report{
		SuiteDescription: "oauthconform",
		SuitePath:        "/work/main/suites",
		SuiteSucceeded:   false,
		SpecReports: types.SpecReports{
			beforeSuite,
			spec(catalog.CodeInQuery, types.SpecStatePassed, ""),
			spec(catalog.TokenResponseExpiresIn, types.SpecStatePassed, "",
				entry(verdict.EntryVerdict, verdict.Warning), entry(verdict.EntryReason, "expires_in is missing\nsecond line")),
			spec(catalog.ImplicitTokenInFragment, types.SpecStateSkipped, "no implicit client in the profile"),
			spec(catalog.CodeSingleUse, types.SpecStateFailed,
				"second redemption of https://client.example.test/cb?code="+unregisteredCode+" succeeded\nExpected 400"),
			errSpec,
			unlabelled,
		},
	}
}

func TestResults(t *testing.T) {
	got := checks(sampleReport())
	type row struct {
		id      string
		verdict verdict.Verdict
		reason  string
	}
	var rows []row
	for _, r := range got {
		rows = append(rows, row{r.ID, r.Verdict, r.Reason})
		if r.Seconds != 1.5 {
			t.Errorf("%s: Seconds = %v, want 1.5", r.ID, r.Seconds)
		}
	}
	want := []row{
		{"AE-01", verdict.Pass, ""},
		{"CC-01", verdict.Error, "harness error: token endpoint unreachable with secret " + redact.Fingerprint(registeredSecret)},
		{"CODE-01", verdict.Fail, "second redemption of https://client.example.test/cb?code=" + redact.Fingerprint(unregisteredCode) + " succeeded\nExpected 400"},
		{"IMP-01", verdict.Skipped, "no implicit client in the profile"},
		{"TE-02", verdict.Warning, "expires_in is missing\nsecond line"},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("Results =\n  %+v\nwant (sorted by ID, without BeforeSuite and unlabelled specs)\n  %+v", rows, want)
	}
}

func TestResultsIgnoresNonCheckSpecs(t *testing.T) {
	tests := []struct {
		name string
		spec types.SpecReport
	}{
		{"BeforeSuite node with a check label", types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, LeafNodeLabels: []string{"AE-01"}, State: types.SpecStateFailed}},
		{"AfterEach-like node type", types.SpecReport{LeafNodeType: types.NodeTypeReportAfterSuite, LeafNodeLabels: []string{"AE-01"}}},
		{"It without any label", types.SpecReport{LeafNodeType: types.NodeTypeIt, State: types.SpecStatePassed}},
		{"It with only level and flow labels", types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeLabels: []string{"MUST", "flow:authorization_code"}}},
		{"It with an unknown ID label", types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeLabels: []string{"ZZ-99"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checks(types.Report{SpecReports: types.SpecReports{tt.spec}}); len(got) != 0 {
				t.Errorf("Results = %+v, want none", got)
			}
		})
	}
	t.Run("check ID in a container label", func(t *testing.T) {
		s := types.SpecReport{LeafNodeType: types.NodeTypeIt, ContainerHierarchyLabels: [][]string{{"PK-01"}}, State: types.SpecStatePassed}
		got := checks(types.Report{SpecReports: types.SpecReports{s}})
		if len(got) != 1 || got[0].ID != "PK-01" {
			t.Errorf("Results = %+v, want PK-01", got)
		}
	})
}

// Minimal JUnit structures.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Tests   int          `xml:"tests,attr"`
	Errors  int          `xml:"errors,attr"`
	Fails   int          `xml:"failures,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Cases []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Status     string          `xml:"status,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Failure    *junitMessage   `xml:"failure"`
	Error      *junitMessage   `xml:"error"`
	Skipped    *junitMessage   `xml:"skipped"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// property returns the value of the named property; check test cases carry
// plain-text values, and each name at most once.
func (c junitCase) property(t *testing.T, name string) (string, bool) {
	t.Helper()
	value, found := "", false
	for _, p := range c.Properties {
		if p.Name == name {
			if found {
				t.Errorf("%s: property %s appears twice", c.Name, name)
			}
			value, found = p.Value, true
		}
	}
	return value, found
}

func writeJUnit(t *testing.T, report types.Report) ([]byte, junitSuites) {
	t.Helper()
	var r redact.Redactor
	r.Add(registeredSecret)
	path := filepath.Join(t.TempDir(), "out", "junit.xml") // the directory does not exist yet
	if err := reports.WriteJUnit(path, reports.Build(report, reports.Run{}, &r)); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, data)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d test suites, want 1", len(doc.Suites))
	}
	return data, doc
}

func TestWriteJUnit(t *testing.T) {
	report := sampleReport()
	data, doc := writeJUnit(t, report)
	cases := doc.Suites[0].Cases
	// One per check; the passing BeforeSuite and the passing spec that is no check are left out.
	if len(cases) != 5 {
		t.Fatalf("%d test cases, want one per check (5)", len(cases))
	}
	byID := map[string]junitCase{}
	for _, c := range cases {
		if id, ok := c.property(t, "check"); ok {
			if !strings.HasPrefix(c.Name, id+" ") {
				t.Errorf("test case %q does not start with its check ID %s", c.Name, id)
			}
			byID[id] = c
		}
	}
	want := map[string]string{"AE-01": "pass", "TE-02": "warning", "IMP-01": "skipped", "CODE-01": "fail", "CC-01": "error"}
	if len(byID) != len(want) {
		t.Errorf("check test cases %v, want %v", slices.Sorted(maps.Keys(byID)), slices.Sorted(maps.Keys(want)))
	}
	for id, want := range want {
		t.Run(id, func(t *testing.T) {
			c, ok := byID[id]
			if !ok {
				t.Fatalf("no test case for %s", id)
			}
			check, _ := catalog.ByID(id)
			if wantName := check.ID + " " + check.Title + " (" + string(check.Flows[0]) + ")"; c.Name != wantName {
				t.Errorf("name = %q, want %q", c.Name, wantName)
			}
			props := map[string]string{
				"check":   id,
				"level":   string(check.Level),
				"verdict": want, // the final verdict, not the recorded entry
				"flows":   string(check.Flows[0]),
				"area":    check.Area,
			}
			for name, v := range props {
				if got, ok := c.property(t, name); !ok || got != v {
					t.Errorf("property %s = %q (present %v), want %q", name, got, ok, v)
				}
			}
			specProp, _ := c.property(t, "spec")
			for _, ref := range check.Spec {
				if !strings.Contains(specProp, ref+" <"+catalog.SpecURL(ref)+">") {
					t.Errorf("spec property %q lacks %q with its link", specProp, ref)
				}
			}
			switch want {
			case "pass", "warning":
				if c.Failure != nil || c.Error != nil || c.Skipped != nil {
					t.Errorf("%s test case has failure/error/skipped: %+v", want, c)
				}
			case "skipped":
				if c.Skipped == nil || !strings.Contains(c.Skipped.Message, "no implicit client") {
					t.Errorf("skipped = %+v", c.Skipped)
				}
			case "fail":
				if c.Failure == nil || c.Error != nil {
					t.Errorf("fail spec: failure %+v, error %+v; want <failure> only", c.Failure, c.Error)
				}
			case "error":
				if c.Error == nil || c.Failure != nil {
					t.Errorf("harness-error spec: failure %+v, error %+v; want <error> only", c.Failure, c.Error)
				} else if !strings.Contains(c.Error.Body, "token endpoint unreachable") {
					t.Errorf("<error> body %q lacks the harness error message", c.Error.Body)
				}
			}
		})
	}
	if doc.Errors != 1 || doc.Fails != 1 {
		t.Errorf("testsuites errors=%d failures=%d, want 1 and 1", doc.Errors, doc.Fails)
	}
	if fail := byID["CODE-01"].Failure; fail != nil && !strings.Contains(fail.Message, "second redemption") {
		t.Errorf("failure message %q lost its text", fail.Message)
	}
	// The warning's reason is kept, redacted, as a property.
	if reason, _ := byID["TE-02"].property(t, verdict.EntryReason); !strings.Contains(reason, "expires_in is missing") {
		t.Errorf("TE-02 reason property = %q", reason)
	}

	// Nothing secret anywhere in the file.
	for _, secret := range []string{registeredSecret, unregisteredCode, "d2ViOmNsaWVudC1zZWNyZXQ="} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("junit.xml contains %q", secret)
		}
	}
	if !bytes.Contains(data, []byte(redact.Fingerprint(registeredSecret))) {
		t.Error("junit.xml lacks the fingerprint of the registered secret")
	}
	if !bytes.Contains(data, []byte(redact.Fingerprint(unregisteredCode))) {
		t.Error("junit.xml lacks the fingerprint of the unregistered code")
	}
}

func TestWriteJUnitDoesNotModifyTheReport(t *testing.T) {
	report := sampleReport()
	before, err := json.Marshal(report)
	if err != nil {
		t.Fatal(err)
	}
	writeJUnit(t, report)
	after, err := json.Marshal(report)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("WriteJUnit changed the report it was given")
	}
}

func TestWriteSummary(t *testing.T) {
	// One more error, from a timeout, to count.
	results := append(checks(sampleReport()), checkReport(catalog.PKCES256Accepted, verdict.Error, "timed out"))
	var buf bytes.Buffer
	reports.WriteSummary(&buf, docOf(results...))
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(results)+1 {
		t.Fatalf("%d lines, want %d (one per check and a total):\n%s", len(lines), len(results)+1, out)
	}
	for i, res := range results {
		line := lines[i]
		fields := strings.Fields(line)
		if len(fields) < 3 || fields[0] != strings.ToUpper(string(res.Verdict)) || fields[1] != res.ID || fields[2] != string(res.Level) {
			t.Errorf("line %q, want VERDICT ID LEVEL for %s", line, res.ID)
		}
		if !strings.Contains(line, res.Title) {
			t.Errorf("line %q lacks the title", line)
		}
	}
	if got, want := lines[len(lines)-1], "checks: 1 pass, 1 fail, 1 warning, 0 info, 1 skipped, 2 error, 0 waived"; got != want {
		t.Errorf("total line = %q, want %q", got, want)
	}
	for _, tc := range []struct{ what, text string }{
		{"registered secret", registeredSecret},
		{"unregistered code", unregisteredCode},
		{"second line of a reason", "second line"},
		{"second line of a failure", "Expected 400"},
	} {
		if strings.Contains(out, tc.text) {
			t.Errorf("summary contains the %s %q:\n%s", tc.what, tc.text, out)
		}
	}
	if !strings.Contains(out, "expires_in is missing") {
		t.Errorf("summary lacks the warning reason:\n%s", out)
	}
}

func TestWriteSummaryEmpty(t *testing.T) {
	var buf bytes.Buffer
	reports.WriteSummary(&buf, docOf())
	if got, want := buf.String(), "checks: 0 pass, 0 fail, 0 warning, 0 info, 0 skipped, 0 error, 0 waived\n"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
}

func TestWriteResultsJSON(t *testing.T) {
	var r redact.Redactor
	r.Add(registeredSecret)
	doc := reports.Build(sampleReport(), reports.Run{}, &r)
	results := doc.Checks
	path := filepath.Join(t.TempDir(), "nested", "results.json")
	if err := reports.WriteResultsJSON(path, doc); err != nil {
		t.Fatalf("WriteResultsJSON: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID, Level, Verdict, Reason string
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatalf("results.json does not parse: %v\n%s", err, data)
	}
	if len(rows) != len(results) {
		t.Fatalf("%d rows, want %d", len(rows), len(results))
	}
	for i, row := range rows {
		res := results[i]
		if row.ID != res.ID || row.Level != string(res.Level) || row.Verdict != string(res.Verdict) {
			t.Errorf("row %d = %+v, want %s %s %s", i, row, res.ID, res.Level, res.Verdict)
		}
		if want := res.Reason; row.Reason != want {
			t.Errorf("row %d reason = %q, want %q", i, row.Reason, want)
		}
	}
	if bytes.Contains(data, []byte(registeredSecret)) || bytes.Contains(data, []byte(unregisteredCode)) {
		t.Errorf("results.json contains a secret:\n%s", data)
	}
	if !bytes.Contains(data, []byte(`"reason"`)) || bytes.Contains(data, []byte(`"reason": ""`)) {
		t.Errorf("reason should be present when set and omitted when empty:\n%s", data)
	}
}

func TestSetupFailureMakesEverySelectedCheckAnError(t *testing.T) {
	setup := types.SpecReport{
		LeafNodeType: types.NodeTypeBeforeSuite, LeafNodeLocation: loc(1), State: types.SpecStateFailed,
		Failure: types.Failure{Message: "no browser: chromium not found (secret " + registeredSecret + ")", Location: loc(1)},
	}
	report := types.Report{
		SuiteDescription: "oauthconform",
		SuiteConfig:      types.SuiteConfig{LabelFilter: "flow:client_credentials"},
		SpecReports:      types.SpecReports{setup},
	}
	var want []string
	for _, c := range catalog.All() {
		if slices.Contains(c.Labels(), "flow:client_credentials") {
			want = append(want, c.ID)
		}
	}
	if len(want) == 0 {
		t.Fatal("catalog has no client_credentials check")
	}

	t.Run("Results", func(t *testing.T) {
		var got []string
		for _, res := range checks(report) {
			got = append(got, res.ID)
			if res.Verdict != verdict.Error || !strings.Contains(res.Reason, "no browser") {
				t.Errorf("%s: verdict %q reason %q, want error naming the set-up failure", res.ID, res.Verdict, res.Reason)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("checks %v, want the label-selected %v", got, want)
		}
	})
	t.Run("checks that ran keep their own verdict", func(t *testing.T) {
		r := report
		r.SpecReports = types.SpecReports{setup, spec(catalog.ClientCredentialsIssued, types.SpecStatePassed, "")}
		for _, res := range checks(r) {
			if res.ID == catalog.ClientCredentialsIssued.ID && res.Verdict != verdict.Pass {
				t.Errorf("%s: verdict %q, want pass", res.ID, res.Verdict)
			}
		}
	})
	t.Run("no set-up failure adds nothing", func(t *testing.T) {
		r := report
		ok := setup
		ok.State, ok.Failure = types.SpecStatePassed, types.Failure{}
		r.SpecReports = types.SpecReports{ok}
		if got := checks(r); len(got) != 0 {
			t.Errorf("Results = %+v, want none", got)
		}
	})
	t.Run("WriteJUnit", func(t *testing.T) {
		data, doc := writeJUnit(t, report)
		errs := 0
		for _, c := range doc.Suites[0].Cases {
			if id, ok := c.property(t, "check"); ok {
				if c.Error == nil || c.Failure != nil {
					t.Errorf("%s: want <error>, got %+v", id, c)
				}
				errs++
			}
		}
		if errs != len(want) {
			t.Errorf("%d check test cases, want %d", errs, len(want))
		}
		if bytes.Contains(data, []byte(registeredSecret)) {
			t.Error("junit.xml contains the registered secret")
		}
	})
}

func TestWriteSummarySaysARepeatedCauseOnce(t *testing.T) {
	cause := "harness error: the run could not start: no browser"
	doc := docOf(
		checkReport(catalog.CodeInQuery, verdict.Error, cause),
		checkReport(catalog.CodeResponseStateEchoed, verdict.Error, cause),
		checkReport(catalog.CodeSingleUse, verdict.Fail, "code reused"),
	)
	var buf bytes.Buffer
	reports.WriteSummary(&buf, doc)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("summary:\n%s", buf.String())
	}
	if !strings.HasSuffix(lines[0], " — "+cause) {
		t.Errorf("first line %q does not give the cause", lines[0])
	}
	if strings.Contains(lines[1], cause) || !strings.HasSuffix(lines[1], "same cause as above") {
		t.Errorf("second line %q repeats the cause", lines[1])
	}
	if !strings.HasSuffix(lines[2], " — code reused") {
		t.Errorf("third line %q", lines[2])
	}
	if lines[3] != "checks: 0 pass, 1 fail, 0 warning, 0 info, 0 skipped, 2 error, 0 waived" {
		t.Errorf("total line %q", lines[3])
	}
}

// TestWriteJUnitRedactsEveryRenderedString: the package promises that every
// string that leaves the process goes through the redactor. Ginkgo's JUnit
// reporter renders more of a spec report than WriteJUnit redacts: a forwarded
// panic, follow-on failures (Gomega failures in cleanup, the "stuck here"
// failure of a timeout), By steps and progress reports all reach the file.
func TestWriteJUnitRedactsEveryRenderedString(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *types.SpecReport)
	}{
		{"failure message", func(s *types.SpecReport) { s.Failure.Message += " " + registeredSecret }},
		{"full stack trace", func(s *types.SpecReport) {
			s.State = types.SpecStatePanicked
			s.Failure.ForwardedPanic = "boom"
			s.Failure.Location.FullStackTrace = "main.f(" + registeredSecret + ")"
		}},
		{"GinkgoWriter output", func(s *types.SpecReport) { s.CapturedGinkgoWriterOutput = "wrote " + registeredSecret }},
		{"stdout and stderr", func(s *types.SpecReport) { s.CapturedStdOutErr = "printed " + registeredSecret }},
		{"evidence entry", func(s *types.SpecReport) {
			s.ReportEntries = append(s.ReportEntries, entry(verdict.EntryEvidence, "GET /cb?code="+registeredSecret))
		}},
		{"forwarded panic", func(s *types.SpecReport) {
			s.State = types.SpecStatePanicked
			s.Failure.ForwardedPanic = "token " + registeredSecret + " is malformed"
		}},
		{"follow-on failure of a timeout", func(s *types.SpecReport) {
			s.State = types.SpecStateTimedout
			s.Failure.AdditionalFailure = &types.AdditionalFailure{State: types.SpecStateFailed,
				Failure: types.Failure{Message: "Expected body " + registeredSecret, Location: loc(30)}}
		}},
		{"additional failures after the first", func(s *types.SpecReport) {
			s.AdditionalFailures = []types.AdditionalFailure{{State: types.SpecStateFailed,
				Failure: types.Failure{Message: `cleanup: Expected {"access_token": "` + registeredSecret + `"}`, Location: loc(31)}}}
		}},
		{"By step text", func(s *types.SpecReport) {
			s.SpecEvents = types.SpecEvents{{SpecEventType: types.SpecEventByStart, Message: "redeem " + registeredSecret, CodeLocation: loc(32)}}
		}},
		{"progress report of a timeout", func(s *types.SpecReport) {
			s.State = types.SpecStateTimedout
			s.Failure.ProgressReport = types.ProgressReport{CurrentNodeType: types.NodeTypeIt,
				CurrentStepText: "redeem " + registeredSecret, AdditionalReports: []string{"last URL ?code=" + unregisteredCode}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := spec(catalog.CodeSingleUse, types.SpecStateFailed, "Expected 400")
			tt.mutate(&s)
			data, _ := writeJUnit(t, types.Report{SuiteDescription: "oauthconform", SpecReports: types.SpecReports{s}})
			for _, secret := range []string{registeredSecret, unregisteredCode} {
				if bytes.Contains(data, []byte(secret)) {
					t.Errorf("junit.xml contains %q:\n%s", secret, data)
				}
			}
		})
	}
}

// TestWriteJUnitUndecidedIsAJUnitError: Verdict calls timeouts, aborts and
// interrupts "error" (undecided, like a harness error), and WriteJUnit
// promises to mark harness errors as JUnit errors; results.json and the
// summary say error for them, so junit.xml must not count them as failures
// of the target. The <error> element also keeps the reason in its message.
func TestWriteJUnitUndecidedIsAJUnitError(t *testing.T) {
	tests := []struct {
		name    string
		state   types.SpecState
		entries []types.ReportEntry
	}{
		{"harness error", types.SpecStateFailed, []types.ReportEntry{entry(verdict.EntryVerdict, verdict.Error)}},
		{"panic", types.SpecStatePanicked, nil},
		{"interrupt", types.SpecStateInterrupted, nil},
		{"timeout", types.SpecStateTimedout, nil},
		{"abort", types.SpecStateAborted, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := spec(catalog.CodeSingleUse, tt.state, "undecided: token endpoint did not answer", tt.entries...)
			if tt.state == types.SpecStatePanicked {
				s.Failure.ForwardedPanic = "undecided: token endpoint did not answer"
			}
			if v := reports.Verdict(s); v != verdict.Error {
				t.Fatalf("Verdict = %q, want error", v)
			}
			_, doc := writeJUnit(t, types.Report{SuiteDescription: "oauthconform", SpecReports: types.SpecReports{s}})
			c := doc.Suites[0].Cases[0]
			if v, _ := c.property(t, "verdict"); v != string(verdict.Error) {
				t.Errorf("verdict property = %q, want error", v)
			}
			if c.Error == nil || c.Failure != nil {
				t.Fatalf("want <error> and no <failure>; got failure %+v, error %+v", c.Failure, c.Error)
			}
			if !strings.Contains(c.Error.Message, "token endpoint did not answer") {
				t.Errorf("<error message=%q> lacks the reason", c.Error.Message)
			}
		})
	}
}

func TestProgressLine(t *testing.T) {
	var r redact.Redactor
	r.Add(registeredSecret)
	s := spec(catalog.TokenResponseExpiresIn, types.SpecStatePassed, "", entry(verdict.EntryVerdict, verdict.Warning),
		entry(verdict.EntryReason, "no expires_in with secret "+registeredSecret+"\nsecond line"))
	s.RunTime = 421300 * time.Microsecond
	c, ok := reports.CheckOf(s, &r)
	if !ok {
		t.Fatal("CheckOf: not a check")
	}
	line := reports.ProgressLine(c)
	want := "WARNING  TE-02      0.42s  " + catalog.TokenResponseExpiresIn.Title + " — no expires_in with secret " + redact.Fingerprint(registeredSecret)
	if line != want {
		t.Errorf("ProgressLine =\n  %q\nwant\n  %q", line, want)
	}
	if line := reports.ProgressLine(checkReport(catalog.CodeInQuery, verdict.Pass, "x")); strings.Contains(line, " — ") {
		t.Errorf("a pass line carries a reason: %q", line)
	}
}
