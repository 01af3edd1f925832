package harness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/internal/waiver"
)

// It registers a catalog check as a Ginkgo spec of the run env. A broken
// requirement takes the verdict verdict.Broken gives it: a MUST check fails
// the spec; a SHOULD check records a warning and passes (it never fails the
// run), a MAY check an info. Gomega failures inside body, and Broken, are
// the broken requirement; Skip says why the check cannot run here;
// Undecided says the harness could not tell.
//
// A waiver in force for the check (env.Waivers) turns a broken requirement
// into verdict waived, with the original reason kept, so the spec passes.
// Harness errors and skips are never waived. An expired waiver is noted and
// the check counts again.
//
// Every failure message is redacted before it is recorded, and a Gomega
// message that says only "Expected <bool>: true to be false" is replaced by
// one that says what was checked.
func It(env *Env, c catalog.Check, body func(ctx ginkgo.SpecContext)) bool {
	return ginkgo.It(c.SpecText(), ginkgo.Label(c.Labels()...), func(ctx ginkgo.SpecContext) {
		env.runCheck(c, func() { body(ctx) })
	})
}

// brokenRequirement is how a broken requirement that does not fail the spec
// (warning, waived, info) leaves the check's body.
type brokenRequirement struct{ reason string }

// runCheck runs one check's body under its fail handler and records the verdict.
func (env *Env) runCheck(c catalog.Check, body func()) {
	if env == nil {
		ginkgo.Fail("harness error: " + c.ID + " was registered without the run's environment")
	}
	w := env.waiverFor(c.ID)
	env.forgetMet(c.ID)
	broken := verdict.Broken(c.Level, w != nil)
	gomega.RegisterFailHandler(func(message string, callerSkip ...int) {
		skip := 1
		if len(callerSkip) > 0 {
			skip += callerSkip[0]
		}
		// A failed assertion in a check that met a failure of the target's
		// transport (the endpoint unreachable, an HTML page where JSON
		// belongs…) judged the harness's missing answer, not the target:
		// the check is undecided, with the target's failure as the reason.
		if te := env.metTargetError(c.ID); te != nil {
			Undecided(env, te)
		}
		message = env.reason(message, types.NewCodeLocation(skip))
		if broken == verdict.Fail {
			ginkgo.Fail(message, skip)
		}
		panic(brokenRequirement{message})
	})
	defer gomega.RegisterFailHandler(env.Fail)
	var b *brokenRequirement
	func() {
		defer func() {
			if r := recover(); r != nil {
				br, ok := r.(brokenRequirement)
				if !ok {
					panic(r)
				}
				b = &br
			}
		}()
		body()
	}()
	if b == nil {
		return
	}
	ginkgo.AddReportEntry(verdict.EntryVerdict, string(broken), quiet)
	ginkgo.AddReportEntry(verdict.EntryReason, b.reason, quiet)
	if w != nil {
		ginkgo.AddReportEntry(verdict.EntryWaiver, describeWaiver(w), quiet)
	}
}

// Fail is the run's Gomega fail handler outside checks (set-up, shared
// flows): the message is redacted before Ginkgo records it. Register it
// with gomega.RegisterFailHandler(env.Fail); It puts it back after each check.
func (env *Env) Fail(message string, callerSkip ...int) {
	skip := 1
	if len(callerSkip) > 0 {
		skip += callerSkip[0]
	}
	ginkgo.Fail(env.redact(message), skip)
}

// Broken ends the check with its requirement broken, for a check that
// decides without an assertion: it goes through the check's fail handler
// like a failed Gomega assertion, so a SHOULD check records a warning and a
// waiver applies. Checks never call Ginkgo's Fail directly.
func Broken(format string, args ...any) {
	ginkgo.GinkgoHelper()
	gomega.ExpectWithOffset(1, nil).To(brokenMatcher(fmt.Sprintf(format, args...)))
}

// brokenMatcher never matches; its failure message is the reason.
type brokenMatcher string

func (m brokenMatcher) Match(any) (bool, error)          { return false, nil }
func (m brokenMatcher) FailureMessage(any) string        { return string(m) }
func (m brokenMatcher) NegatedFailureMessage(any) string { return string(m) }

// bareBool is Gomega's message for a boolean that was not what a check
// expected ("Expected\n    <bool>: true\nto be false", or "to equal <bool>"):
// it says nothing about what was checked.
var bareBool = regexp.MustCompile(`(?s)\n?Expected\n\s*<bool>: (true|false)\n(not )?to (be (true|false)|equal\n\s*<bool>: (true|false))\s*$`)

// reason is the recorded reason of a failure message: redacted, without
// Gomega's bare boolean clause (the check's description says what was
// checked); with no description, the place of the condition instead.
func (env *Env) reason(message string, where types.CodeLocation) string {
	if loc := bareBool.FindStringIndex(message); loc != nil {
		desc := strings.TrimSpace(message[:loc[0]])
		if desc == "" {
			desc = fmt.Sprintf("the condition the check asserts at %s:%d does not hold", filepath.Base(where.FileName), where.LineNumber)
		}
		message = desc
	}
	return env.redact(message)
}

func (env *Env) redact(s string) string {
	if env == nil || env.Redactor == nil {
		return s
	}
	return env.Redactor.String(s)
}

// waiverFor is the waiver in force for the check, nil when none is (an
// expired one is noted on the check, which counts again).
func (env *Env) waiverFor(id string) *waiver.Waiver {
	if env == nil {
		return nil
	}
	w := env.Waivers.Find(id)
	if w != nil && w.Expired(env.now()) {
		ginkgo.AddReportEntry(verdict.EntryWaiver, describeWaiver(w)+"; expired, so the check counts again", quiet)
		return nil
	}
	return w
}

// now is the clock waivers expire by (Env.Clock, else the time of day).
func (env *Env) now() time.Time {
	if env.Clock != nil {
		return env.Clock()
	}
	return time.Now()
}

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
	ginkgo.AddReportEntry(verdict.EntryVerdict, string(verdict.Info), quiet)
	ginkgo.AddReportEntry(verdict.EntryReason, env.redact(observation), quiet)
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
	ginkgo.AddReportEntry(verdict.EntryVerdict, string(verdict.Error), quiet)
	var te *TargetError
	if errors.As(err, &te) {
		err = te
	}
	text := env.redact(err.Error())
	first := env.firstReport(text)
	var se *driver.StepError
	if first == "" && errors.As(err, &se) && len(se.Screenshot) > 0 && env != nil {
		if path, werr := env.saveScreenshot(se.Screenshot); werr == nil {
			ginkgo.AddReportEntry(verdict.EntryScreenshot, path, quiet)
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

// firstReports remembers each harness error's text and the check that
// reported it first, for one run.
type firstReports struct {
	sync.Mutex
	first map[string]string
}

// firstReport records text for the running check and returns the earlier
// check that reported the same text ("" when this is the first, or the same check).
func (env *Env) firstReport(text string) string {
	id := currentCheck()
	if id == "" || env == nil {
		return ""
	}
	u := &env.undecided
	u.Lock()
	defer u.Unlock()
	if first, ok := u.first[text]; ok && first != id {
		return first
	}
	if u.first == nil {
		u.first = map[string]string{}
	}
	u.first[text] = id
	return ""
}

// currentCheck is the ID of the running check ("" outside one).
func currentCheck() (id string) {
	defer func() {
		if recover() != nil {
			id = ""
		}
	}()
	r := ginkgo.CurrentSpecReport()
	if len(r.LeafNodeLabels) > 0 {
		return r.LeafNodeLabels[0]
	}
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
	ginkgo.AddReportEntry(verdict.EntryEvidence, env.redact(text), quiet)
}

// quiet keeps report entries out of the terminal unless the spec fails.
const quiet = ginkgo.ReportEntryVisibilityFailureOrVerbose

// AttachRedirects attaches the browser's redirect chain of an authorization
// (driver.Result.Hops, then the redirect URI it ended at), one hop a line,
// redacted. Only status, URL and Location are kept: other headers may carry
// session cookies.
func (env *Env) AttachRedirects(res *driver.Result) {
	if text := RedirectChain(res); text != "" {
		ginkgo.AddReportEntry(verdict.EntryRedirects, env.redact(text), quiet)
	}
}

// RedirectChain renders an authorization's redirect chain, one hop a line.
func RedirectChain(res *driver.Result) string {
	if res == nil {
		return ""
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
	return strings.TrimSuffix(b.String(), "\n")
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
