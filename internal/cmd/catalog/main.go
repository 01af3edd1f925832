// Command catalog prints the check catalog as JSON (the default) or, with
// -markdown, as the human-readable table in docs/checks.md.
//
//	go run ./internal/cmd/catalog            # JSON array of {id,title,area,flows,level,spec,fault}
//	go run ./internal/cmd/catalog -markdown  # docs/checks.md
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/catalogdoc"
)

func main() {
	markdown := flag.Bool("markdown", false, "print docs/checks.md instead of JSON")
	flag.Parse()
	if err := catalog.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	write := catalogdoc.JSON
	if *markdown {
		write = catalogdoc.Markdown
	}
	if err := write(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
