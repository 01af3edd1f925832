package reports

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

// WriteSetupFailure records a run that could not start (a broken run
// profile, target profile or waivers file) in dir: junit.xml (rendered from
// a document with no check and one failure outside them) with one erroring
// test case that carries the message, and summary.md. The other
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
	doc := Document{
		Suite: "OAuth 2.0 conformance", SetupError: msg,
		Exit:         Exit{Status: verdict.ExitNotRun, Reason: "the configuration is broken: " + msg},
		NodeFailures: []NodeFailure{{Name: "configuration", Message: msg, Error: true}},
	}
	errs = append(errs, WriteJUnit(filepath.Join(dir, "junit.xml"), doc))
	summary := fmt.Sprintf("## oauthconform — could not run (exit 2)\n\nNo check ran: the configuration is broken.\n\n```\n%s\n```\n", msg)
	errs = append(errs, os.WriteFile(filepath.Join(dir, "summary.md"), []byte(summary), 0o644))
	return errors.Join(errs...)
}
