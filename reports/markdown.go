package reports

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

// WriteMarkdown writes summary.md, short enough for a CI job summary
// (GitHub's $GITHUB_STEP_SUMMARY, a GitLab artifact): the outcome, counts,
// then every failure, error, warning and waived check with its ID and a
// one-line reason, and the waivers that need attention. doc is already redacted.
func WriteMarkdown(path string, doc Document) error {
	return writeFile(path, Markdown(doc))
}

// Markdown renders the summary.
func Markdown(doc Document) []byte {
	var b bytes.Buffer
	outcome := map[verdict.Status]string{verdict.ExitOK: "passed", verdict.ExitFailed: "FAILED", verdict.ExitNotRun: "COULD NOT RUN"}[doc.Exit.Status]
	fmt.Fprintf(&b, "## oauthconform: %s — %s (exit %d)\n\n", mdText(doc.Target.Name), outcome, doc.Exit.Status)
	fmt.Fprintf(&b, "%s\n\n", mdText(doc.Exit.Reason))
	for _, p := range doc.Plans {
		fmt.Fprintf(&b, "**%s**", mdText(p.Line()))
		if u := p.unmetSummary(); u != "" {
			fmt.Fprintf(&b, " — not met: %s", mdText(u))
		}
		b.WriteString("\n\n")
	}
	target := mdText(doc.Target.Issuer)
	if doc.Target.Mock {
		target += " (bundled mock"
		if len(doc.Target.Faults) > 0 {
			target += ", faults: " + mdText(strings.Join(doc.Target.Faults, ", "))
		}
		target += ")"
	}
	fmt.Fprintf(&b, "Target: %s · %d checks in %.1fs", target, len(doc.Checks), doc.DurationSeconds)
	if doc.Settings.Strict {
		b.WriteString(" · strict")
	}
	if doc.Settings.FailOn != "" {
		b.WriteString(" · fail on " + string(doc.Settings.FailOn) + " or graver")
	}
	b.WriteString("\n\n")
	if doc.Settings.TLSVerificationDisabled {
		b.WriteString("> **TLS certificate verification was disabled for this run.**\n\n")
	}
	if doc.SetupError != "" {
		fmt.Fprintf(&b, "> **The run could not start:** %s\n\n", mdText(firstLine(doc.SetupError)))
	}
	names := make([]string, len(verdict.All))
	for i, v := range verdict.All {
		names[i] = string(v)
	}
	b.WriteString("| severity | " + strings.Join(names, " | ") + " |\n|---|")
	b.WriteString(strings.Repeat("---:|", len(verdict.All)) + "\n")
	for _, sc := range doc.Severities {
		fmt.Fprintf(&b, "| %s |", sc.Severity)
		for _, v := range verdict.All {
			fmt.Fprintf(&b, " %d |", sc.Counts[v])
		}
		b.WriteString("\n")
	}
	b.WriteString("| **all** |")
	for _, v := range verdict.All {
		fmt.Fprintf(&b, " %d |", doc.Counts[v])
	}
	b.WriteString("\n")
	bySeverity := doc.BySeverity()
	section := func(title string, want verdict.Verdict) {
		var rows []string
		for _, c := range bySeverity {
			if c.Verdict == want {
				sev := ""
				if c.Severity != "" {
					sev = " [" + string(c.Severity) + "]"
				}
				line := fmt.Sprintf("- **%s** (%s)%s %s — %s", c.ID, c.Level, sev, mdText(c.Title), mdText(firstLine(c.Reason)))
				if want == verdict.Waived && c.Waiver != "" {
					line += " — _" + mdText(c.Waiver) + "_"
				}
				rows = append(rows, line)
			}
		}
		if len(rows) > 0 {
			fmt.Fprintf(&b, "\n### %s (%d)\n\n%s\n", title, len(rows), strings.Join(rows, "\n"))
		}
	}
	section("Failures", verdict.Fail)
	section("Harness errors (undecided)", verdict.Error)
	section("Warnings", verdict.Warning)
	section("Waived", verdict.Waived)
	var attention []string
	for _, w := range doc.Waivers {
		switch w.Status {
		case WaiverStale:
			attention = append(attention, fmt.Sprintf("- **%s** stale: the check passes, the waiver can be removed (%s)", w.ID, mdText(w.Reason)))
		case WaiverExpired:
			attention = append(attention, fmt.Sprintf("- **%s** expired on %s: the check counts again (%s)", w.ID, w.Expires, mdText(w.Reason)))
		}
	}
	if len(attention) > 0 {
		fmt.Fprintf(&b, "\n### Waivers to review (%d)\n\n%s\n", len(attention), strings.Join(attention, "\n"))
	}
	b.WriteString("\nFull report: `report.html` (evidence, redirects, screenshots) · `report.json` · `junit.xml` · `results.sarif`\n")
	if doc.ToolVersion != "" {
		fmt.Fprintf(&b, "\n<sub>oauthconform %s</sub>\n", mdText(doc.ToolVersion))
	}
	return b.Bytes()
}

// mdText keeps a value on one line and stops it from opening Markdown or HTML.
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;", "|", "\\|")
	return r.Replace(s)
}
