package reports

import (
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/onsi/ginkgo/v2/reporters"
)

// WriteSetupFailure records a run that could not start (a broken run
// profile, target profile or waivers file) in dir: junit.xml with one
// erroring test case that carries the message, and summary.md. The other
// artifacts of an earlier run are removed, so that nothing reads a stale
// verdict as this run's.
func WriteSetupFailure(dir string, cause error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var errs []error
	for _, stale := range []string{"results.json", "report.json", "report.html"} {
		if err := os.Remove(filepath.Join(dir, stale)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	msg := cause.Error()
	suites := reporters.JUnitTestSuites{
		Tests: 1, Errors: 1,
		TestSuites: []reporters.JUnitTestSuite{{
			Name: "OAuth 2.0 conformance", Tests: 1, Errors: 1,
			TestCases: []reporters.JUnitTestCase{{
				Name: "configuration", Classname: "OAuth 2.0 conformance", Status: "error",
				Error: &reporters.JUnitError{Message: msg, Type: "configuration", Description: msg},
			}},
		}},
	}
	out, err := xml.MarshalIndent(suites, "", "  ")
	if err != nil {
		return err
	}
	errs = append(errs, os.WriteFile(filepath.Join(dir, "junit.xml"), append([]byte(xml.Header), append(out, '\n')...), 0o644))
	summary := fmt.Sprintf("## oauthconform — could not run (exit 2)\n\nNo check ran: the configuration is broken.\n\n```\n%s\n```\n", msg)
	errs = append(errs, os.WriteFile(filepath.Join(dir, "summary.md"), []byte(summary), 0o644))
	return errors.Join(errs...)
}
