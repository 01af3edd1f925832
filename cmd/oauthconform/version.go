package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/oauthconform/oauthconform/internal/buildinfo"
)

func versionCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: oauthconform version\n\nPrints the module version and the commit this binary was built from (every report carries them too).\n")
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	fmt.Fprintln(stdout, "oauthconform", buildinfo.Read())
	return exitOK
}
