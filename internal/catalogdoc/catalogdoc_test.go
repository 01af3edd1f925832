package catalogdoc

import (
	"bytes"
	"os"
	"testing"
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
// catalog's (or the mock's) count, never a number typed once and left
// (make docs rewrites them).
func TestREADMECountsMatchTheCatalog(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := READMECounts(readme)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readme, want) {
		t.Fatal("README.md states counts the catalog does not have: run `make docs`")
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
