// Command multi runs the conformance suite against several targets in one
// go (`make multi TARGETS=targets.yaml JOBS=2`), a bounded number at once,
// each in a process of its own with its own browser: one report set per
// target under -out/<name>/, a combined summary (-out/summary.md, printed
// too), every target's JUnit file merged into -out/junit.xml, and the worst
// target's exit status (0 < 1 < 2, docs/reports.md).
//
//	go run ./internal/cmd/multi -suite bin/suites.test [-jobs 2] [-out oauthconform-reports/multi] targets.yaml
//	go run ./internal/cmd/multi -merge-junit merged.xml name=a/junit.xml name=b/junit.xml
//
// The targets file (docs/performance.md):
//
//	targets:
//	  - name: tenant-a                       # the reports directory's name
//	    profile: profiles/tenant-a.yaml      # relative to this file
//	    env: {TENANT_SECRET: "${TENANT_A_SECRET}"}   # for this target only; ${VAR} reads the environment
//	    args: [-waivers, waivers-a.yaml]     # more suite flags (optional)
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/oauthconform/oauthconform/internal/perf"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout))
}

// Target is one entry of the targets file.
type Target struct {
	Name    string            `yaml:"name"`
	Profile string            `yaml:"profile"`
	Env     map[string]string `yaml:"env"`
	Args    []string          `yaml:"args"`
}

type targetsFile struct {
	Targets []Target `yaml:"targets"`
}

// outcome is one target's run.
type outcome struct {
	Target
	exit     verdict.Status
	reason   string
	counts   map[verdict.Verdict]int
	failed   []string // IDs with verdict fail or error
	wall     time.Duration
	peak     perf.Memory
	dir, log string
}

func run(args []string, out io.Writer) int {
	fs := flag.NewFlagSet("multi", flag.ContinueOnError)
	fs.SetOutput(out)
	suite := fs.String("suite", "bin/suites.test", "compiled suite binary (go test -c ./suites)")
	config := fs.String("config", "ginkgo.yaml", "run profile shared by every target")
	outDir := fs.String("out", "oauthconform-reports/multi", "directory for the targets' reports and the summary")
	jobs := fs.Int("jobs", 2, "targets run at once (each starts its own Chromium)")
	strict := fs.Bool("strict", false, "warnings fail a target")
	failOn := fs.String("fail-on", "", "gate each target on severity instead of level: critical, high, medium, low or none")
	timeout := fs.Duration("timeout", 30*time.Minute, "bound on each target's run")
	merge := fs.String("merge-junit", "", "only merge the JUnit files given as name=path arguments into this file")
	if err := fs.Parse(args); err != nil {
		return int(verdict.ExitNotRun)
	}
	sev, err := verdict.ParseFailOn(*failOn)
	if err != nil {
		fmt.Fprintln(out, "multi:", err)
		return int(verdict.ExitNotRun)
	}
	policy := verdict.Policy{Strict: *strict, FailOn: sev}
	if *merge != "" {
		var files []junitFile
		for _, a := range fs.Args() {
			name, path, ok := strings.Cut(a, "=")
			if !ok {
				name, path = filepath.Base(filepath.Dir(a)), a
			}
			files = append(files, junitFile{name, path})
		}
		if err := mergeJUnit(*merge, files); err != nil {
			fmt.Fprintln(out, "multi:", err)
			return int(verdict.ExitNotRun)
		}
		return int(verdict.ExitOK)
	}
	if fs.NArg() == 0 || *jobs < 1 {
		fmt.Fprintln(out, "multi: give a targets file (and -jobs of at least 1)")
		return int(verdict.ExitNotRun)
	}
	var targets []Target
	for _, path := range fs.Args() {
		t, err := loadTargets(path)
		if err != nil {
			fmt.Fprintln(out, "multi:", err)
			return int(verdict.ExitNotRun)
		}
		targets = append(targets, t...)
	}
	if err := checkNames(targets); err != nil {
		fmt.Fprintln(out, "multi:", err)
		return int(verdict.ExitNotRun)
	}
	for _, p := range []*string{suite, config, outDir} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			fmt.Fprintln(out, "multi:", err)
			return int(verdict.ExitNotRun)
		}
		*p = abs
	}
	if _, err := os.Stat(*suite); err != nil {
		fmt.Fprintf(out, "multi: suite binary: %v (make multi builds it)\n", err)
		return int(verdict.ExitNotRun)
	}

	ctx := context.Background()
	start := time.Now()
	results := make([]outcome, len(targets))
	sem := make(chan struct{}, *jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	fmt.Fprintf(out, "== %d targets, %d at once, reports under %s\n", len(targets), *jobs, *outDir)
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := runTarget(ctx, t, *suite, *config, filepath.Join(*outDir, t.Name), policy, *timeout)
			results[i] = o
			mu.Lock()
			fmt.Fprintf(out, "   %-24s exit %d  %6.1fs  peak %4.0f MB PSS  %s\n", o.Name, o.exit, o.wall.Seconds(), float64(o.peak.PSS)/1e6, o.reason)
			mu.Unlock()
		}()
	}
	wg.Wait()
	wall := time.Since(start)

	worst := verdict.ExitOK
	var junits []junitFile
	for _, o := range results {
		worst = max(worst, o.exit)
		if _, err := os.Stat(filepath.Join(o.dir, "junit.xml")); err == nil {
			junits = append(junits, junitFile{o.Name, filepath.Join(o.dir, "junit.xml")})
		}
	}
	md := summary(results, wall, *jobs, worst)
	if err := os.WriteFile(filepath.Join(*outDir, "summary.md"), []byte(md), 0o644); err != nil {
		fmt.Fprintln(out, "multi:", err)
		return int(verdict.ExitNotRun)
	}
	if len(junits) > 0 {
		if err := mergeJUnit(filepath.Join(*outDir, "junit.xml"), junits); err != nil {
			fmt.Fprintln(out, "multi:", err)
			worst = verdict.ExitNotRun
		}
	}
	fmt.Fprint(out, "\n"+md)
	fmt.Fprintf(out, "\nmulti: exit %d (the worst of %d targets); %s\n", worst, len(results), filepath.Join(*outDir, "summary.md"))
	return int(worst)
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// loadTargets reads a targets file; profile paths resolve against its
// directory and ${VAR} in env values reads the environment (an unset one
// is an error naming the target and the variable).
func loadTargets(path string) ([]Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f targetsFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(f.Targets) == 0 {
		return nil, fmt.Errorf("%s: no targets", path)
	}
	dir := filepath.Dir(path)
	for i := range f.Targets {
		t := &f.Targets[i]
		if t.Profile == "" {
			return nil, fmt.Errorf("%s: target %d (%s): no profile", path, i+1, t.Name)
		}
		if !filepath.IsAbs(t.Profile) {
			t.Profile = filepath.Join(dir, t.Profile)
		}
		if t.Profile, err = filepath.Abs(t.Profile); err != nil {
			return nil, err
		}
		if t.Name == "" {
			t.Name = strings.TrimSuffix(filepath.Base(t.Profile), filepath.Ext(t.Profile))
		}
		for k, v := range t.Env {
			var missing []string
			t.Env[k] = varRef.ReplaceAllStringFunc(v, func(m string) string {
				name := varRef.FindStringSubmatch(m)[1]
				val, ok := os.LookupEnv(name)
				if !ok {
					missing = append(missing, name)
				}
				return val
			})
			if len(missing) > 0 {
				return nil, fmt.Errorf("%s: target %s: env %s: %s is not set", path, t.Name, k, strings.Join(missing, ", "))
			}
		}
	}
	return f.Targets, nil
}

func checkNames(targets []Target) error {
	seen := map[string]bool{}
	for _, t := range targets {
		if !validName.MatchString(t.Name) {
			return fmt.Errorf("target name %q: use letters, digits, '.', '_' and '-' (it names a directory)", t.Name)
		}
		if seen[t.Name] {
			return fmt.Errorf("two targets are named %q", t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}

// runTarget runs the suite binary against one target and decides its exit
// status from its results.json, as internal/cmd/verdict does.
func runTarget(ctx context.Context, t Target, suite, config, dir string, policy verdict.Policy, timeout time.Duration) outcome {
	o := outcome{Target: t, dir: dir, log: filepath.Join(dir, "suite.log"), exit: verdict.ExitNotRun}
	if err := os.RemoveAll(dir); err != nil {
		o.reason = err.Error()
		return o
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		o.reason = err.Error()
		return o
	}
	log, err := os.Create(o.log)
	if err != nil {
		o.reason = err.Error()
		return o
	}
	defer log.Close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := []string{"-ginkgo.no-color", "-ginkgo.timeout=" + timeout.String(), "-config=" + config, "-target=" + t.Profile, "-reports-dir=" + dir}
	if policy.Strict {
		args = append(args, "-strict")
	}
	if policy.FailOn != "" {
		args = append(args, "-fail-on="+string(policy.FailOn))
	}
	args = append(args, t.Args...)
	cmd := exec.CommandContext(ctx, suite, args...)
	cmd.Dir = filepath.Dir(config)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = os.Environ()
	for k, v := range t.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.WaitDelay = 10 * time.Second
	started := time.Now()
	if err := cmd.Start(); err != nil {
		o.reason = err.Error()
		return o
	}
	sampler := perf.StartSampler(cmd.Process.Pid, 100*time.Millisecond)
	runErr := cmd.Wait()
	o.wall = time.Since(started)
	o.peak, _ = sampler.Stop()
	ginkgoStatus := 0
	var ee *exec.ExitError
	if errors.As(runErr, &ee) {
		ginkgoStatus = ee.ExitCode()
	} else if runErr != nil {
		o.reason = runErr.Error()
		return o
	}

	path := filepath.Join(dir, "results.json")
	info, err := os.Stat(path)
	if err != nil || info.ModTime().Before(started.Truncate(time.Second)) {
		o.reason = "the harness could not run: no results (see " + o.log + ")"
		return o
	}
	rows, err := verdict.ReadRows(path)
	if err != nil {
		o.reason = err.Error()
		return o
	}
	o.counts = verdict.CountRows(rows)
	for _, r := range rows {
		if r.Verdict == verdict.Fail || r.Verdict == verdict.Error {
			o.failed = append(o.failed, r.ID)
		}
	}
	o.exit, o.reason = verdict.Exit(rows, policy)
	if o.exit == verdict.ExitOK && ginkgoStatus > 0 && !verdict.AnyFailed(rows) {
		o.exit, o.reason = verdict.ExitFailed, fmt.Sprintf("every check is decided without a MUST failure, but the suite failed (exit %d): see %s", ginkgoStatus, o.log)
	}
	return o
}

// summary is the combined Markdown summary.
func summary(results []outcome, wall time.Duration, jobs int, worst verdict.Status) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conformance: %d targets\n\n", len(results))
	fmt.Fprintf(&b, "Exit status **%d** (the worst target's). %d targets, %d at once, %.1f s in all.\n\n", worst, len(results), jobs, wall.Seconds())
	b.WriteString("| target | exit |")
	for _, v := range verdict.CountOrder {
		b.WriteString(" " + string(v) + " |")
	}
	b.WriteString(" time | peak memory (PSS) | reports |\n|---|---|" + strings.Repeat("---|", len(verdict.CountOrder)) + "---|---|---|\n")
	sorted := slices.Clone(results)
	slices.SortStableFunc(sorted, func(a, b outcome) int { return int(b.exit) - int(a.exit) })
	for _, o := range sorted {
		fmt.Fprintf(&b, "| %s | %d |", o.Name, o.exit)
		for _, v := range verdict.CountOrder {
			fmt.Fprintf(&b, " %d |", o.counts[v])
		}
		fmt.Fprintf(&b, " %.1f s | %.0f MB | [report](%s/report.html) · [summary](%s/summary.md) |\n",
			o.wall.Seconds(), float64(o.peak.PSS)/1e6, o.Name, o.Name)
	}
	var notes []string
	for _, o := range sorted {
		if o.exit != verdict.ExitOK {
			line := fmt.Sprintf("- **%s** (exit %d): %s", o.Name, o.exit, o.reason)
			notes = append(notes, line)
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
	}
	return b.String()
}
