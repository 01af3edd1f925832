package verdict

import (
	"fmt"
	"strings"
)

// Status is a run's exit status (docs/reports.md).
type Status int

const (
	// ExitOK: nothing the policy gates on (by default, no unwaived MUST failure and no undecided check).
	ExitOK Status = 0
	// ExitFailed: a check the policy gates on is broken or undecided.
	ExitFailed Status = 1
	// ExitNotRun: the harness could not run (bad configuration, no browser, every check undecided).
	ExitNotRun Status = 2
)

// Policy is what fails a run.
type Policy struct {
	// Strict: warnings fail the run too.
	Strict bool
	// FailOn, when set, gates on severity instead of level: a broken check
	// (fail or warning) or an undecided one (error) fails the run when its
	// severity is FailOn or graver, whatever its level; a check whose
	// severity is not known yet counts, so an unrated catalog never passes
	// silently. Empty: the default, any unwaived MUST failure or undecided check.
	FailOn Severity
}

// ParseFailOn reads the --fail-on value ("" or one of the severities).
func ParseFailOn(s string) (Severity, error) {
	if s == "" {
		return "", nil
	}
	sev, err := ParseSeverity(strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return "", fmt.Errorf("fail-on: %w", err)
	}
	return sev, nil
}

// Gates reports whether the policy fails the run on this row.
func (p Policy) Gates(r Row) bool {
	if p.FailOn != "" {
		switch r.Verdict {
		case Fail, Error:
		case Warning:
		default:
			return false
		}
		if p.Strict && r.Verdict == Warning {
			return true
		}
		return r.Severity.Rank() < 0 || r.Severity.Rank() >= p.FailOn.Rank()
	}
	return r.Verdict == Fail || r.Verdict == Error || (p.Strict && r.Verdict == Warning)
}

// Exit decides a run's exit status from its rows, and says why:
//
//	2 when no check has a verdict, or every check is error (the harness could not run);
//	1 when a row the policy gates on is there: by default a fail (a MUST
//	  broken, not waived or its waiver expired) or an error (undecided: the
//	  run cannot vouch for it), and with Strict a warning; with FailOn, a
//	  fail, warning or error of that severity or graver;
//	0 otherwise: pass, info, skipped and waived never fail a run.
func Exit(rows []Row, p Policy) (Status, string) {
	ids := map[Verdict][]string{}
	var gated []Row
	for _, row := range rows {
		ids[row.Verdict] = append(ids[row.Verdict], row.ID)
		if p.Gates(row) {
			gated = append(gated, row)
		}
	}
	n := func(v Verdict) int { return len(ids[v]) }
	switch {
	case len(rows) == 0:
		return ExitNotRun, "no check ran"
	case n(Error) == len(rows):
		return ExitNotRun, fmt.Sprintf("the harness could not decide any check (%d error)", len(rows))
	}
	if p.FailOn != "" {
		return exitBySeverity(rows, gated, p)
	}
	var why []string
	if n(Fail) > 0 {
		why = append(why, fmt.Sprintf("%d MUST failure(s): %s", n(Fail), strings.Join(ids[Fail], ", ")))
	}
	if n(Error) > 0 {
		why = append(why, fmt.Sprintf("%d undecided (error): %s", n(Error), strings.Join(ids[Error], ", ")))
	}
	if p.Strict && n(Warning) > 0 {
		why = append(why, fmt.Sprintf("%d warning(s) under --strict: %s", n(Warning), strings.Join(ids[Warning], ", ")))
	}
	if len(why) > 0 {
		return ExitFailed, strings.Join(why, "; ")
	}
	msg := "no unwaived MUST failure"
	if n(Warning) > 0 {
		msg += fmt.Sprintf("; %d warning(s) do not fail the run without --strict", n(Warning))
	}
	if n(Waived) > 0 {
		msg += fmt.Sprintf("; %d waived", n(Waived))
	}
	return ExitOK, msg
}

func exitBySeverity(rows, gated []Row, p Policy) (Status, string) {
	if len(gated) > 0 {
		parts := make([]string, len(gated))
		for i, r := range gated {
			sev := string(r.Severity)
			if sev == "" {
				sev = "severity unknown"
			}
			parts[i] = fmt.Sprintf("%s %s (%s)", r.ID, r.Verdict, sev)
		}
		return ExitFailed, fmt.Sprintf("%d check(s) at or above --fail-on=%s: %s", len(gated), p.FailOn, strings.Join(parts, ", "))
	}
	below := 0
	for _, r := range rows {
		if r.Verdict == Fail || r.Verdict == Warning || r.Verdict == Error {
			below++
		}
	}
	msg := fmt.Sprintf("no check at or above --fail-on=%s", p.FailOn)
	if below > 0 {
		msg += fmt.Sprintf("; %d fail, warning or error below it do not fail the run", below)
	}
	return ExitOK, msg
}
