// Package suitebin prepares end-to-end tests that run the compiled suite
// binary and internal/cmd/verdict exactly as scripts/conformance.sh does.
package suitebin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/oauthconform/oauthconform/internal/harness"
)

// Binaries are what an end-to-end test runs.
type Binaries struct {
	Suite   string // the compiled suite (OAUTHCONFORM_SUITE_BIN)
	Verdict string // internal/cmd/verdict, built for the test run
	Root    string // the repository root
}

// Setup returns the binaries for the tests of pkg, building the verdict
// command into a temporary directory that cleanup removes. Without
// OAUTHCONFORM_SUITE_BIN it prints why and exits 0: the make target
// (makeTarget) compiles the suite and sets it.
func Setup(pkg, makeTarget string) (b Binaries, cleanup func()) {
	b.Suite = os.Getenv("OAUTHCONFORM_SUITE_BIN")
	if b.Suite == "" {
		fmt.Printf("skipping %s: OAUTHCONFORM_SUITE_BIN is not set (run `%s`)\n", pkg, makeTarget)
		os.Exit(0)
	}
	root, err := harness.RepoRoot()
	if err != nil {
		fail(err)
	}
	b.Root = root
	dir, err := os.MkdirTemp("", "oauthconform-e2e-")
	if err != nil {
		fail(err)
	}
	b.Verdict = filepath.Join(dir, "verdict")
	build := exec.Command("go", "build", "-o", b.Verdict, "./internal/cmd/verdict")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fail(fmt.Errorf("build internal/cmd/verdict: %v\n%s", err, out))
	}
	return b, func() { _ = os.RemoveAll(dir) }
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "suitebin:", err)
	os.Exit(1)
}
