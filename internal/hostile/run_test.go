package hostile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/suitebin"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

// The robustness tests run the compiled suite binary (OAUTHCONFORM_SUITE_BIN,
// `make robustness`) and internal/cmd/verdict exactly as scripts/conformance.sh
// does, and are skipped without it.
var (
	suiteBin   string
	verdictBin string
	repoRoot   string
)

func TestMain(m *testing.M) {
	b, cleanup := suitebin.Setup("internal/hostile", "make robustness")
	suiteBin, verdictBin, repoRoot = b.Suite, b.Verdict, b.Root
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// outcome is one run of the suite binary and the verdict command.
type outcome struct {
	output     string // the suite's stdout and stderr
	suiteExit  int
	exit       int // the verdict command's status: what scripts/conformance.sh exits with
	verdictOut string
	elapsed    time.Duration
	results    []verdict.Row  // nil when results.json was not written
	doc        map[string]any // report.json, nil when not written
	browserRan bool           // the fake browser was started (configuration cases)
}

// runSuite runs the suite binary in dir (the reports directory is
// dir/reports) with args, bounded by limit, then the verdict command.
func runSuite(t *testing.T, dir string, limit time.Duration, extraEnv []string, args ...string) outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, suiteBin, args...)
	cmd.Dir = filepath.Join(repoRoot, "suites")
	cmd.Env = append(os.Environ(), extraEnv...)
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	o := outcome{output: out.String(), elapsed: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("the run did not end within %s:\n%s", limit, tail(o.output))
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		o.suiteExit = ee.ExitCode()
	default:
		t.Fatalf("run %s: %v", suiteBin, err)
	}
	reportsDir := filepath.Join(dir, "reports")
	v := exec.Command(verdictBin, "-results", filepath.Join(reportsDir, "results.json"),
		"-since", fmt.Sprint(start.Unix()), "-ginkgo-status", fmt.Sprint(o.suiteExit))
	vout, verr := v.CombinedOutput()
	o.verdictOut = string(vout)
	if errors.As(verr, &ee) {
		o.exit = ee.ExitCode()
	} else if verr != nil {
		t.Fatalf("verdict: %v", verr)
	}
	if rows, err := verdict.ReadRows(filepath.Join(reportsDir, "results.json")); err == nil {
		o.results = rows
	}
	if data, err := os.ReadFile(filepath.Join(reportsDir, "report.json")); err == nil {
		_ = json.Unmarshal(data, &o.doc)
	}
	if _, err := os.Stat(filepath.Join(dir, "browser-started")); err == nil {
		o.browserRan = true
	}
	return o
}

func tail(s string) string {
	if len(s) > 6000 {
		return "…" + s[len(s)-6000:]
	}
	return s
}

func writeFile(t *testing.T, path, data string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runConfig is a ginkgo.yaml for dir with short timeouts and extra lines.
func runConfig(extra string) string {
	return `reports:
  dir: reports
timeouts:
  http: 2s
  step: 4s
  flow: 15s
  run: 3m
` + extra
}

func indent(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ") }
