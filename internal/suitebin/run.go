package suitebin

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

// Run is one run of the compiled suite binary, as the proof commands
// (internal/cmd/faults, internal/cmd/variants) make it.
type Run struct {
	Log      string        // combined output
	ExitCode int           // the binary's exit status
	Wall     time.Duration // how long it ran
	Rows     []verdict.Row // results.json, one row per check
}

// RunSuite runs suite with its reports in dir and args after them, and
// reads the rows of dir/results.json. The error says why the run has no
// results (the binary could not start, or wrote none); a non-zero exit
// with results is not an error: the rows say why.
func RunSuite(suite, dir string, args ...string) (Run, error) {
	cmd := exec.Command(suite, append([]string{"-ginkgo.no-color", "-reports-dir", dir}, args...)...)
	begin := time.Now()
	logb, err := cmd.CombinedOutput()
	r := Run{Log: string(logb), Wall: time.Since(begin)}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.ExitCode = exitErr.ExitCode()
	case err != nil:
		return r, err
	}
	rows, err := verdict.ReadRows(filepath.Join(dir, "results.json"))
	if err != nil {
		return r, fmt.Errorf("no results (exit %d): %w", r.ExitCode, err)
	}
	r.Rows = rows
	return r, nil
}
