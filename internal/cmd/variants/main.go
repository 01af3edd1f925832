// Command variants proves that a pass does not depend on how the bundled
// mock happens to be built: it runs the whole catalog against each of the
// mock's secure variants (mockserver -list-variants) and a few combinations
// of them, prints per run the verdict counts and the wall time, and fails
// when any check of any run ends in fail or error. A variant is secure: the
// checks must pass, warn only where a SHOULD is really not met, or be
// skipped with their reason.
//
//	go run ./internal/cmd/variants -suite bin/suites.test
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/oauthconform/oauthconform/internal/suitebin"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver"
)

// combinations are variants run together: the ways of being different that
// real providers combine.
var combinations = [][]mockserver.Variant{
	{mockserver.ConsentEveryTime, mockserver.LoginOtherOrigin, mockserver.ErrorsStatus200},
	{mockserver.ConsentRemembered, mockserver.LoginJSForm, mockserver.ErrorsOtherOrigin, mockserver.LoginGet307},
	{mockserver.PKCERequiredAll, mockserver.NonceRequired, mockserver.OpaqueAccessTokens, mockserver.NoImplicit, mockserver.ScopeNarrowed},
}

// maxListed bounds the failed or undecided checks listed per run.
const maxListed = 12

type result = verdict.Row

type run struct {
	variants []mockserver.Variant
	name     string
	counts   map[verdict.Verdict]int
	bad      []result // fail and error
	exitCode int
	wall     time.Duration
	err      error
	log      string
}

func main() {
	suite := flag.String("suite", "bin/suites.test", "compiled suite binary (go test -c ./suites)")
	out := flag.String("out", "oauthconform-reports/variants", "directory for each run's reports")
	parallel := flag.Int("parallel", 2, "runs at once (each has its own mock and browser)")
	only := flag.String("only", "", "comma-separated variant names, or name+name combinations, to run (default: every variant and the built-in combinations)")
	flag.Parse()

	runs, err := plan(*only)
	if err != nil {
		fail(err)
	}
	start := time.Now()
	sem := make(chan struct{}, max(1, *parallel))
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			execute(*suite, *out, r)
		}()
	}
	wg.Wait()

	broken := 0
	for _, r := range runs {
		status := "ok"
		if r.err != nil || len(r.bad) > 0 {
			status = "NOT GREEN"
			broken++
		}
		fmt.Printf("%-80s %5.1fs  %s  %s\n", r.name, r.wall.Seconds(), countLine(r.counts), status)
		if r.err != nil {
			fmt.Printf("    run failed: %v\n%s\n", r.err, indent(tail(r.log, 30)))
		}
		for i, b := range r.bad {
			if i == maxListed && len(r.bad) > maxListed+1 {
				fmt.Printf("    … and %d more (reports in %s)\n", len(r.bad)-i, filepath.Join(*out, r.name))
				break
			}
			fmt.Printf("    %-8s %-7s %s\n", b.ID, b.Verdict, firstLine(b.Reason))
		}
	}
	fmt.Printf("variants: %d of %d runs green in %.0fs\n", len(runs)-broken, len(runs), time.Since(start).Seconds())
	if broken > 0 {
		os.Exit(1)
	}
}

// plan lists the runs: every variant alone and the combinations, or those
// -only names.
func plan(only string) ([]*run, error) {
	var sets [][]mockserver.Variant
	if only == "" {
		for _, v := range mockserver.AllVariants() {
			sets = append(sets, []mockserver.Variant{v.Variant})
		}
		sets = append(sets, combinations...)
	} else {
		for _, spec := range strings.Split(only, ",") {
			if spec = strings.TrimSpace(spec); spec == "" {
				continue
			}
			vs, err := mockserver.ParseVariants(strings.Split(spec, "+"))
			if err != nil {
				return nil, err
			}
			sets = append(sets, vs)
		}
	}
	var runs []*run
	for _, vs := range sets {
		if _, err := mockserver.VariantsProfile(vs); err != nil {
			return nil, err
		}
		names := make([]string, len(vs))
		for i, v := range vs {
			names[i] = v.String()
		}
		runs = append(runs, &run{variants: vs, name: strings.Join(names, "+")})
	}
	return runs, nil
}

// execute runs the whole catalog against the mock with r's variants.
func execute(suite, out string, r *run) {
	dir := filepath.Join(out, r.name)
	names := make([]string, len(r.variants))
	for i, v := range r.variants {
		names[i] = v.String()
	}
	res, err := suitebin.RunSuite(suite, dir, "-faults", "", "-variants", strings.Join(names, ","))
	r.wall, r.log, r.exitCode = res.Wall, res.Log, res.ExitCode
	if err != nil {
		r.err = err
		return
	}
	rows := res.Rows
	r.counts = verdict.CountRows(rows)
	for _, row := range rows {
		if row.Verdict == verdict.Fail || row.Verdict == verdict.Error {
			r.bad = append(r.bad, row)
		}
	}
	sort.Slice(r.bad, func(i, j int) bool { return r.bad[i].ID < r.bad[j].ID })
	if r.exitCode != 0 && len(r.bad) == 0 {
		r.err = fmt.Errorf("exit %d without a failed or undecided check", r.exitCode)
	}
}

func countLine(c map[verdict.Verdict]int) string {
	var parts []string
	for _, v := range []verdict.Verdict{verdict.Pass, verdict.Fail, verdict.Warning, verdict.Info, verdict.Skipped, verdict.Error} {
		parts = append(parts, fmt.Sprintf("%d %s", c[v], v))
	}
	return strings.Join(parts, ", ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "variants:", err)
	os.Exit(1)
}
