package catalogdoc

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/mockserver"
)

// docs/checks.md is generated from the catalog; a stale copy misleads readers.
func TestChecksDocIsCurrent(t *testing.T) {
	var want bytes.Buffer
	if err := Markdown(&want); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("docs/checks.md is stale: run `make docs`")
	}
}

// The README states the catalog's size in a few places; each must be the
// catalog's (or the mock's) count, never a number typed once and left.
func TestREADMECountsMatchTheCatalog(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	checks, faults := len(catalog.All()), len(mockserver.AllFaults())
	counts := []struct {
		what string
		re   *regexp.Regexp
		want int
	}{
		{"checks", regexp.MustCompile(`\*\*(\d+) checks\*\*`), checks},
		{"proven checks", regexp.MustCompile(`proven (\d+)/\d+`), checks},
		{"proven total", regexp.MustCompile(`proven \d+/(\d+)`), checks},
		{"faults", regexp.MustCompile(`(\d+) named faults`), faults},
	}
	for _, c := range counts {
		found := c.re.FindAllSubmatch(readme, -1)
		if len(found) == 0 {
			t.Errorf("README.md no longer states the number of %s (%s)", c.what, c.re)
		}
		for _, m := range found {
			if n, _ := strconv.Atoi(string(m[1])); n != c.want {
				t.Errorf("README.md says %q: the catalog has %d %s", m[0], c.want, c.what)
			}
		}
	}
}

// docs/oidf-parity.md is generated from the catalog and the OIDF plans.
func TestOIDFParityDocIsCurrent(t *testing.T) {
	var want bytes.Buffer
	if err := OIDFParity(&want); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/oidf-parity.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("docs/oidf-parity.md is stale: run `make docs`")
	}
}
