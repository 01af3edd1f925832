// Package suites holds the conformance suites: one Ginkgo suite, one file per
// flow, each spec one catalog check. The specs register with Ginkgo when the
// package is imported; Run runs them. `go test ./suites` and the ginkgo CLI
// run them through TestConformance (main_test.go); the oauthconform command
// compiles them in and calls Run with its own configuration.
package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/format"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/buildinfo"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/progress"
	"github.com/oauthconform/oauthconform/reports"
)

// env is the run's environment, shared by every spec of this process.
var env *harness.Env

// display shows the run's progress on a terminal (Options.Progress); nil
// writes the plain line of each check.
var display *progress.Display

// Options are one run's settings.
type Options struct {
	// Flags are the harness's settings (target, faults, waivers, ...).
	Flags *harness.Flags
	// BrowserRemote overrides the run profile's browser.remote: the
	// DevTools URL of a browser started elsewhere (a pool), which the run
	// only connects to.
	BrowserRemote string
	// Suite and Reporter are Ginkgo's configuration; nil uses Ginkgo's own
	// (its -ginkgo.* command-line flags). A Suite with no Timeout gets the
	// run profile's timeouts.run plus a minute.
	Suite    *types.SuiteConfig
	Reporter *types.ReporterConfig
	// Progress, when not nil, shows the checks as they run: the plain line
	// of each finished one and, on a terminal, a status line with the
	// count and the slowest check in flight.
	Progress *progress.Display
}

// Run loads the run and runs every spec through Ginkgo's RunSpecs with t.
// A configuration error (run profile, target profile, waivers) is returned
// before any browser starts, after the reports say so; otherwise Run reports
// whether Ginkgo's suite passed. Ginkgo allows one run per process.
func Run(t GinkgoTestingT, o Options) (passed bool, err error) {
	format.RegisterCustomFormatter(redactedString)
	separateSecretsOut()
	env, err = harness.Load(o.Flags)
	if err != nil {
		// No secret can be in the message: profile values are never quoted.
		if werr := reports.WriteSetupFailure(harness.ReportsDirFor(o.Flags), err); werr != nil {
			fmt.Fprintln(os.Stderr, "oauthconform: writing the reports:", werr)
		}
		return false, err
	}
	// Every failure message is redacted in the process that raised it
	// (harness.It puts this handler back after each check).
	RegisterFailHandler(env.Fail)
	if o.BrowserRemote != "" {
		env.Config.Browser.Remote = o.BrowserRemote
	}
	defer env.Close()
	display = o.Progress
	var args []any
	if o.Suite != nil {
		sc := *o.Suite
		if sc.Timeout == 0 {
			sc.Timeout = env.Config.Timeout.Run + time.Minute
		}
		args = append(args, sc)
	}
	if o.Reporter != nil {
		args = append(args, *o.Reporter)
	}
	return RunSpecs(t, "OAuth 2.0 conformance: "+env.Profile.Name, args...), nil
}

var _ = BeforeSuite(func(ctx SpecContext) {
	if err := env.Start(ctx); err != nil {
		Fail(env.Redactor.String(err.Error()))
	}
	requestExpiringToken(ctx)
	pushExpiring(ctx)
	requestExpiringDevice(ctx)
	early.start(ctx)
}, NodeTimeout(90_000_000_000))

// Progress: one line per check as it completes. Ginkgo's own "•" for the
// spec follows the line, so it starts with the newline instead of ending
// with it — or, with a display, the display writes it.
var _ = ReportBeforeSuite(func(report Report) {
	if display != nil {
		display.Begin(report.PreRunStats.SpecsThatWillRun)
	}
})

var _ = ReportBeforeEach(func(report SpecReport) {
	// A spec the label filter leaves out is already skipped here.
	if display != nil && report.State != types.SpecStateSkipped {
		if c, ok := reports.CheckOf(report, env.Redactor); ok {
			display.Start(c.ID, c.Title)
		}
	}
})

var _ = ReportAfterEach(func(report SpecReport) {
	c, ok := reports.CheckOf(report, env.Redactor)
	switch {
	case !ok:
	case display != nil:
		display.Finish(c.ID, reports.ProgressLine(c))
	default:
		fmt.Fprint(os.Stdout, "\n"+reports.ProgressLine(c)+" ")
	}
})

var _ = ReportAfterSuite("reports", func(report types.Report) {
	if display != nil {
		display.Close()
	}
	if env == nil {
		return
	}
	dir := env.ReportsDir
	doc := reports.Build(report, runOf(report), env.Redactor)
	Expect(reports.WriteAll(dir, doc)).To(Succeed())

	fmt.Fprintf(os.Stdout, "\ntarget: %s (%s)\n", doc.Target.Name, doc.Target.Issuer)
	if len(env.Faults) > 0 {
		fmt.Fprintf(os.Stdout, "mock faults on: %v\n", env.Faults)
	}
	reports.WriteSummary(os.Stdout, doc)
	for _, w := range doc.Waivers {
		if w.Status == reports.WaiverStale || w.Status == reports.WaiverExpired {
			fmt.Fprintf(os.Stdout, "waiver %s: %s\n", w.ID, w.Status)
		}
	}
	fmt.Fprintf(os.Stdout, "exit status %d: %s\n", doc.Exit.Status, doc.Exit.Reason)
	fmt.Fprintf(os.Stdout, "reports: %s (report.html, summary.md, report.json, junit.xml, results.sarif)\n", dir)
})

// Browser statistics: every Ginkgo process (each has its own mock and
// browser under -p) writes what its browser did to
// driver-stats-<process>.json in the reports directory; `make bench` adds
// the files of one run up (same seed and process count). Measuring only: a
// file that cannot be written is a warning, never a failed run.
var _ = AfterSuite(func() {
	if env == nil {
		return
	}
	early.stop()
	// The shared login's incognito context lives until here: a remote
	// browser outlives the run, and must not keep it.
	if shared.login != nil && shared.login.sess != nil {
		_ = shared.login.sess.Close()
	}
	closeReauth()
	closeFlowObjects()
	cfg, _ := GinkgoConfiguration()
	var stats driver.Stats
	if env.Browser != nil {
		stats = env.Browser.Stats()
	}
	out := struct {
		Process   int          `json:"process"`
		Processes int          `json:"processes"`
		Seed      int64        `json:"seed"`
		Stats     driver.Stats `json:"stats"`
	}{cfg.ParallelProcess, cfg.ParallelTotal, cfg.RandomSeed, stats}
	data, err := json.MarshalIndent(out, "", "  ")
	if err == nil {
		if err = os.MkdirAll(env.ReportsDir, 0o755); err == nil {
			err = os.WriteFile(filepath.Join(env.ReportsDir, fmt.Sprintf("driver-stats-%d.json", cfg.ParallelProcess)), data, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "oauthconform: driver statistics:", err)
	}
})

// separateSecretsOut gives each parallel process its own test-only secrets
// file (harness.SecretsOutEnv, suffixed .<process>): every process runs a
// mock of its own, and one file would keep only the last writer's.
func separateSecretsOut() {
	cfg, _ := GinkgoConfiguration()
	if p := os.Getenv(harness.SecretsOutEnv); p != "" && cfg.ParallelTotal > 1 {
		_ = os.Setenv(harness.SecretsOutEnv, fmt.Sprintf("%s.%d", p, cfg.ParallelProcess))
	}
}

// Failure messages are redacted in the process that raised them, which
// alone knows the codes and tokens its mock issued: under ginkgo -p the
// reports are written by process 1, whose redactor has never seen another
// process's tokens. env.Fail (registered above) redacts Gomega's failure
// messages; redactedString formats every string value Gomega prints.
func redactedString(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || env == nil {
		return "", false
	}
	r := env.Redactor.String(s)
	if r == s {
		return "", false // Gomega's own formatting
	}
	return "<string>" + strconv.Quote(r), true
}

// runOf describes the run for the reports.
func runOf(report types.Report) reports.Run {
	cfg := env.Config
	browser := "system Chromium"
	switch {
	case cfg.Browser.Remote != "":
		browser = "remote " + cfg.Browser.Remote
	case cfg.Browser.Bin != "":
		browser = cfg.Browser.Bin
	}
	if cfg.Browser.HeadlessOrDefault() {
		browser += ", headless"
	}
	e := env.Endpoints
	return reports.Run{
		Target: reports.Target{
			Name: env.Profile.Name, Issuer: e.Issuer, Mock: env.Mock != nil, Faults: env.Faults, Profile: profilePath(),
			Endpoints: map[string]string{
				"authorization": e.Authorization, "token": e.Token, "revocation": e.Revocation,
				"introspection": e.Introspection, "jwks": e.JWKS, "metadata": env.MetadataURL,
			},
		},
		Settings: reports.Settings{
			TLSVerificationDisabled: env.TLSVerificationDisabled(),
			Strict:                  env.Strict, FailOn: env.FailOn, LabelFilter: report.SuiteConfig.LabelFilter, RandomSeed: report.SuiteConfig.RandomSeed,
			ReportsDir: env.ReportsDir, Browser: browser,
			Timeouts: map[string]string{"http": cfg.Timeout.HTTP.String(), "step": cfg.Timeout.Step.String(), "flow": cfg.Timeout.Flow.String()},
		},
		Waivers: env.Waivers,
		Root:    cfg.Dir,
		Now:     time.Now(),
		Version: buildinfo.Read().String(),
	}
}

// profilePath is the target profile as code scanning should show it:
// relative to the working directory (a CI job's checkout) when inside it.
func profilePath() string {
	p := strings.TrimPrefix(env.Profile.Path, "built-in ")
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	return filepath.ToSlash(p)
}

// background is for cleanups that must run after a spec's context ended.
var background = context.Background
