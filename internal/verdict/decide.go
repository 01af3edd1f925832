package verdict

// Report entry names: what the harness records on a check's Ginkgo spec and
// the reports read back. Only the harness writes them, only Of's callers
// read them.
const (
	EntryVerdict    = "verdict"    // a Verdict recorded by the check (warning, info, waived, error)
	EntryReason     = "reason"     // why, for a verdict recorded without failing the spec
	EntryEvidence   = "evidence"   // redacted evidence, one entry per exchange or observation
	EntryScreenshot = "screenshot" // the path of a PNG taken when the browser failed
	EntryRedirects  = "redirects"  // the browser's redirect chain, one hop a line
	EntryWaiver     = "waiver"     // the waiver that applied to the check, or expired
)

// Outcome is how a check's spec ended, as the test framework saw it.
type Outcome int

const (
	// SpecPassed: the spec ran to its end without failing.
	SpecPassed Outcome = iota
	// SpecSkipped: the spec skipped itself (or was pending).
	SpecSkipped
	// SpecFailed: the spec failed (an assertion, or Undecided).
	SpecFailed
	// SpecAborted: the spec panicked, timed out or was interrupted.
	SpecAborted
)

// Of is the one precedence rule: the verdict of a check from how its spec
// ended and the verdicts it recorded on the way.
//
//   - a spec that passed is waived, warning or info when such a verdict was
//     recorded (in that order of precedence), else pass;
//   - a skipped spec is skipped;
//   - a failed spec is fail, unless the harness recorded error (it could
//     not decide);
//   - a panic, a timeout or an interrupt is error: never a pass or a fail.
func Of(o Outcome, recorded []Verdict) Verdict {
	has := func(v Verdict) bool {
		for _, r := range recorded {
			if r == v {
				return true
			}
		}
		return false
	}
	switch o {
	case SpecPassed:
		for _, v := range []Verdict{Waived, Warning, Info} {
			if has(v) {
				return v
			}
		}
		return Pass
	case SpecSkipped:
		return Skipped
	case SpecFailed:
		if has(Error) {
			return Error
		}
		return Fail
	default:
		return Error
	}
}

// Broken is the verdict of a check whose requirement is broken: waived when
// a waiver in force accepts it, else by the check's level (MUST: fail,
// SHOULD: warning, MAY: info). Broken(l, false) == Fail is the only case that
// fails the spec; the others are recorded and the spec passes.
func Broken(l Level, waived bool) Verdict {
	switch {
	case waived:
		return Waived
	case l == Should:
		return Warning
	case l == May:
		return Info
	default:
		return Fail
	}
}

// Count counts verdicts; every verdict has a key.
func Count(vs ...Verdict) map[Verdict]int {
	counts := make(map[Verdict]int, len(All))
	for _, v := range All {
		counts[v] = 0
	}
	for _, v := range vs {
		counts[v]++
	}
	return counts
}

// CountOrder is the order of a closing count line ("18 pass, 3 fail, …").
var CountOrder = []Verdict{Pass, Fail, Warning, Info, Skipped, Error, Waived}
