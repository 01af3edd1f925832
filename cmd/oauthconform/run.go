package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/progress"
	"github.com/oauthconform/oauthconform/internal/runconfig"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/suites"
)

const runHelp = `Usage: oauthconform run [--target profile.yaml] [flags]

Runs the check catalog against the provider a target profile describes, in
headless Chromium, and writes the reports. Without --target it runs against
the bundled mock authorization server, started in this process on a loopback
port: a secure provider on which every check passes.

Every run writes, in the reports directory: junit.xml (pipelines),
results.sarif (code scanning), report.html (people), report.json and
results.json (tools) and summary.md (a CI job summary). Secrets, codes and
tokens are redacted in all of them.

Examples:
  oauthconform run
  oauthconform run --target staging.yaml --waivers waivers.yaml
  oauthconform run --target staging.yaml --labels 'MUST && flow:authorization_code'
  oauthconform run --faults code_reuse,state_dropped      # watch checks fail

Exit status:
  0  no unwaived MUST failure (with --strict: and no warning)
  1  at least one unwaived MUST failure, an undecided check (error), or
     (with --strict) a warning
  2  the harness could not run: a broken run profile, target profile or
     waivers file, no browser, or the target unreachable for every check

Flags:
`

// tester is Ginkgo's GinkgoTestingT for a run outside "go test".
type tester struct{ failed bool }

func (t *tester) Fail() { t.failed = true }

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), runHelp)
		printFlags(fs)
	}
	var f harness.Flags
	fs.StringVar(&f.Target, "target", "", "target profile of the provider to test (default: the bundled mock)")
	fs.StringVar(&f.Config, "config", "", "run profile (default: the built-in one: the bundled mock, reports in ./"+runconfig.Default().Reports.Dir+", the system's Chromium, default timeouts)")
	fs.StringVar(&f.ReportsDir, "reports", "", "directory for the reports (default: the run profile's reports.dir)")
	fs.StringVar(&f.Waivers, "waivers", "", "waivers file: known deviations that do not fail the run until they expire")
	fs.BoolVar(&f.Strict, "strict", false, "warnings fail the run too")
	fs.StringVar(&f.FailOn, "fail-on", "", "gate the run on severity instead of level: critical, high, medium, low or none (docs/severity.md)")
	faults := fs.String("faults", "", "comma-separated mock faults to switch on (bundled mock only; oauthconform mock --list-faults lists them)")
	variants := fs.String("variants", "", "comma-separated secure variants of the mock to switch on (bundled mock only; oauthconform mock --list-variants lists them)")
	labels := fs.String("labels", "", "Ginkgo label filter selecting checks, e.g. 'PKCE-01 || RU-12' or 'refresh'")
	plan := fs.String("plan", "", "run a named plan's checks and report how many of its requirements are met: "+planNames())
	remote := fs.String("browser-remote", "", "DevTools URL (ws://… or http://host:port) of a running browser to use instead of launching one")
	fs.StringVar(&f.CAFile, "ca-file", "", "PEM bundle of extra certificate authorities to trust (a private CA; oauthconform mock writes one)")
	fs.BoolVar(&f.DownloadBrowser, "download-browser", false, "when no Chromium is installed, let rod download one (needs internet access)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "oauthconform run: unexpected argument %q (the target profile is given with --target)\n", fs.Arg(0))
		return exitUsage
	}
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "faults":
			f.SetFaults(*faults)
		case "variants":
			f.SetVariants(*variants)
		}
	})
	if f.Config == "" {
		f.Defaults = oauthconform.Defaults
	}
	if f.Target == "" {
		fmt.Fprintln(stdout, "oauthconform: no --target given: testing the bundled mock authorization server (a secure provider; --target profile.yaml tests yours)")
	}

	suite := types.NewDefaultSuiteConfig()
	suite.LabelFilter = *labels
	if *plan != "" {
		p, err := catalog.PlanByName(*plan)
		if err != nil {
			fmt.Fprintln(stderr, "oauthconform run: --plan:", err)
			return exitUsage
		}
		// The plan's checks; --labels narrows them further.
		suite.LabelFilter = "(" + p.LabelFilter() + ")"
		if *labels != "" {
			suite.LabelFilter += " && (" + *labels + ")"
		}
	}
	suite.Timeout = 0 // the run profile's timeouts.run plus a minute
	// A check that waits this long says what it waits on.
	suite.PollProgressAfter = time.Minute
	reporter := types.NewDefaultReporterConfig()
	reporter.NoColor = true

	start := time.Now().Truncate(time.Second)
	t := &tester{}
	opts := suites.Options{Flags: &f, BrowserRemote: *remote, Suite: &suite, Reporter: &reporter}
	if out, ok := stdout.(*os.File); ok && progress.IsTerminal(out) {
		// On a terminal: a status line with the count and the slowest
		// check in flight under the lines of the finished checks.
		opts.Progress = progress.New(out, true)
		reporter.Succinct = true
	}
	passed, err := suites.Run(t, opts)
	if err != nil {
		fmt.Fprintln(stderr, "oauthconform:", err)
		return int(verdict.ExitNotRun)
	}
	return exitStatus(harness.ReportsDirFor(&f), start, passed && !t.failed, stdout)
}

// exitStatus is the run's status as its report.json says it (decided by
// internal/verdict under the run's exit policy, docs/reports.md), and says it.
func exitStatus(dir string, start time.Time, ginkgoPassed bool, out io.Writer) int {
	say := func(status verdict.Status, format string, a ...any) int {
		fmt.Fprintf(out, "oauthconform: exit %d: %s\n", status, fmt.Sprintf(format, a...))
		return int(status)
	}
	path := filepath.Join(dir, "report.json")
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return say(verdict.ExitNotRun, "the harness could not run: %v", err)
	case info.ModTime().Before(start):
		return say(verdict.ExitNotRun, "the harness could not run: %s is from an earlier run", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return say(verdict.ExitNotRun, "the harness could not run: %v", err)
	}
	var doc struct {
		Exit struct {
			Status verdict.Status `json:"status"`
			Reason string         `json:"reason"`
		} `json:"exit"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return say(verdict.ExitNotRun, "the harness could not run: %s: %v", path, err)
	}
	if doc.Exit.Status == verdict.ExitOK && !ginkgoPassed {
		return say(verdict.ExitFailed, "every check is decided without a failure the run gates on, but the suite failed: see its output")
	}
	return say(doc.Exit.Status, "%s", doc.Exit.Reason)
}

// planNames lists the plans --plan takes.
func planNames() string {
	var names []string
	for _, p := range catalog.Plans() {
		names = append(names, string(p.Name)+" ("+p.Title+")")
	}
	return strings.Join(names, ", ")
}
