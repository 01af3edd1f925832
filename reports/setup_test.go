package reports_test

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/oauthconform/oauthconform/reports"
)

// A run that cannot start still leaves reports that say so, and none of an
// earlier run's verdicts.
func TestWriteSetupFailure(t *testing.T) {
	dir := t.TempDir()
	for _, stale := range []string{"results.json", "report.json", "report.html"} {
		if err := os.WriteFile(filepath.Join(dir, stale), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cause := errors.New("profile p.yaml:5: clients.service.secret: environment variable SVC_SECRET is not set")
	if err := reports.WriteSetupFailure(dir, cause); err != nil {
		t.Fatal(err)
	}
	for _, stale := range []string{"results.json", "report.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, stale)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s from an earlier run is still there", stale)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var suites reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatal(err)
	}
	if suites.Errors != 1 || len(suites.TestSuites) != 1 || len(suites.TestSuites[0].TestCases) != 1 {
		t.Fatalf("junit.xml: %+v", suites)
	}
	if tc := suites.TestSuites[0].TestCases[0]; tc.Error == nil || tc.Error.Message != cause.Error() {
		t.Errorf("test case %+v does not carry the cause", tc)
	}
	summary, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil || !strings.Contains(string(summary), cause.Error()) {
		t.Errorf("summary.md %q, %v", summary, err)
	}
}
