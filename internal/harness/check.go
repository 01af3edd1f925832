package harness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
)

// Verdicts, as recorded in the "verdict" report entry of every check.
const (
	VerdictPass    = "pass"
	VerdictFail    = "fail"
	VerdictWarning = "warning"
	VerdictSkipped = "skipped"
	VerdictError   = "error"
)

// Report entry names the reports read.
const (
	EntryVerdict    = "verdict"
	EntryReason     = "reason"
	EntryEvidence   = "evidence"
	EntryScreenshot = "screenshot"
)

// It registers a catalog check as a Ginkgo spec. A Must check fails the spec
// on a broken requirement; a Should check records a warning and passes, so it
// never fails the run. Gomega failures inside body are the verdict; Skip says
// why the check cannot run here; Undecided says the harness could not tell.
func It(c catalog.Check, body func(ctx ginkgo.SpecContext)) bool {
	return ginkgo.It(c.SpecText(), ginkgo.Label(c.Labels()...), func(ctx ginkgo.SpecContext) {
		if c.Level == catalog.Should {
			if err := gomega.InterceptGomegaFailure(func() { body(ctx) }); err != nil {
				ginkgo.AddReportEntry(EntryVerdict, VerdictWarning)
				ginkgo.AddReportEntry(EntryReason, err.Error())
			}
			return
		}
		body(ctx)
	})
}

// Undecided ends the check with verdict error: the harness could not decide
// (the browser flow it depends on failed, an endpoint was unreachable). It is
// neither a pass nor a fail of the target.
func Undecided(env *Env, err error) {
	ginkgo.GinkgoHelper()
	ginkgo.AddReportEntry(EntryVerdict, VerdictError)
	var se *driver.StepError
	if errors.As(err, &se) && len(se.Screenshot) > 0 && env != nil {
		if path, werr := env.saveScreenshot(se.Screenshot); werr == nil {
			ginkgo.AddReportEntry(EntryScreenshot, path)
		}
	}
	msg := "harness error: " + err.Error()
	if env != nil {
		msg = env.Redactor.String(msg)
	}
	ginkgo.Fail(msg)
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

// Evidence attaches redacted evidence to the check.
func (env *Env) Attach(text string) {
	ginkgo.AddReportEntry(EntryEvidence, env.Redactor.String(text))
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
