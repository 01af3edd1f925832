package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/profile"
	"github.com/oauthconform/oauthconform/internal/runconfig"
	"github.com/oauthconform/oauthconform/internal/waiver"
)

const validateHelp = `Usage: oauthconform validate [--placeholders] [--config run.yaml] [--waivers waivers.yaml] profile.yaml

Checks a target profile (and, when given, a run profile and a waivers file)
the way "oauthconform run" does before it starts a browser: unknown or
misspelt fields, missing required fields, bad URLs and durations, unset
${VAR} variables, unknown check IDs and bad dates in waivers. Nothing is
sent to the provider.

Each broken file is one message naming the file, the line and the field.

Exit status: 0 when every file given is valid, 2 when one is not.

Flags:
`

func validateCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), validateHelp)
		printFlags(fs)
	}
	placeholders := fs.Bool("placeholders", false, "treat unset ${VAR} variables as set (check the structure in CI without the secrets)")
	config := fs.String("config", "", "a run profile to validate too")
	waivers := fs.String("waivers", "", "a waivers file to validate too")
	if err := fs.Parse(reorder(args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() == 0 && *config == "" && *waivers == "" {
		fmt.Fprintln(stderr, "oauthconform validate: no file given (oauthconform validate profile.yaml)")
		return exitUsage
	}
	lookup := os.LookupEnv
	if *placeholders {
		lookup = func(name string) (string, bool) {
			if v, ok := os.LookupEnv(name); ok && v != "" {
				return v, true
			}
			return "placeholder-" + strings.ToLower(name), true
		}
	}
	status := exitOK
	bad := func(err error) {
		fmt.Fprintln(stderr, "oauthconform:", err)
		status = exitUsage
	}
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			bad(fmt.Errorf("profile %s: %w", path, errors.Unwrap(err)))
			continue
		}
		p, err := profile.Parse(path, data, lookup)
		if err != nil {
			bad(err)
			continue
		}
		fmt.Fprintf(stdout, "%s: valid target profile %q (issuer %s; roles: %s; %d login steps)\n", path, p.Name, orDash(p.Issuer), strings.Join(roles(p), ", "), len(p.Login))
	}
	if *config != "" {
		if _, err := runconfig.Load(*config); err != nil {
			bad(err)
		} else {
			fmt.Fprintf(stdout, "%s: valid run profile\n", *config)
		}
	}
	if *waivers != "" {
		list, err := waiver.Load(*waivers, func(id string) bool { _, ok := catalog.ByID(id); return ok })
		if err != nil {
			bad(err)
		} else {
			fmt.Fprintf(stdout, "%s: valid waivers file (%d waivers)\n", *waivers, len(list.Waivers))
		}
	}
	return status
}

// roles names the client roles a profile defines.
func roles(p *profile.Profile) []string {
	var out []string
	for _, r := range []struct {
		name string
		c    *profile.Client
	}{
		{"confidential", p.Clients.Confidential}, {"confidential2", p.Clients.Confidential2},
		{"public", p.Clients.Public}, {"implicit", p.Clients.Implicit},
		{"service", p.Clients.Service}, {"short_lived", p.Clients.ShortLived}, {"par_required", p.Clients.ParRequired},
		{"device", p.Clients.Device}, {"device_short_lived", p.Clients.DeviceShortLived},
		{"private_key_jwt", p.Clients.KeyOnly},
		{"mtls", p.Clients.MTLS}, {"mtls_self_signed", p.Clients.MTLSSelfSigned},
	} {
		if r.c != nil {
			out = append(out, r.name)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// reorder puts flags before positional arguments, so that
// "validate profile.yaml --placeholders" works as people type it.
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && (name == "config" || name == "waivers") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(flags, pos...)
}
