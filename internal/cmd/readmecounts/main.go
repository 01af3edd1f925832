// Command readmecounts sets the counts README.md states (checks, proven
// checks, faults) to the catalog's; make docs runs it.
package main

import (
	"fmt"
	"os"

	"github.com/oauthconform/oauthconform/internal/catalogdoc"
)

func main() {
	path := "README.md"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	readme, err := os.ReadFile(path)
	if err == nil {
		var out []byte
		if out, err = catalogdoc.READMECounts(readme); err == nil {
			err = os.WriteFile(path, out, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "readmecounts:", err)
		os.Exit(1)
	}
}
