package reports

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

// SARIF levels of the findings (SARIF 2.1.0 §3.27.10).
const (
	sarifError   = sarif.LevelError
	sarifWarning = sarif.LevelWarning
	sarifNote    = sarif.LevelNote
)

// SARIF renders the run as a SARIF 2.1.0 log: one rule per catalog check
// (ID, title, spec link as help, level and severity) and one result per
// fail or warning, located on the target profile (doc.Target.Profile), so
// that code scanning tools list the findings. The document is already
// redacted.
func SARIF(doc Document) ([]byte, error) {
	uri := doc.Target.Profile
	if uri == "" {
		uri = "oauthconform-target"
	}
	rep := report.NewV210Report()
	run := sarif.NewRunWithInformationURI("oauthconform", "https://github.com/oauthconform/oauthconform")
	if doc.ToolVersion != "" {
		run.Tool.Driver.WithVersion(doc.ToolVersion)
	}
	for _, c := range catalog.All() {
		level := map[verdict.Level]string{verdict.Must: sarifError, verdict.Should: sarifWarning}[c.Level]
		if level == "" {
			level = sarifNote
		}
		var links []string
		for _, s := range c.Spec {
			links = append(links, fmt.Sprintf("[%s](%s)", s, catalog.SpecURL(s)))
		}
		props := sarif.NewPropertyBag().Add("level", string(c.Level)).Add("area", c.Area)
		tags := []string{"security", "oauth", string(c.Level)}
		for _, f := range c.Flows {
			tags = append(tags, string(f))
		}
		props.WithTags(tags)
		if c.Severity != "" {
			props.Add("severity", string(c.Severity))
			if score, ok := securitySeverity[c.Severity]; ok {
				props.Add("security-severity", score)
			}
		}
		rule := run.AddRule(c.ID).
			WithName(ruleName(c.ID)).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(c.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(fullDescription(c))).
			WithMarkdownHelp(fmt.Sprintf("%s %s: %s.\n\nSpec: %s", c.ID, c.Level, c.Title, strings.Join(links, ", "))).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level)).
			WithProperties(props)
		if len(c.Spec) > 0 {
			rule.WithHelpURI(catalog.SpecURL(c.Spec[0]))
		}
	}
	run.AddDistinctArtifact(uri)
	for _, c := range doc.Checks {
		var level string
		switch c.Verdict {
		case verdict.Fail:
			level = sarifError
		case verdict.Warning:
			level = sarifWarning
		default:
			continue
		}
		msg := c.Title
		if r := firstLine(c.Reason); r != "" {
			msg += " — " + r
		}
		res := run.CreateResultForRule(c.ID).
			WithLevel(level).
			WithMessage(sarif.NewTextMessage(msg)).
			AddLocation(sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri)).
					WithRegion(sarif.NewSimpleRegion(1, 1)),
			).WithLogicalLocations([]*sarif.LogicalLocation{
				sarif.NewLogicalLocation().WithName(doc.Target.Name).WithFullyQualifiedName(doc.Target.Issuer).WithKind("resource"),
			})).
			WithPartialFingerprints(map[string]string{"oauthconformCheck/v1": c.ID + "@" + doc.Target.Issuer})
		props := sarif.NewPropertyBag().Add("verdict", string(c.Verdict)).Add("level", string(c.Level))
		if c.Severity != "" {
			props.Add("severity", string(c.Severity))
		}
		res.WithProperties(props)
	}
	rep.AddRun(run)
	var buf bytes.Buffer
	if err := rep.PrettyWrite(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteSARIF writes results.sarif.
func WriteSARIF(path string, doc Document) error {
	data, err := SARIF(doc)
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

// securitySeverity maps a check's severity to the numeric
// "security-severity" code scanning ranks alerts by (0.1–10).
var securitySeverity = map[verdict.Severity]string{
	verdict.Critical: "9.5", verdict.High: "8.0", verdict.Medium: "5.5", verdict.Low: "3.0",
}

// ruleName is a rule's name in the PascalCase SARIF viewers show: "AE-01" → "AE01".
func ruleName(id string) string { return "OAuthConform" + strings.ReplaceAll(id, "-", "") }

func fullDescription(c catalog.Check) string {
	s := fmt.Sprintf("%s (%s): %s.", c.ID, c.Level, c.Title)
	if c.Quote != "" {
		s += " \"" + c.Quote + "\""
	}
	if c.Threat != "" {
		s += " Threat: " + c.Threat
	}
	return s
}
