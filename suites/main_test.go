package suites

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/oauthconform/oauthconform/internal/harness"
)

// The suite's flags, for `go test ./suites` and the ginkgo CLI; Ginkgo's
// own come as -ginkgo.*.
var (
	flags         = harness.RegisterFlags(flag.CommandLine)
	browserRemote = flag.String("browser-remote", "", "DevTools URL (ws://… or http://host:port) of a running browser to use instead of launching one (overrides ginkgo.yaml browser.remote)")
)

func TestConformance(t *testing.T) {
	if _, err := Run(t, Options{Flags: flags, BrowserRemote: *browserRemote}); err != nil {
		fmt.Fprintln(os.Stderr, "oauthconform:", err)
		t.FailNow()
	}
}
