// Command bench measures a full conformance run against the bundled mock
// (`make bench`, `make bench PARALLEL=2`): wall time, checks per second,
// browser authorizations and checks per authorization, the peak memory of
// the harness with every Chromium it started, and the floor — a bare
// go-rod authorization against a mock of its own, measured in the same
// invocation — with the ratio of the harness's median authorization to it.
// It ends with the figures as `key: value` lines, always the same keys in
// the same order (docs/performance.md).
//
// It measures; it never fails on time. It exits non-zero only when it could
// not measure (the suite did not build, a run failed a check, no statistics).
//
//	go run ./internal/cmd/bench -suite bin/suites.test [-p 2] [-runs 3]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/perf"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	suite, config, out, ginkgo string
	procs, runs, floorRuns     int
	loadBefore                 string
	interval                   time.Duration
	variant                    string // the variants of the extra run ("" for none)
}

// measured is one suite run.
type measured struct {
	wall     time.Duration
	checks   int
	verdicts map[verdict.Verdict]int
	stats    driver.Stats
	procs    int
	peak     perf.Memory
	samples  int
}

func run() error {
	var o options
	flag.StringVar(&o.suite, "suite", "bin/suites.test", "compiled suite binary (go test -c -o bin/suites.test ./suites)")
	flag.StringVar(&o.config, "config", "ginkgo.yaml", "run profile")
	flag.StringVar(&o.out, "out", "oauthconform-reports/bench", "directory for each run's reports and log")
	flag.StringVar(&o.ginkgo, "ginkgo", "", "Ginkgo CLI (default: `go tool -n ginkgo`)")
	flag.IntVar(&o.procs, "p", 1, "Ginkgo processes (1: serial; N>1: ginkgo -p --procs=N, each with its own mock and browser)")
	flag.IntVar(&o.runs, "runs", 1, "suite runs; the figures are medians (memory: the maximum)")
	flag.IntVar(&o.floorRuns, "floor-runs", 5, "warm bare authorizations for the floor (after one cold one)")
	flag.DurationVar(&o.interval, "interval", 50*time.Millisecond, "memory sampling interval")
	flag.StringVar(&o.variant, "variant", "consent_every_time", "mock variants (name or name+name) of one more run, whose wall time is reported as slowest_variant_wall_time_s (goal 45 s); empty: none")
	flag.Parse()
	if o.procs < 1 || o.runs < 1 || o.floorRuns < 1 {
		return errors.New("-p, -runs and -floor-runs must be at least 1")
	}
	var err error
	for _, p := range []*string{&o.suite, &o.config, &o.out} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	if _, err := os.Stat(o.suite); err != nil {
		return fmt.Errorf("suite binary: %w (make bench builds it)", err)
	}
	if o.ginkgo == "" {
		goCmd := os.Getenv("GO")
		if goCmd == "" {
			goCmd = "go"
		}
		out, err := exec.Command(goCmd, "tool", "-n", "ginkgo").Output()
		if err != nil {
			return fmt.Errorf("locate the Ginkgo CLI (go tool -n ginkgo): %w", err)
		}
		o.ginkgo = strings.TrimSpace(string(out))
	}

	// Other work on the machine skews every figure: say how busy it was.
	o.loadBefore = loadavg()
	ctx := context.Background()
	fmt.Printf("== floor: 1 cold + %d warm bare go-rod authorizations against a mock of its own\n", o.floorRuns)
	cold, warm, err := floor(ctx, o.floorRuns)
	if err != nil {
		return err
	}
	slices.Sort(warm)
	floorD := driver.Median(warm)
	fmt.Printf("   cold %s, warm %s (median %s)\n", ms(cold), msList(warm), ms(floorD))

	var runs []measured
	for i := 1; i <= o.runs; i++ {
		fmt.Printf("== run %d/%d: the full suite against the bundled mock, %s\n", i, o.runs, procsText(o.procs))
		m, err := suiteRun(o, filepath.Join(o.out, fmt.Sprintf("run-%d", i)))
		if err != nil {
			return err
		}
		fresh := m.stats.Durations(true)
		all := m.stats.Durations(false)
		fmt.Printf("   %s wall, %d checks %v, %d authorizations (%d with login steps) in %d sessions, median %s (with login steps %s), peak RSS %s (%d processes), peak PSS %s\n",
			secs(m.wall), m.checks, m.verdicts, len(m.stats.Authorizations), len(fresh), m.stats.Sessions,
			ms(driver.Median(all)), ms(driver.Median(fresh)), mb(m.peak.RSS), m.peak.Processes, mb(m.peak.PSS))
		fmt.Printf("   authorizations: %s\n", msList(all))
		runs = append(runs, m)
	}
	var variantWall time.Duration
	if o.variant != "" {
		fmt.Printf("== the full suite against the bundled mock under the variants %s, %s\n", o.variant, procsText(o.procs))
		m, err := suiteRun(o, filepath.Join(o.out, "variant"), "-variants="+strings.ReplaceAll(o.variant, "+", ","))
		if err != nil {
			return err
		}
		variantWall = m.wall
		fmt.Printf("   %s wall, %d checks %v\n", secs(m.wall), m.checks, m.verdicts)
	}
	printFigures(os.Stdout, o, runs, cold, floorD)
	if o.variant != "" {
		fmt.Printf("slowest_variant: %s\n", o.variant)
		fmt.Printf("slowest_variant_wall_time_s: %.2f (goal <= 45 s: %s)\n", variantWall.Seconds(), met(variantWall.Seconds() <= 45))
	}
	return nil
}

// suiteRun runs the suite once through the Ginkgo CLI (serial or -p), with
// its reports in dir, sampling the memory of the whole process tree.
func suiteRun(o options, dir string, extra ...string) (measured, error) {
	var m measured
	if err := os.RemoveAll(dir); err != nil {
		return m, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return m, err
	}
	args := []string{"--no-color", "--fail-on-empty", "--timeout=10m"}
	if o.procs > 1 {
		args = append(args, "-p", fmt.Sprintf("--procs=%d", o.procs))
	}
	args = append(args, o.suite, "--", "-config="+o.config, "-reports-dir="+dir, "-faults=")
	args = append(args, extra...)
	logPath := dir + ".log"
	log, err := os.Create(logPath)
	if err != nil {
		return m, err
	}
	defer log.Close()
	cmd := exec.Command(o.ginkgo, args...)
	cmd.Dir = filepath.Dir(o.config)
	cmd.Stdout, cmd.Stderr = log, log
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return m, err
	}
	sampler := perf.StartSampler(cmd.Process.Pid, o.interval)
	runErr := cmd.Wait()
	m.wall = time.Since(start)
	m.peak, m.samples = sampler.Stop()
	if runErr != nil {
		return m, fmt.Errorf("the suite run failed (%v); a benchmark needs a clean run: see %s\n%s", runErr, logPath, tail(logPath, 30))
	}
	rows, err := verdict.ReadRows(filepath.Join(dir, "results.json"))
	if err != nil {
		return m, err
	}
	m.checks = len(rows)
	m.verdicts = verdict.CountRows(rows)
	if m.stats, m.procs, err = perf.LoadDriverStats(dir); err != nil {
		return m, err
	}
	if m.procs != o.procs {
		return m, fmt.Errorf("%d Ginkgo processes wrote statistics, %d were asked for", m.procs, o.procs)
	}
	return m, nil
}

// printFigures prints the closing `key: value` lines: medians over the runs,
// memory the maximum. The keys and their order are part of the interface.
func printFigures(w io.Writer, o options, runs []measured, cold, floorD time.Duration) {
	med := func(f func(measured) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	peak := func(f func(measured) int64) int64 {
		var best int64
		for _, r := range runs {
			best = max(best, f(r))
		}
		return best
	}
	wall := med(func(r measured) float64 { return r.wall.Seconds() })
	checks := med(func(r measured) float64 { return float64(r.checks) })
	auths := med(func(r measured) float64 { return float64(len(r.stats.Authorizations)) })
	authMed := med(func(r measured) float64 { return driver.Median(r.stats.Durations(false)).Seconds() })
	freshMed := med(func(r measured) float64 { return driver.Median(r.stats.Durations(true)).Seconds() })
	cpa := med(func(r measured) float64 { return float64(r.checks) / float64(max(len(r.stats.Authorizations), 1)) })
	rss := peak(func(r measured) int64 { return r.peak.RSS })
	pss := peak(func(r measured) int64 { return r.peak.PSS })
	ratio := authMed / floorD.Seconds()
	freshRatio := freshMed / floorD.Seconds()

	fmt.Fprintln(w)
	fmt.Fprintf(w, "goals (2-core machine): wall time <= 30 s: %s; median authorization <= 1.3x floor: %s; >= 3 checks per authorization: %s; peak memory <= 600 MB: %s by PSS, %s by summed RSS (docs/performance.md)\n",
		met(wall <= 30), met(ratio <= 1.3), met(cpa >= 3), met(float64(pss) <= 600*1e6), met(float64(rss) <= 600*1e6))
	fmt.Fprintf(w, "target: bundled mock\n")
	fmt.Fprintf(w, "processes: %d\n", o.procs)
	fmt.Fprintf(w, "cpus: %d\n", runtime.NumCPU())
	fmt.Fprintf(w, "runs: %d\n", len(runs))
	fmt.Fprintf(w, "loadavg_before: %s\n", o.loadBefore)
	fmt.Fprintf(w, "wall_time_s: %.2f\n", wall)
	fmt.Fprintf(w, "checks: %.0f\n", checks)
	fmt.Fprintf(w, "checks_per_s: %.1f\n", checks/wall)
	fmt.Fprintf(w, "browser_authorizations: %.0f\n", auths)
	fmt.Fprintf(w, "checks_per_authorization: %.1f\n", cpa)
	fmt.Fprintf(w, "authorization_median_s: %.3f\n", authMed)
	fmt.Fprintf(w, "authorization_with_login_median_s: %.3f\n", freshMed)
	fmt.Fprintf(w, "floor_s: %.3f\n", floorD.Seconds())
	fmt.Fprintf(w, "floor_cold_s: %.3f\n", cold.Seconds())
	fmt.Fprintf(w, "authorization_floor_ratio: %.2f\n", ratio)
	fmt.Fprintf(w, "with_login_floor_ratio: %.2f\n", freshRatio)
	fmt.Fprintf(w, "peak_rss_mb: %.0f\n", float64(rss)/1e6)
	fmt.Fprintf(w, "peak_pss_mb: %.0f\n", float64(pss)/1e6)
}

// loadavg is the 1-minute load average and the number of Chromium
// processes on the machine (ours, if any, included).
func loadavg() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return "unknown"
	}
	n := 0
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm")); err == nil && strings.HasPrefix(string(comm), "chromium") {
			n++
		}
	}
	return fmt.Sprintf("%s (%d chromium processes running)", f[0], n)
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func procsText(n int) string {
	if n == 1 {
		return "serial (1 Ginkgo process)"
	}
	return fmt.Sprintf("ginkgo -p with %d processes", n)
}

func ms(d time.Duration) string   { return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond)) }
func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
func mb(b int64) string           { return fmt.Sprintf("%.0fMB", float64(b)/1e6) }

func msList(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = ms(d)
	}
	return strings.Join(s, " ")
}

func tail(path string, n int) string {
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
