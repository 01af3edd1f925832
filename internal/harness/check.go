package harness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/waiver"
)

// Verdicts, as recorded in the "verdict" report entry of every check and
// derived by reports.Verdict from it and the spec's state.
const (
	VerdictPass    = "pass"    // the requirement holds
	VerdictFail    = "fail"    // a MUST requirement is broken
	VerdictWarning = "warning" // a SHOULD requirement is broken, or a practice RFC 9700 discourages
	VerdictInfo    = "info"    // an observation that is neither pass nor fail (token format, say)
	VerdictSkipped = "skipped" // the check cannot run here; the reason says why
	VerdictError   = "error"   // the harness could not decide; never a pass or a fail
	VerdictWaived  = "waived"  // broken, and a waiver in force accepts it
)

// Verdicts lists every verdict, in the order reports show them.
var Verdicts = []string{VerdictFail, VerdictError, VerdictWarning, VerdictWaived, VerdictInfo, VerdictSkipped, VerdictPass}

// Report entry names the reports read.
const (
	EntryVerdict    = "verdict"
	EntryReason     = "reason"
	EntryEvidence   = "evidence"
	EntryScreenshot = "screenshot"
	EntryRedirects  = "redirects" // the browser's redirect chain, one hop a line
	EntryWaiver     = "waiver"    // the waiver that applied to the check, or expired
)

// It registers a catalog check as a Ginkgo spec. A Must check fails the spec
// on a broken requirement; a Should check records a warning and passes, so it
// never fails the run. Gomega failures inside body are the verdict; Skip says
// why the check cannot run here; Undecided says the harness could not tell.
//
// A waiver in force for the check (see Load and internal/waiver) turns a
// broken requirement into verdict waived: the failure is intercepted like a
// Should check's, and the original reason kept, so the spec passes. Harness
// errors and skips are never waived. An expired waiver is noted and the
// check counts again.
func It(c catalog.Check, body func(ctx ginkgo.SpecContext)) bool {
	return ginkgo.It(c.SpecText(), ginkgo.Label(c.Labels()...), func(ctx ginkgo.SpecContext) {
		w := activeWaivers.Find(c.ID)
		if w != nil && w.Expired(now()) {
			ginkgo.AddReportEntry(EntryWaiver, describeWaiver(w)+"; expired, so the check counts again", quiet)
			w = nil
		}
		env := runEnv
		if env != nil {
			env.forgetMet(c.ID)
		}
		// A failed assertion in a check that met a failure of the target's
		// transport (the endpoint unreachable, an HTML page where JSON
		// belongs…) judged the harness's missing answer, not the target:
		// the check is undecided, with the target's failure as the reason.
		undecidedIfTargetFailed := func() {
			if env == nil {
				return
			}
			if te := env.metTargetError(c.ID); te != nil {
				Undecided(env, te)
			}
		}
		if c.Level != catalog.Should && w == nil {
			gomega.RegisterFailHandler(func(message string, callerSkip ...int) {
				undecidedIfTargetFailed()
				skip := 1
				if len(callerSkip) > 0 {
					skip += callerSkip[0]
				}
				ginkgo.Fail(message, skip)
			})
			defer gomega.RegisterFailHandler(ginkgo.Fail)
			body(ctx)
			return
		}
		err := gomega.InterceptGomegaFailure(func() { body(ctx) })
		if err != nil {
			undecidedIfTargetFailed()
		}
		switch {
		case err == nil:
		case w != nil:
			ginkgo.AddReportEntry(EntryVerdict, VerdictWaived, quiet)
			ginkgo.AddReportEntry(EntryReason, err.Error(), quiet)
			ginkgo.AddReportEntry(EntryWaiver, describeWaiver(w), quiet)
		default:
			ginkgo.AddReportEntry(EntryVerdict, VerdictWarning, quiet)
			ginkgo.AddReportEntry(EntryReason, err.Error(), quiet)
		}
	})
}

// activeWaivers are the run's waivers, set by Load; nil waives nothing.
var activeWaivers *waiver.List

// runEnv is the run's Env, set by Load.
var runEnv *Env

// now is the clock waivers expire by.
var now = time.Now

func describeWaiver(w *waiver.Waiver) string {
	s := "waived: " + w.Reason
	if e := w.ExpiresString(); e != "" {
		s += " (until " + e + ")"
	}
	return s
}

// Info records an observation as the check's verdict: a check that passes
// after Info is reported as info, with the observation as its reason (a
// failure still wins). Use it for what a reviewer should know but no
// requirement decides, such as the format of an access token.
func Info(env *Env, observation string) {
	if env != nil {
		observation = env.Redactor.String(observation)
	}
	ginkgo.AddReportEntry(EntryVerdict, VerdictInfo, quiet)
	ginkgo.AddReportEntry(EntryReason, observation, quiet)
}

// Undecided ends the check with verdict error: the harness could not decide
// (the browser flow it depends on failed, an endpoint was unreachable). It is
// neither a pass nor a fail of the target.
//
// A root cause is said once: a transport failure of the target is reported
// as itself (TargetError: "token endpoint …: connection refused"), without
// the client library's wrapping, and a check undecided for the very reason
// an earlier check already reported in full gets one line naming that check
// instead of another copy (and no second screenshot).
func Undecided(env *Env, err error) {
	ginkgo.GinkgoHelper()
	ginkgo.AddReportEntry(EntryVerdict, VerdictError, quiet)
	var te *TargetError
	if errors.As(err, &te) {
		err = te
	}
	text := err.Error()
	if env != nil {
		text = env.Redactor.String(text)
	}
	first := firstReport(text)
	var se *driver.StepError
	if first == "" && errors.As(err, &se) && len(se.Screenshot) > 0 && env != nil {
		if path, werr := env.saveScreenshot(se.Screenshot); werr == nil {
			ginkgo.AddReportEntry(EntryScreenshot, path, quiet)
		}
	}
	if first != "" && (te == nil || te.FirstIn == "") {
		line, _, cut := strings.Cut(text, "\n")
		if len(line) > 200 {
			line, cut = line[:200], true
		}
		if cut {
			line += " …"
		}
		text = line + " (the same harness error as " + first + ", which has the details)"
	}
	ginkgo.Fail("harness error: " + text)
}

// undecided remembers each harness error's text and the check that reported it first.
var undecided = struct {
	sync.Mutex
	first map[string]string
}{first: map[string]string{}}

// firstReport records text for the running check and returns the earlier
// check that reported the same text ("" when this is the first, or the same check).
func firstReport(text string) string {
	id := currentCheck()
	if id == "" {
		return ""
	}
	undecided.Lock()
	defer undecided.Unlock()
	if first, ok := undecided.first[text]; ok && first != id {
		return first
	}
	undecided.first[text] = id
	return ""
}

// Require ends the check as Undecided when err is not nil.
func Require(env *Env, err error) {
	ginkgo.GinkgoHelper()
	if err != nil {
		Undecided(env, err)
	}
}

// SkipUnless skips the check, with the reason, when cond is false: a role or
// capability the target lacks.
func SkipUnless(cond bool, format string, args ...any) {
	ginkgo.GinkgoHelper()
	if !cond {
		ginkgo.Skip(fmt.Sprintf(format, args...))
	}
}

// Attach attaches redacted evidence to the check.
// Like every entry the harness records, it is printed in the terminal only
// when the check fails (or with -v); the reports always carry it.
func (env *Env) Attach(text string) {
	ginkgo.AddReportEntry(EntryEvidence, env.Redactor.String(text), quiet)
}

// quiet keeps report entries out of the terminal unless the spec fails.
var quiet = ginkgo.ReportEntryVisibilityFailureOrVerbose

// AttachRedirects attaches the browser's redirect chain of an authorization
// (driver.Result.Hops, then the redirect URI it ended at), one hop a line,
// redacted. Only status, URL and Location are kept: other headers may carry
// session cookies.
func (env *Env) AttachRedirects(res *driver.Result) {
	if res == nil {
		return
	}
	var b strings.Builder
	for _, h := range res.Hops {
		fmt.Fprintf(&b, "%d %s", h.Status, h.URL)
		if h.Location != "" {
			fmt.Fprintf(&b, " → %s", h.Location)
		}
		b.WriteByte('\n')
	}
	if res.Callback != nil {
		fmt.Fprintf(&b, "redirect URI reached: %s\n", res.Callback)
	}
	if b.Len() > 0 {
		ginkgo.AddReportEntry(EntryRedirects, env.Redactor.String(strings.TrimSuffix(b.String(), "\n")), quiet)
	}
}

func (env *Env) saveScreenshot(png []byte) (string, error) {
	dir := filepath.Join(env.ReportsDir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := fmt.Sprintf("%s.png", Random())
	if report := ginkgo.CurrentSpecReport(); len(report.Labels()) > 0 {
		name = report.Labels()[0] + "-" + name
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, png, 0o644)
}
