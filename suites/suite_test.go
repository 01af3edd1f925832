// Package suites holds the conformance suites: one Ginkgo suite, one file per
// flow, each spec one catalog check. Run them with `make conformance`.
package suites

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/reports"
)

var (
	flags = harness.RegisterFlags(flag.CommandLine)
	// env is the run's environment, shared by every spec of this process.
	env *harness.Env
)

func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	// Configuration errors surface here, before any browser starts.
	var err error
	env, err = harness.Load(flags)
	if err != nil {
		fmt.Fprintln(os.Stderr, "oauthconform:", err)
		t.FailNow()
	}
	defer env.Close()
	RunSpecs(t, "OAuth 2.0 conformance: "+env.Profile.Name)
}

var _ = BeforeSuite(func(ctx SpecContext) {
	if err := env.Start(ctx); err != nil {
		Fail(env.Redactor.String(err.Error()))
	}
}, NodeTimeout(90_000_000_000))

var _ = ReportAfterSuite("reports", func(report types.Report) {
	if env == nil {
		return
	}
	results := reports.Results(report)
	Expect(reports.WriteJUnit(report, filepath.Join(env.ReportsDir, "junit.xml"), env.Redactor)).To(Succeed())
	Expect(reports.WriteResultsJSON(filepath.Join(env.ReportsDir, "results.json"), results, env.Redactor)).To(Succeed())
	fmt.Fprintf(os.Stdout, "\ntarget: %s (%s)\n", env.Profile.Name, env.Endpoints.Issuer)
	if len(env.Faults) > 0 {
		fmt.Fprintf(os.Stdout, "mock faults on: %v\n", env.Faults)
	}
	reports.WriteSummary(os.Stdout, results, env.Redactor)
	fmt.Fprintf(os.Stdout, "reports: %s\n", env.ReportsDir)
})

// background is for cleanups that must run after a spec's context ended.
var background = context.Background
