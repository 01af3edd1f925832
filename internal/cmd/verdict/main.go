// Command verdict turns a conformance run's results into its exit status, as
// docs/reports.md documents it:
//
//	0  no unwaived MUST failure (with -strict: and no warning)
//	1  at least one unwaived MUST failure, an undecided check, or (with -strict) a warning;
//	   with -fail-on=SEVERITY instead: a fail, warning or error of that severity or graver
//	2  the harness could not run: no results (bad run profile, target profile
//	   or waivers file; the suite did not build), results from an earlier run,
//	   or every check undecided (no browser, target unreachable)
//
// `make conformance` runs it after Ginkgo, whatever Ginkgo's own status (1
// for any failed spec), and exits with its status:
//
//	go run ./internal/cmd/verdict [-results oauthconform-reports/results.json] [-strict] [-fail-on high] [-since UNIX] [-ginkgo-status N]
//
// Without -fail-on, the run profile's fail_on applies (when -config names one that loads).
// The rule itself is internal/verdict's (verdict.Exit).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/oauthconform/oauthconform/internal/runconfig"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout))
}

func run(args []string, out io.Writer) int {
	flags := flag.NewFlagSet("verdict", flag.ContinueOnError)
	flags.SetOutput(out)
	results := flags.String("results", "", "results.json of the run (default: results.json in the run profile's reports.dir)")
	config := flags.String("config", "ginkgo.yaml", "run profile, to find reports.dir when -results is not given")
	strict := flags.Bool("strict", false, "warnings fail the run")
	failOn := flags.String("fail-on", "", "gate on severity instead of level: critical, high, medium, low or none (default: the run profile's fail_on, else any unwaived MUST failure)")
	since := flags.Int64("since", 0, "Unix time the run started: older results are from an earlier run (exit 2)")
	ginkgoStatus := flags.Int("ginkgo-status", -1, "Ginkgo's exit status, when known: a failed suite is never reported as a success")
	if err := flags.Parse(args); err != nil {
		return int(verdict.ExitNotRun)
	}
	say := func(status verdict.Status, format string, a ...any) int {
		fmt.Fprintf(out, "oauthconform: exit %d: %s\n", status, fmt.Sprintf(format, a...))
		return int(status)
	}
	policy := verdict.Policy{Strict: *strict}
	sev, err := verdict.ParseFailOn(*failOn)
	if err != nil {
		return say(verdict.ExitNotRun, "the harness could not run: -%v", err)
	}
	policy.FailOn = sev
	path := *results
	if path == "" || *failOn == "" {
		cfg, err := runconfig.Load(*config)
		switch {
		case err != nil && path == "":
			return say(verdict.ExitNotRun, "the harness could not run: %v", err)
		case err == nil && path == "":
			path = filepath.Join(cfg.Resolve(cfg.Reports.Dir), "results.json")
		}
		if err == nil && *failOn == "" {
			policy.FailOn, _ = verdict.ParseFailOn(cfg.FailOn)
		}
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return say(verdict.ExitNotRun, "the harness could not run: no %s (see the error above it)", path)
	case err != nil:
		return say(verdict.ExitNotRun, "the harness could not run: %v", err)
	case *since > 0 && info.ModTime().Before(time.Unix(*since, 0)):
		return say(verdict.ExitNotRun, "the harness could not run: %s is from an earlier run (%s); see the error above it", path, info.ModTime().Format(time.RFC3339))
	}
	rows, err := verdict.ReadRows(path)
	if err != nil {
		return say(verdict.ExitNotRun, "the harness could not run: %v", err)
	}
	status, reason := verdict.Exit(rows, policy)
	if status == verdict.ExitOK && *ginkgoStatus > 0 && !verdict.AnyFailed(rows) {
		// A failed MUST check fails its Ginkgo spec; under --fail-on it may
		// still not fail the run. Only a Ginkgo failure no row explains does.
		return say(verdict.ExitFailed, "every check is decided without a MUST failure, but the suite failed (Ginkgo exit %d): see its output", *ginkgoStatus)
	}
	return say(status, "%s", reason)
}
