package reports

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/redact"
)

// JUnitConfig tunes WriteJUnitWith.
type JUnitConfig struct {
	// Strict turns warnings into JUnit failures (--strict).
	Strict bool
	// Root is the directory attachment paths are written relative to (the
	// repository root, where CI jobs run); empty keeps them as recorded.
	Root string
	// Properties are added to the test suite's (target, settings).
	Properties []reporters.JUnitProperty
}

// WriteJUnit writes path as WriteJUnitWith does, with the default config.
func WriteJUnit(report types.Report, path string, r *redact.Redactor) error {
	return WriteJUnitWith(report, path, r, JUnitConfig{})
}

// WriteJUnitWith writes a JUnit file in the common Jenkins/Surefire format
// (reports/testdata/junit.xsd), through Ginkgo's JUnit reporter: each check
// is one test case named by its ID first, with its catalog data, verdict and
// evidence as plain-text properties and a readable system-out that ends with
// a [[ATTACHMENT|path]] line per screenshot. Broken MUST requirements are
// <failure>s, harness errors <error>s, skipped checks <skipped>; warnings
// (unless cfg.Strict), infos and waived checks pass. Passing suite nodes
// (BeforeSuite, ReportAfterSuite) are left out. Everything is redacted.
func WriteJUnitWith(report types.Report, path string, r *redact.Redactor, cfg JUnitConfig) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	report = withSetupFailure(report)
	out := report
	out.SpecReports = make(types.SpecReports, 0, len(report.SpecReports))
	checks := map[string]junitCheck{} // by test case name
	for _, spec := range report.SpecReports {
		c, isCheck := checkOf(spec)
		if !isCheck && spec.State.Is(types.SpecStatePassed|types.SpecStateSkipped) {
			continue
		}
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
		if isCheck {
			res := resultOf(c, spec)
			spec.ContainerHierarchyTexts = nil
			spec.LeafNodeText = fmt.Sprintf("%s %s (%s)", c.ID, c.Title, flows(c))
			if res.Verdict == harness.VerdictError && spec.State.Is(types.SpecStateFailed|types.SpecStateTimedout|types.SpecStateAborted) {
				spec.State = types.SpecStatePanicked // JUnit <error>: the harness could not decide
			}
			if spec.State == types.SpecStatePanicked && spec.Failure.ForwardedPanic == "" {
				spec.Failure.ForwardedPanic = spec.Failure.Message // Ginkgo's <error message> comes from here
			}
			checks[spec.LeafNodeText] = junitCheck{res: res, props: checkProperties(c, res.Verdict, spec)}
		}
		out.SpecReports = append(out.SpecReports, spec)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".junit-*.xml")
	if err != nil {
		return err
	}
	_ = tmp.Close()
	defer os.Remove(tmp.Name())
	err = reporters.GenerateJUnitReportWithConfig(out, tmp.Name(), reporters.JunitReportConfig{
		OmitSpecLabels:            true,
		OmitLeafNodeType:          true,
		OmitTimelinesForSpecState: types.SpecStatePassed | types.SpecStateSkipped,
	})
	if err != nil {
		return err
	}
	data, err := os.ReadFile(tmp.Name())
	if err != nil {
		return err
	}
	// Decoded, so that the redactor sees "&" and not "&amp;" between parameters.
	var ginkgo reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &ginkgo); err != nil {
		return err
	}
	doc := convertJUnit(ginkgo, checks, r, cfg)
	xmlOut, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(xmlOut, '\n')...), 0o644)
}

type junitCheck struct {
	res   Result
	props []reporters.JUnitProperty
}

func checkProperties(c catalog.Check, verdict string, spec types.SpecReport) []reporters.JUnitProperty {
	p := []reporters.JUnitProperty{
		{Name: "check", Value: c.ID}, {Name: "level", Value: string(c.Level)}, {Name: "area", Value: c.Area},
		{Name: "flows", Value: flows(c)}, {Name: "spec", Value: specLinks(c)}, {Name: "verdict", Value: verdict},
	}
	for _, e := range spec.ReportEntries {
		if e.Name != harness.EntryVerdict {
			p = append(p, reporters.JUnitProperty{Name: e.Name, Value: e.StringRepresentation()})
		}
	}
	return p
}

// The written format: the elements and order of reports/testdata/junit.xsd.
type junitSuitesOut struct {
	XMLName  xml.Name        `xml:"testsuites"`
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Time     string          `xml:"time,attr"`
	Suites   []junitSuiteOut `xml:"testsuite"`
}

type junitSuiteOut struct {
	Name       string         `xml:"name,attr"`
	Package    string         `xml:"package,attr,omitempty"`
	Tests      int            `xml:"tests,attr"`
	Failures   int            `xml:"failures,attr"`
	Errors     int            `xml:"errors,attr"`
	Skipped    int            `xml:"skipped,attr"`
	Time       string         `xml:"time,attr"`
	Timestamp  string         `xml:"timestamp,attr,omitempty"`
	Properties *junitPropsOut `xml:"properties,omitempty"`
	Cases      []junitCaseOut `xml:"testcase"`
}

type junitPropsOut struct {
	Properties []reporters.JUnitProperty `xml:"property"`
}

type junitCaseOut struct {
	Name       string         `xml:"name,attr"`
	Classname  string         `xml:"classname,attr"`
	Time       string         `xml:"time,attr"`
	Status     string         `xml:"status,attr,omitempty"`
	Properties *junitPropsOut `xml:"properties,omitempty"`
	Skipped    *junitSkipOut  `xml:"skipped,omitempty"`
	Error      *junitMsgOut   `xml:"error,omitempty"`
	Failure    *junitMsgOut   `xml:"failure,omitempty"`
	SystemOut  string         `xml:"system-out,omitempty"`
	SystemErr  string         `xml:"system-err,omitempty"`
}

type junitSkipOut struct {
	Message string `xml:"message,attr"`
}

type junitMsgOut struct {
	Message     string `xml:"message,attr"`
	Type        string `xml:"type,attr"`
	Description string `xml:",chardata"`
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }

func convertJUnit(in reporters.JUnitTestSuites, checks map[string]junitCheck, r *redact.Redactor, cfg JUnitConfig) junitSuitesOut {
	out := junitSuitesOut{Time: seconds(in.Time)}
	for _, s := range in.TestSuites {
		props := append([]reporters.JUnitProperty(nil), s.Properties.Properties...)
		props = append(props, cfg.Properties...)
		if harness.TLSVerificationDisabled() {
			props = append(props, reporters.JUnitProperty{Name: "tls_verification_disabled", Value: "true: the harness accepted any certificate from the target"})
		}
		for i := range props {
			props[i].Value = r.String(props[i].Value)
		}
		suite := junitSuiteOut{Name: s.Name, Package: s.Package, Time: seconds(s.Time), Timestamp: s.Timestamp,
			Properties: &junitPropsOut{Properties: props}}
		if out.Name == "" {
			out.Name = s.Name
		}
		for _, tc := range s.TestCases {
			c := junitCaseOut{Name: tc.Name, Classname: tc.Classname, Time: seconds(tc.Time), Status: tc.Status,
				SystemOut: r.String(tc.SystemOut), SystemErr: r.String(tc.SystemErr)}
			if p := tc.Properties; p != nil && len(p.Properties) > 0 {
				c.Properties = &junitPropsOut{Properties: p.Properties}
			}
			if tc.Skipped != nil {
				c.Skipped = &junitSkipOut{Message: r.String(tc.Skipped.Message)}
			}
			if e := tc.Error; e != nil {
				c.Error = &junitMsgOut{Message: r.String(e.Message), Type: e.Type, Description: r.String(e.Description)}
			}
			if f := tc.Failure; f != nil {
				c.Failure = &junitMsgOut{Message: r.String(f.Message), Type: f.Type, Description: r.String(f.Description)}
			}
			if chk, ok := checks[tc.Name]; ok {
				res := chk.res
				c.Status = res.Verdict
				c.Properties = &junitPropsOut{Properties: chk.props}
				if cfg.Strict && res.Verdict == harness.VerdictWarning {
					reason := r.String(res.Reason)
					c.Failure = &junitMsgOut{Message: firstLine(reason), Type: "warning (strict)", Description: reason}
				}
				c.SystemOut = strings.TrimSpace(readable(res, r, cfg.Root) + "\n" + c.SystemOut)
			}
			switch {
			case c.Failure != nil:
				suite.Failures++
			case c.Error != nil:
				suite.Errors++
			case c.Skipped != nil:
				suite.Skipped++
			}
			suite.Cases = append(suite.Cases, c)
		}
		suite.Tests = len(suite.Cases)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Errors += suite.Errors
		out.Skipped += suite.Skipped
		out.Suites = append(out.Suites, suite)
	}
	return out
}

// readable is a check's system-out: what a person reading the JUnit file in
// a CI tool needs, in plain text, ending with the screenshot attachment.
func readable(res Result, r *redact.Redactor, root string) string {
	c := res.Check
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", c.ID, c.Title)
	fmt.Fprintf(&b, "verdict: %s (%s)\n", res.Verdict, c.Level)
	fmt.Fprintf(&b, "area: %s; flows: %s\n", c.Area, flows(c))
	fmt.Fprintf(&b, "spec: %s\n", specLinks(c))
	section := func(name, text string) {
		if text = strings.TrimSpace(r.String(text)); text != "" {
			fmt.Fprintf(&b, "%s:\n  %s\n", name, strings.ReplaceAll(text, "\n", "\n  "))
		}
	}
	if res.Verdict != harness.VerdictPass {
		section("reason", res.Reason)
	}
	section("waiver", res.Waiver)
	for _, e := range res.Evidence {
		section("evidence", e)
	}
	section("redirects", res.Redirects)
	if res.Screenshot != "" {
		fmt.Fprintf(&b, "[[ATTACHMENT|%s]]\n", attachmentPath(res.Screenshot, root))
	}
	return b.String()
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
