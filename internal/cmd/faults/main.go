// Command faults proves that every check can fail: it runs the suites
// against the secure mock (every check must pass, or pass with an
// observation reported as info), then, for each mock
// fault, only the checks that name it with that fault on, and expects each
// of them to fail (MUST) or warn (SHOULD), and the run's exit status to be
// non-zero exactly when a MUST check failed. It ends with "proven N/M".
//
// A check may be skipped by the secure mock only when its fault implies
// other faults (mockserver.Fault.Implies): the checks of an implicit
// response have nothing to judge on a mock that does not offer the implicit
// grant, and their faults imply implicit_offered. Those checks must pass in
// a second baseline run with the implied faults on (and only those checks
// selected); any other skip, and any other verdict, fails the secure baseline.
//
//	go run ./internal/cmd/faults -suite bin/suites.test
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/suitebin"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

type result = verdict.Row

type run struct {
	fault    string   // the fault proven, or "" for a baseline
	faults   []string // the faults switched on (default: fault)
	variants string   // the mock variants switched on, comma-separated ("" for none)
	name     string   // the reports directory (default: fault, or "secure")
	checks   []catalog.Check
	results  map[string]result
	exitCode int
	err      error
	log      string
}

func main() {
	suite := flag.String("suite", "bin/suites.test", "compiled suite binary (go test -c ./suites)")
	out := flag.String("out", "oauthconform-reports/faults", "directory for each run's reports")
	parallel := flag.Int("parallel", 2, "runs at once (each has its own mock and browser)")
	only := flag.String("only", "", "comma-separated fault names to prove (default: all)")
	under := flag.String("under", strings.Join(defaultUnder, ","), "comma-separated mock variant sets (name+name) under which the checks -under-checks selects are proven again; empty: none")
	underChecks := flag.String("under-checks", "RU-,AE-,HS-01,HS-02,HS-03,HS-04", "comma-separated check IDs or ID prefixes proven again under -under")
	collateral := flag.Bool("collateral", false, "instead of the proof: run the whole catalog once per fault and fail on a check a fault breaks that its definition does not name (catalog.Breaks)")
	flag.Parse()

	if err := catalog.Validate(); err != nil {
		fail(err)
	}
	byFault := map[string][]catalog.Check{}
	for _, c := range catalog.All() {
		byFault[string(c.Fault)] = append(byFault[string(c.Fault)], c)
	}
	known := map[string]bool{}
	implies := map[string][]string{}
	var runs []*run
	for _, mf := range mockserver.AllFaults() {
		name := string(mf.Name)
		known[name] = true
		implies[name] = fault.Strings(mf.Implies)
		if *only != "" && !strings.Contains(","+*only+",", ","+name+",") {
			continue
		}
		if len(byFault[name]) == 0 {
			fmt.Printf("note: mock fault %s is used by no check\n", name)
			continue
		}
		runs = append(runs, &run{fault: name, checks: byFault[name]})
	}
	for name, checks := range byFault {
		if !known[name] {
			fail(fmt.Errorf("check %s names fault %q, which the mock does not have", checks[0].ID, name))
		}
	}

	secure := &run{}
	execute(*suite, *out, secure)
	if secure.err != nil {
		fail(fmt.Errorf("secure mock run: %v\n%s", secure.err, secure.log))
	}
	var broken []string
	// second is the baseline of the checks the secure mock skips because
	// they need a behaviour it does not have, with the faults that turn it on.
	second := &run{name: "secure+implied"}
	impliedOn := map[string]bool{}
	for _, c := range catalog.All() {
		r := secure.results[c.ID]
		switch {
		case passed(r) && (c.Level != catalog.May || r.Verdict == verdict.Pass):
			// A MAY check reports info under its fault, so its secure baseline is a plain pass.
		case r.Verdict == verdict.Skipped && len(implies[string(c.Fault)]) > 0:
			second.checks = append(second.checks, c)
			for _, f := range implies[string(c.Fault)] {
				if !impliedOn[f] {
					impliedOn[f] = true
					second.faults = append(second.faults, f)
				}
			}
		default:
			broken = append(broken, fmt.Sprintf("%s %s %s", c.ID, r.Verdict, r.Reason))
		}
	}
	if len(broken) > 0 || secure.exitCode != 0 {
		fail(fmt.Errorf("the secure mock must pass every check (exit %d):\n  %s", secure.exitCode, strings.Join(broken, "\n  ")))
	}
	if len(second.checks) > 0 {
		sort.Strings(second.faults)
		execute(*suite, *out, second)
		if second.err != nil {
			fail(fmt.Errorf("secure mock run with %s: %v\n%s", strings.Join(second.faults, ","), second.err, second.log))
		}
		for _, c := range second.checks {
			if r := second.results[c.ID]; !passed(r) {
				broken = append(broken, fmt.Sprintf("%s %s %s", c.ID, r.Verdict, r.Reason))
			}
		}
		if len(broken) > 0 || second.exitCode != 0 {
			fail(fmt.Errorf("the checks the secure mock skips must pass with %s on (exit %d):\n  %s",
				strings.Join(second.faults, ","), second.exitCode, strings.Join(broken, "\n  ")))
		}
		fmt.Printf("secure baseline: %d checks skipped, passed with %s on\n", len(second.checks), strings.Join(second.faults, ","))
	}

	if *collateral {
		os.Exit(collateralDamage(*suite, *out, *parallel, runs, secure, second))
	}
	underRuns, err := underVariants(*suite, *out, runs, *under, *underChecks)
	if err != nil {
		fail(err)
	}
	executeAll(*suite, *out, *parallel, append(append([]*run(nil), runs...), underRuns...))

	proven, total, lines := prove(runs)
	fmt.Println("base proof (the secure mock with each fault):")
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Printf("proven %d/%d\n", proven, total)
	ok := proven == total && total == len(catalog.All())
	if len(underRuns) > 0 {
		uProven, uTotal, uLines := prove(underRuns)
		fmt.Printf("under-variant proof (each fault again under %s, for the checks %s):\n", *under, *underChecks)
		for _, l := range uLines {
			fmt.Println(l)
		}
		fmt.Printf("proven under variants %d/%d\n", uProven, uTotal)
		ok = ok && uProven == uTotal
	}
	if !ok {
		os.Exit(1)
	}
}

// defaultUnder are the variant sets the redirect-URI, authorization-endpoint
// and framing checks are proven under again, each alone: a consent page on
// every authorization, the login on another origin and error pages with
// status 200 (issue 13: a page that is neither a redirect nor an error
// status must not read as a refusal).
var defaultUnder = []string{"consent_every_time", "login_other_origin", "errors_200"}

// The Makefile's FAULTS_UNDER leaves consent_every_time out until the
// redirect-URI checks follow a consent page in the browser.

// executeAll runs the runs, parallel at a time.
func executeAll(suite, out string, parallel int, runs []*run) {
	sem := make(chan struct{}, max(1, parallel))
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			execute(suite, out, r)
		}()
	}
	wg.Wait()
}

// underVariants makes, for each variant set of under, a secure baseline of
// the selected checks under it (which must pass) and a run per fault of the
// selected checks among the fault's own. The baselines run at once.
func underVariants(suite, out string, runs []*run, under, selected string) ([]*run, error) {
	var prefixes []string
	for _, p := range strings.Split(selected, ",") {
		if p = strings.TrimSpace(p); p != "" {
			prefixes = append(prefixes, p)
		}
	}
	pick := func(checks []catalog.Check) []catalog.Check {
		var out []catalog.Check
		for _, c := range checks {
			for _, p := range prefixes {
				if c.ID == p || strings.HasPrefix(c.ID, p) && strings.HasSuffix(p, "-") {
					out = append(out, c)
					break
				}
			}
		}
		return out
	}
	var sets []string
	for _, set := range strings.Split(under, ",") {
		if set = strings.TrimSpace(set); set == "" {
			continue
		}
		vs, err := mockserver.ParseVariants(strings.Split(set, "+"))
		if err != nil {
			return nil, fmt.Errorf("-under: %w", err)
		}
		names := make([]string, len(vs))
		for i, v := range vs {
			names[i] = v.String()
		}
		sets = append(sets, strings.Join(names, ","))
	}
	var baselines, underRuns []*run
	for _, set := range sets {
		tag := strings.ReplaceAll(set, ",", "+")
		b := &run{name: "secure@" + tag, variants: set, checks: pick(catalog.All())}
		if len(b.checks) == 0 {
			return nil, fmt.Errorf("-under-checks %q selects no check", selected)
		}
		baselines = append(baselines, b)
		for _, r := range runs {
			if cs := pick(r.checks); len(cs) > 0 {
				underRuns = append(underRuns, &run{fault: r.fault, variants: set, name: r.fault + "@" + tag, checks: cs})
			}
		}
	}
	executeAll(suite, out, 2, baselines)
	var broken []string
	for _, b := range baselines {
		if b.err != nil {
			return nil, fmt.Errorf("secure mock under %s: %v\n%s", b.variants, b.err, b.log)
		}
		for _, c := range b.checks {
			if r := b.results[c.ID]; !passed(r) {
				broken = append(broken, fmt.Sprintf("%s under %s: %s %s", c.ID, b.variants, r.Verdict, r.Reason))
			}
		}
	}
	if len(broken) > 0 {
		return nil, fmt.Errorf("the secure mock under a variant must pass every check proven under it:\n  %s", strings.Join(broken, "\n  "))
	}
	return underRuns, nil
}

// prove judges fault runs: each check must fail (MUST) or warn (SHOULD),
// and the run exit non-zero exactly when a MUST check is among them.
func prove(runs []*run) (proven, total int, lines []string) {
	for _, r := range runs {
		wantExit := 0
		for _, c := range r.checks {
			if c.Level == catalog.Must {
				wantExit = 1
			}
		}
		for _, c := range r.checks {
			total++
			want := verdict.Broken(c.Level, false)
			got := r.results[c.ID]
			ok := r.err == nil && got.Verdict == want && (r.exitCode != 0) == (wantExit != 0)
			status := "proven"
			if ok {
				proven++
			} else {
				status = fmt.Sprintf("NOT PROVEN (verdict %q, want %q; exit %d; %v)", got.Verdict, want, r.exitCode, r.err)
			}
			under := ""
			if r.variants != "" {
				under = " under " + r.variants
			}
			lines = append(lines, fmt.Sprintf("%-8s %-6s fault %-34s%s %s", c.ID, c.Level, r.fault, under, status))
		}
		if r.err != nil {
			fmt.Fprintf(os.Stderr, "fault %s: %v\n%s\n", r.fault, r.err, r.log)
		}
	}
	sort.Strings(lines)
	return proven, total, lines
}

// passed reports whether a secure baseline accepts the verdict: pass, or
// pass with an observation (info).
func passed(r result) bool { return r.Verdict == verdict.Pass || r.Verdict == verdict.Info }

// execute runs the suite binary with r's faults and label filter and reads its results.
func execute(suite, out string, r *run) {
	name := r.name
	if name == "" {
		name = r.fault
	}
	if name == "" {
		name = "secure"
	}
	faults := r.faults
	if faults == nil && r.fault != "" {
		faults = []string{r.fault}
	}
	dir := filepath.Join(out, name)
	args := []string{"-faults", strings.Join(faults, ","), "-variants", r.variants}
	if len(r.checks) > 0 {
		ids := make([]string, len(r.checks))
		for i, c := range r.checks {
			ids[i] = c.ID
		}
		args = append(args, "-ginkgo.label-filter", strings.Join(ids, " || "))
	}
	res, err := suitebin.RunSuite(suite, dir, args...)
	r.log, r.exitCode = res.Log, res.ExitCode
	if err != nil {
		r.err = err
		return
	}
	r.results = map[string]result{}
	for _, row := range res.Rows {
		r.results[row.ID] = row
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "faults:", err)
	os.Exit(1)
}
