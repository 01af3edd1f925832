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
