// Command oauthconform tests an OAuth 2.0 / OpenID Connect provider for
// conformance and security in a real headless Chromium. It carries the whole
// check catalog, the bundled mock authorization server and the default
// configuration, so it runs from any directory:
//
//	go install github.com/oauthconform/oauthconform/cmd/oauthconform@latest
//	oauthconform run                        # the catalog against the bundled mock
//	oauthconform run --target provider.yaml # against your provider
//
// `oauthconform help` lists the subcommands; `oauthconform help run` (or
// `oauthconform run --help`) explains one.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "run the check catalog against a provider, or the bundled mock", runCmd},
		{"mock", "serve the bundled mock authorization server (with faults or variants)", mockCmd},
		{"validate", "check a target profile, run profile or waivers file (no browser)", validateCmd},
		{"catalog", "print the check catalog (JSON or markdown)", catalogCmd},
		{"init", "write a first target profile from a provider's discovery and login page", initCmd},
		{"baseline", "write a waivers file that accepts a run's current failures", baselineCmd},
		{"version", "print the version and commit of this binary", versionCmd},
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses of every subcommand but run's own 0/1/2 (docs/reports.md).
const (
	exitOK    = 0
	exitUsage = 2
)

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return dispatch([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "oauthconform: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `oauthconform: OAuth 2.0 and OpenID Connect provider conformance and security
tests, run in a real headless Chromium.

Usage:
  oauthconform <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
"oauthconform <command> --help" explains a command.

Start with "oauthconform run": the whole catalog against the bundled mock,
which shows what a report looks like. Then "oauthconform init --issuer URL"
writes a profile for your provider, and "oauthconform run --target
profile.yaml" tests it.

Documentation: https://github.com/oauthconform/oauthconform (README,
docs/reports.md for the reports and exit statuses, docs/ci.md for CI).
`)
}

// printFlags lists a command's flags the way they are typed: --name VALUE.
func printFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintln(fs.Output(), line)
		text := "      " + usage
		if f.DefValue != "" && f.DefValue != "false" {
			text += " (default " + f.DefValue + ")"
		}
		fmt.Fprintln(fs.Output(), text)
	})
}
