package reports_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestReportsDoNotImportTheHarness: the reports render a document; they
// know nothing of how a run is driven (go list -deps ./reports).
func TestReportsDoNotImportTheHarness(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch strings.TrimPrefix(dep, "github.com/oauthconform/oauthconform/") {
		case "internal/harness", "driver", "mockserver":
			t.Errorf("reports depends on %s", dep)
		}
	}
}
