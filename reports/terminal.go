package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

// WriteSummary prints one line per check and a closing count, for people
// reading a terminal or a CI log. doc is already redacted.
func WriteSummary(w io.Writer, doc Document) {
	previous := ""
	for _, c := range doc.Checks {
		line := fmt.Sprintf("%-8s %-8s %-6s %s", strings.ToUpper(string(c.Verdict)), c.ID, c.Level, c.Title)
		if c.Verdict != verdict.Pass && c.Reason != "" {
			// One root cause is said once, not once per dependent check.
			if reason := firstLine(c.Reason); reason == previous {
				line += " — same cause as above"
			} else {
				line += " — " + reason
				previous = reason
			}
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, CountLine(doc.Counts))
	for _, p := range doc.Plans {
		fmt.Fprintln(w, p.Line())
	}
	if doc.Settings.TLSVerificationDisabled {
		fmt.Fprintln(w, "WARNING: TLS certificate verification was DISABLED for this run (tls.insecure_skip_verify): nothing here shows the target's TLS is sound")
	}
}

// CountLine is the closing count: "checks: 18 pass, 3 fail, 0 warning, 0 info, 0 skipped, 0 error, 0 waived".
func CountLine(counts map[verdict.Verdict]int) string {
	parts := make([]string, 0, len(verdict.CountOrder))
	for _, v := range verdict.CountOrder {
		parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
	}
	return "checks: " + strings.Join(parts, ", ")
}

// ProgressLine is the line printed when a check completes: verdict, ID,
// seconds and title, and for a verdict other than pass the first line of
// its reason ("WARNING  TE-02      0.42s  token response carries expires_in — no expires_in ...").
// c is already redacted (CheckOf).
func ProgressLine(c CheckReport) string {
	line := fmt.Sprintf("%-8s %-8s %6.2fs  %s", strings.ToUpper(string(c.Verdict)), c.ID, c.Seconds, c.Title)
	if reason := firstLine(c.Reason); c.Verdict != verdict.Pass && reason != "" {
		line += " — " + reason
	}
	return line
}
