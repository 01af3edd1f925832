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

	"github.com/oauthconform/oauthconform/internal/harness"
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
	Doc      Document
	CSS      template.CSS
	JS       template.JS
	CSP      string
	Verdicts []string
	Areas    []string
	Flows    []string
	Checks   []htmlCheck
	Outcome  string
}

type htmlCheck struct {
	CheckReport
	Open       bool         // details shown without a click
	Screenshot template.URL // data: URI of the PNG, when one was taken
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
		Doc: doc, CSS: template.CSS(htmlCSS), JS: template.JS(htmlJS), Verdicts: harness.Verdicts,
		CSP:     "default-src 'none'; img-src data:; style-src '" + cspHash(htmlCSS) + "'; script-src '" + cspHash(htmlJS) + "'; base-uri 'none'; form-action 'none'",
		Outcome: map[int]string{ExitOK: "passed", ExitFailed: "failed", ExitNotRun: "could not run"}[doc.Exit.Status],
	}
	for _, c := range doc.Checks {
		hc := htmlCheck{CheckReport: c, Open: c.Verdict != harness.VerdictPass && c.Verdict != harness.VerdictSkipped}
		if c.screenshotPath != "" {
			if png, err := os.ReadFile(c.screenshotPath); err == nil && bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
				hc.Screenshot = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
			}
		}
		v.Checks = append(v.Checks, hc)
		if !slices.Contains(v.Areas, c.Area) {
			v.Areas = append(v.Areas, c.Area)
		}
		for _, f := range c.Flows {
			if !slices.Contains(v.Flows, f) {
				v.Flows = append(v.Flows, f)
			}
		}
	}
	// Most severe first, then by ID: what needs attention is at the top.
	rank := func(verdict string) int { return slices.Index(harness.Verdicts, verdict) }
	slices.SortStableFunc(v.Checks, func(a, b htmlCheck) int {
		if d := rank(a.Verdict) - rank(b.Verdict); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
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
