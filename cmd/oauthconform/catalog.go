package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/oauthconform/oauthconform/internal/catalogdoc"
)

const catalogHelp = `Usage: oauthconform catalog [--format json|markdown|oidf-parity]

Prints the check catalog: every check's ID, title, area, flows, level
(MUST or SHOULD, the RFC 2119 keyword of the sentence it cites), severity,
spec references and the bundled mock's fault that breaks it. JSON is for
tools; markdown is the table of docs/checks.md; oidf-parity is
docs/oidf-parity.md, the OpenID Foundation conformance suite's OP test
modules mapped to the checks that cover them.

Flags:
`

func catalogCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("catalog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), catalogHelp)
		printFlags(fs)
	}
	format := fs.String("format", "json", "json, markdown or oidf-parity")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	var err error
	switch *format {
	case "json":
		err = catalogdoc.JSON(stdout)
	case "markdown", "md":
		err = catalogdoc.Markdown(stdout)
	case "oidf-parity":
		err = catalogdoc.OIDFParity(stdout)
	default:
		fmt.Fprintf(stderr, "oauthconform catalog: --format %q: want json, markdown or oidf-parity\n", *format)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, "oauthconform catalog:", err)
		return exitUsage
	}
	return exitOK
}
