// Package verdict is the harness's one verdict model: what a check concluded
// (Verdict), how strong the requirement it tests is (Level, the RFC 2119
// keyword of the sentence it quotes, for the party that sentence binds) and
// what an attacker gains when it is broken (Severity). Every writer and
// command reads verdicts through this package; no other package spells a
// verdict, level or severity as a literal string.
package verdict

import "fmt"

// Verdict is the outcome of one check.
type Verdict string

const (
	Pass    Verdict = "pass"    // the requirement holds, with evidence
	Fail    Verdict = "fail"    // a MUST requirement of the server is broken
	Warning Verdict = "warning" // a SHOULD is broken, or a hardening practice is missing
	Info    Verdict = "info"    // an observation no requirement decides (a MAY, a token format)
	Skipped Verdict = "skipped" // the check cannot run here; the reason says why
	Error   Verdict = "error"   // the harness could not decide; never a pass or a fail
	Waived  Verdict = "waived"  // broken, and a waiver in force accepts it
)

// All lists every verdict, in the order reports show them (worst first).
var All = []Verdict{Fail, Error, Warning, Waived, Info, Skipped, Pass}

// Parse reads a verdict written by String.
func Parse(s string) (Verdict, error) {
	for _, v := range All {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown verdict %q", s)
}

// Level is the strength of the requirement a check tests.
type Level string

const (
	// Must: MUST, MUST NOT, REQUIRED, SHALL, SHALL NOT of the server; a
	// broken requirement is a fail.
	Must Level = "MUST"
	// Should: SHOULD, SHOULD NOT, RECOMMENDED of the server, or a duty of
	// the client the server may enforce (hardening); broken, a warning.
	Should Level = "SHOULD"
	// May: MAY, OPTIONAL; what the server does is reported as info.
	May Level = "MAY"
)

// Levels lists every level, strongest first.
var Levels = []Level{Must, Should, May}

// Severity is what an attacker gains when a check's requirement is broken.
type Severity string

const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	None     Severity = "none"
)

// Severities lists every severity, gravest first.
var Severities = []Severity{Critical, High, Medium, Low, None}

// Rank orders severities: Critical is 4, None 0, an unknown one -1.
func (s Severity) Rank() int {
	for i, v := range Severities {
		if v == s {
			return len(Severities) - 1 - i
		}
	}
	return -1
}

// ParseSeverity reads a severity ("high", say).
func ParseSeverity(s string) (Severity, error) {
	for _, v := range Severities {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown severity %q (one of critical, high, medium, low, none)", s)
}
