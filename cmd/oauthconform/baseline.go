package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/runconfig"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/internal/waiver"
)

const baselineHelp = `Usage: oauthconform baseline [--from oauthconform-reports/results.json] [--out waivers.yaml] [--days 90 | --expires YYYY-MM-DD]

Writes a waivers file that accepts every current failure of a run, for a
team that adopts the gate on a provider that is not yet clean: from then on
the run fails only on what gets worse. Each waiver carries the check's
reason from the run and an expiry date, after which the check fails the run
again. Checks that fail (MUST) and warn (SHOULD, so that --strict passes
too) are waived; an undecided check (error) is not a finding and cannot be
waived: baseline lists those and they still fail the run.

Use it with "oauthconform run --waivers waivers.yaml". A waiver whose check
passes later is reported as stale: delete it.

Flags:
`

func baselineCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), baselineHelp)
		printFlags(fs)
	}
	from := fs.String("from", filepath.Join(runconfig.Default().Reports.Dir, "results.json"), "results.json of the run to accept")
	out := fs.String("out", "waivers.yaml", "the waivers file to write (\"-\": standard output)")
	days := fs.Int("days", 90, "days until the waivers expire")
	expires := fs.String("expires", "", "expiry date YYYY-MM-DD (instead of --days)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "oauthconform baseline: "+format+"\n", a...)
		return exitUsage
	}
	now := time.Now().UTC()
	until := now.AddDate(0, 0, *days)
	if *expires != "" {
		t, err := time.Parse(waiver.DateLayout, *expires)
		if err != nil {
			return fail("--expires %q: want YYYY-MM-DD", *expires)
		}
		until = t
	} else if *days <= 0 {
		return fail("--days %d: want a positive number of days", *days)
	}
	rows, err := verdict.ReadRows(*from)
	if err != nil {
		return fail("%v", err)
	}
	data, waived, undecided, err := baseline(rows, *from, now, until)
	if err != nil {
		return fail("%v", err)
	}
	// What is written must load as the run will load it.
	if _, err := waiver.Parse(*out, data, func(id string) bool { _, ok := catalog.ByID(id); return ok }); err != nil {
		return fail("the file written would not load: %v", err)
	}
	if *out == "-" {
		_, _ = stdout.Write(data)
	} else if err := os.WriteFile(*out, data, 0o644); err != nil {
		return fail("%v", err)
	} else {
		fmt.Fprintf(stdout, "%s: %d waivers, expiring %s\n", *out, waived, until.Format(waiver.DateLayout))
	}
	if len(undecided) > 0 {
		fmt.Fprintf(stderr, "oauthconform baseline: %d undecided checks (error) cannot be waived and still fail the run: %s\n", len(undecided), strings.Join(undecided, ", "))
	}
	return exitOK
}

// baseline renders the waivers file for rows: a waiver for each fail,
// warning and (still failing) waived check.
func baseline(rows []verdict.Row, from string, now, until time.Time) (data []byte, waived int, undecided []string, err error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# Waivers written by \"oauthconform baseline\" on %s from %s:\n", now.Format(waiver.DateLayout), from)
	fmt.Fprintf(&b, "# every failure and warning of that run, accepted until %s.\n", until.Format(waiver.DateLayout))
	b.WriteString("# Replace each reason with the ticket that fixes it; delete a waiver once its check passes.\n")
	b.WriteString("waivers:\n")
	for _, row := range rows {
		switch row.Verdict {
		case verdict.Fail, verdict.Warning, verdict.Waived:
		case verdict.Error:
			undecided = append(undecided, row.ID)
			continue
		default:
			continue
		}
		title := row.Title
		if c, ok := catalog.ByID(row.ID); ok {
			title = c.Title
		}
		reason := firstLine(row.Reason)
		if reason == "" {
			reason = "no reason recorded"
		}
		entry := []struct {
			ID      string `yaml:"id"`
			Reason  string `yaml:"reason"`
			Expires string `yaml:"expires"`
		}{{row.ID, fmt.Sprintf("baseline %s (%s): %s", now.Format(waiver.DateLayout), row.Verdict, reason), until.Format(waiver.DateLayout)}}
		y, err := yaml.Marshal(entry)
		if err != nil {
			return nil, 0, nil, err
		}
		fmt.Fprintf(&b, "  # %s %s: %s\n", row.ID, row.Level, title)
		for _, line := range strings.Split(strings.TrimRight(string(y), "\n"), "\n") {
			b.WriteString("  " + line + "\n")
		}
		waived++
	}
	if waived == 0 {
		b.WriteString("  []\n")
		s := strings.Replace(b.String(), "waivers:\n  []\n", "waivers: []\n", 1)
		return []byte(s), 0, undecided, nil
	}
	return []byte(b.String()), waived, undecided, nil
}

// firstLine is the first non-empty line of s, at most 200 characters.
func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if r := []rune(line); len(r) > 200 {
				line = string(r[:200]) + "…"
			}
			return strings.TrimSuffix(line, ":")
		}
	}
	return ""
}
