package reports

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"os"
	"slices"
	"strings"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

//go:embed assets/report.html.tmpl
var htmlTemplate string

//go:embed assets/report.css
var htmlCSS string

//go:embed assets/report.js
var htmlJS string

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
	"first": firstLine,
	"join":  strings.Join,
	"plainHTTP": func(issuer string) bool {
		return strings.HasPrefix(strings.ToLower(issuer), "http://")
	},
}).Parse(htmlTemplate))

// htmlView is what the template renders.
type htmlView struct {
	Doc        Document
	CSS        template.CSS
	JS         template.JS
	CSP        string
	Verdicts   []verdict.Verdict
	Severities []string
	Areas      []string
	Flows      []string
	// Groups are the checks by severity, gravest first (unrated last).
	Groups  []htmlGroup
	Total   int
	Outcome string
}

type htmlGroup struct {
	Severity string
	Checks   []htmlCheck
}

type htmlCheck struct {
	CheckReport
	Open       bool         // details shown without a click
	Screenshot template.URL // data: URI of the PNG, when one was taken
	// Why labels the reason: why skipped, why undecided, or reason and evidence.
	Why string
}

// WriteHTML writes report.html: one self-contained page (CSS, script and
// screenshots inline; a Content-Security-Policy that forbids any request)
// with the target, the run's settings, a banner when TLS verification was
// disabled, counts by verdict and by area, and a table of checks filterable
// by verdict, area and flow, each with its spec links, reason, evidence,
// redirect chain and screenshot. doc is already redacted.
func WriteHTML(path string, doc Document) error {
	data, err := HTML(doc)
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

// HTML renders the report page.
func HTML(doc Document) ([]byte, error) {
	v := htmlView{
		Doc: doc, CSS: template.CSS(htmlCSS), JS: template.JS(htmlJS), Verdicts: verdict.All,
		CSP:     "default-src 'none'; img-src data:; style-src '" + cspHash(htmlCSS) + "'; script-src '" + cspHash(htmlJS) + "'; base-uri 'none'; form-action 'none'",
		Outcome: map[verdict.Status]string{verdict.ExitOK: "passed", verdict.ExitFailed: "failed", verdict.ExitNotRun: "could not run"}[doc.Exit.Status],
		Total:   len(doc.Checks),
	}
	for _, sc := range doc.Severities {
		v.Severities = append(v.Severities, sc.Severity)
	}
	// Gravest first, then worst verdict, then ID: what needs attention is at the top.
	for _, c := range doc.BySeverity() {
		hc := htmlCheck{CheckReport: c, Open: c.Verdict != verdict.Pass && c.Verdict != verdict.Skipped, Why: "reason and evidence"}
		switch c.Verdict {
		case verdict.Skipped:
			hc.Why = "why skipped"
		case verdict.Error:
			hc.Why = "why undecided"
		}
		if c.screenshotPath != "" {
			if png, err := os.ReadFile(c.screenshotPath); err == nil && bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
				hc.Screenshot = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
			}
		}
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Severity != c.SeverityLabel() {
			v.Groups = append(v.Groups, htmlGroup{Severity: c.SeverityLabel()})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Checks = append(g.Checks, hc)
		if !slices.Contains(v.Areas, c.Area) {
			v.Areas = append(v.Areas, c.Area)
		}
		for _, f := range c.Flows {
			if !slices.Contains(v.Flows, f) {
				v.Flows = append(v.Flows, f)
			}
		}
	}
	slices.Sort(v.Areas)
	slices.Sort(v.Flows)
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
