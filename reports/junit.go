package reports

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

// WriteJUnit writes junit.xml from the document, in the common
// Jenkins/Surefire format (reports/testdata/junit.xsd): each check is one
// test case named by its ID first, with its catalog data (level, severity,
// threat, quote, spec links), verdict and evidence as plain-text properties
// and a readable system-out that ends with a [[ATTACHMENT|path]] line per
// screenshot. Broken MUST requirements are <failure>s, and so are the
// warnings the run's policy gates on (--strict, --fail-on); harness errors
// are <error>s, skipped checks <skipped>; other warnings, infos and waived
// checks pass. Failures outside any check (a BeforeSuite) are test cases of
// their own. doc is already redacted.
func WriteJUnit(path string, doc Document) error {
	out, err := xml.MarshalIndent(JUnit(doc), "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append([]byte(xml.Header), append(out, '\n')...))
}

// JUnit is the JUnit document of the run.
func JUnit(doc Document) JUnitSuites {
	suite := JUnitSuite{
		Name: doc.Suite, Package: doc.SuitePath, Time: seconds(doc.DurationSeconds),
		Properties: &JUnitProperties{Properties: suiteProperties(doc)},
	}
	if !doc.Started.IsZero() {
		suite.Timestamp = doc.Started.Format(time.RFC3339)
	}
	policy := doc.Settings.Policy()
	for _, nf := range doc.NodeFailures {
		c := JUnitCase{Name: nf.Name, Classname: doc.Suite, Time: seconds(nf.Seconds), SystemOut: nf.Output}
		msg := &JUnitMessage{Message: firstLine(nf.Message), Description: nf.Message}
		if nf.Location != "" {
			msg.Description += "\nat " + nf.Location
		}
		if nf.Error {
			msg.Type, c.Status, c.Error = string(verdict.Error), string(verdict.Error), msg
		} else {
			msg.Type, c.Status, c.Failure = "failed", "failed", msg
		}
		suite.add(c)
	}
	for _, chk := range doc.Checks {
		c := JUnitCase{
			Name:      fmt.Sprintf("%s %s (%s)", chk.ID, chk.Title, strings.Join(chk.Flows, ",")),
			Classname: doc.Suite, Time: seconds(chk.Seconds), Status: string(chk.Verdict),
			Properties: &JUnitProperties{Properties: checkProperties(chk)},
			SystemOut:  strings.TrimSpace(readable(chk) + "\n" + chk.Output),
		}
		where := ""
		if chk.Location != "" {
			where = "\nat " + chk.Location
		}
		switch {
		case chk.Verdict == verdict.Fail:
			c.Failure = &JUnitMessage{Message: firstLine(chk.Reason), Type: "failed", Description: chk.Reason + where}
		case chk.Verdict == verdict.Error:
			c.Error = &JUnitMessage{Message: firstLine(chk.Reason), Type: string(verdict.Error), Description: chk.Reason + where}
		case chk.Verdict == verdict.Skipped:
			c.Skipped = &JUnitSkipped{Message: chk.Reason}
		case chk.Verdict == verdict.Warning && policy.Gates(chk.Row()):
			typ := "warning (strict)"
			if policy.FailOn != "" && !policy.Strict {
				typ = "warning (fail-on " + string(policy.FailOn) + ")"
			}
			c.Failure = &JUnitMessage{Message: firstLine(chk.Reason), Type: typ, Description: chk.Reason}
		}
		suite.add(c)
	}
	return JUnitSuites{
		Name: doc.Suite, Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Skipped: suite.Skipped,
		Time: suite.Time, Suites: []JUnitSuite{suite},
	}
}

func suiteProperties(doc Document) []JUnitProperty {
	p := []JUnitProperty{
		{Name: "target", Value: doc.Target.Name}, {Name: "issuer", Value: doc.Target.Issuer},
		{Name: "strict", Value: fmt.Sprint(doc.Settings.Strict)},
	}
	if doc.Settings.FailOn != "" {
		p = append(p, JUnitProperty{Name: "fail_on", Value: string(doc.Settings.FailOn)})
	}
	p = append(p,
		JUnitProperty{Name: "waivers", Value: doc.Settings.WaiversFile},
		JUnitProperty{Name: "exit_status", Value: fmt.Sprint(int(doc.Exit.Status))},
		JUnitProperty{Name: "exit_reason", Value: doc.Exit.Reason},
		JUnitProperty{Name: "random_seed", Value: fmt.Sprint(doc.Settings.RandomSeed)},
	)
	if doc.Settings.LabelFilter != "" {
		p = append(p, JUnitProperty{Name: "label_filter", Value: doc.Settings.LabelFilter})
	}
	for _, pl := range doc.Plans {
		p = append(p, JUnitProperty{Name: "plan_" + string(pl.Name), Value: pl.Line()})
	}
	if doc.ToolVersion != "" {
		p = append(p, JUnitProperty{Name: "oauthconform_version", Value: doc.ToolVersion})
	}
	if doc.Settings.TLSVerificationDisabled {
		p = append(p, JUnitProperty{Name: "tls_verification_disabled", Value: "true: the harness accepted any certificate from the target"})
	}
	return p
}

func checkProperties(c CheckReport) []JUnitProperty {
	p := []JUnitProperty{
		{Name: "check", Value: c.ID}, {Name: "level", Value: string(c.Level)},
		{Name: "severity", Value: c.SeverityLabel()}, {Name: "area", Value: c.Area},
		{Name: "flows", Value: strings.Join(c.Flows, ",")}, {Name: "spec", Value: specLinks(c)},
		{Name: "verdict", Value: string(c.Verdict)},
	}
	add := func(name, value string) {
		if value != "" {
			p = append(p, JUnitProperty{Name: name, Value: value})
		}
	}
	add("threat", c.Threat)
	add("quote", c.Quote)
	add(verdict.EntryReason, c.Reason)
	add(verdict.EntryWaiver, c.Waiver)
	add(verdict.EntryEvidence, strings.Join(c.Evidence, "\n\n"))
	add(verdict.EntryRedirects, strings.Join(c.Redirects, "\n"))
	add(verdict.EntryScreenshot, c.Screenshot)
	return p
}

func specLinks(c CheckReport) string {
	parts := make([]string, len(c.Spec))
	for i, s := range c.Spec {
		parts[i] = s.Ref + " <" + s.URL + ">"
	}
	return strings.Join(parts, "; ")
}

// readable is a check's system-out: what a person reading the JUnit file in
// a CI tool needs, in plain text, ending with the screenshot attachment.
func readable(c CheckReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", c.ID, c.Title)
	fmt.Fprintf(&b, "verdict: %s (%s)\n", c.Verdict, c.Level)
	fmt.Fprintf(&b, "severity: %s\n", c.SeverityLabel())
	if c.Threat != "" {
		fmt.Fprintf(&b, "threat: %s\n", c.Threat)
	}
	fmt.Fprintf(&b, "area: %s; flows: %s\n", c.Area, strings.Join(c.Flows, ","))
	fmt.Fprintf(&b, "spec: %s\n", specLinks(c))
	section := func(name, text string) {
		if text = strings.TrimSpace(text); text != "" {
			fmt.Fprintf(&b, "%s:\n  %s\n", name, strings.ReplaceAll(text, "\n", "\n  "))
		}
	}
	section("quote", c.Quote)
	if c.Verdict != verdict.Pass {
		section("reason", c.Reason)
	}
	section("waiver", c.Waiver)
	for _, e := range c.Evidence {
		section("evidence", e)
	}
	section("redirects", strings.Join(c.Redirects, "\n"))
	if c.Screenshot != "" {
		fmt.Fprintf(&b, "[[ATTACHMENT|%s]]\n", c.Screenshot)
	}
	return b.String()
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }

// The written format: the elements and order of reports/testdata/junit.xsd.

// JUnitSuites is junit.xml's root.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one test suite.
type JUnitSuite struct {
	Name       string           `xml:"name,attr"`
	Package    string           `xml:"package,attr,omitempty"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Time       string           `xml:"time,attr"`
	Timestamp  string           `xml:"timestamp,attr,omitempty"`
	Properties *JUnitProperties `xml:"properties,omitempty"`
	Cases      []JUnitCase      `xml:"testcase"`
}

func (s *JUnitSuite) add(c JUnitCase) {
	switch {
	case c.Failure != nil:
		s.Failures++
	case c.Error != nil:
		s.Errors++
	case c.Skipped != nil:
		s.Skipped++
	}
	s.Cases = append(s.Cases, c)
	s.Tests = len(s.Cases)
}

// JUnitProperties is a properties element.
type JUnitProperties struct {
	Properties []JUnitProperty `xml:"property"`
}

// JUnitProperty is one name and value.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one test case.
type JUnitCase struct {
	Name       string           `xml:"name,attr"`
	Classname  string           `xml:"classname,attr"`
	Time       string           `xml:"time,attr"`
	Status     string           `xml:"status,attr,omitempty"`
	Properties *JUnitProperties `xml:"properties,omitempty"`
	Skipped    *JUnitSkipped    `xml:"skipped,omitempty"`
	Error      *JUnitMessage    `xml:"error,omitempty"`
	Failure    *JUnitMessage    `xml:"failure,omitempty"`
	SystemOut  string           `xml:"system-out,omitempty"`
	SystemErr  string           `xml:"system-err,omitempty"`
}

// JUnitSkipped says why a test case was skipped.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnitMessage is a failure or an error.
type JUnitMessage struct {
	Message     string `xml:"message,attr"`
	Type        string `xml:"type,attr"`
	Description string `xml:",chardata"`
}
