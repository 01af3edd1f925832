// Command expect compares a suite run against a provider's committed
// expected-results file, rewrites that file from a run, and waits for a
// provider to serve its discovery document. interop/run.sh uses it.
//
//	expect check  -expected interop/zitadel/expected.yaml -results oauthconform-reports/interop/zitadel/results.json
//	expect update -expected interop/zitadel/expected.yaml -results oauthconform-reports/interop/zitadel/results.json
//	expect wait   -url http://127.0.0.1:PORT/.well-known/openid-configuration -timeout 60s
//
// An expected file lists every check that does not pass against the
// provider, with its verdict and a reason verified against the provider's
// documentation or source; every other check must pass. check fails on any
// difference and on any reason still marked "TODO". update keeps the reason
// of every entry whose verdict is unchanged and marks new or changed
// entries "TODO: verify", so that a grown catalog shows what to look at.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

// Result is one row of reports/results.json.
type Result = verdict.Row

// File is an expected-results file.
type File struct {
	// About says which provider, which version and how it is configured.
	About  string  `yaml:"about"`
	Checks []Entry `yaml:"checks"`
}

// Entry is one check that does not pass.
type Entry struct {
	ID      string          `yaml:"id"`
	Verdict verdict.Verdict `yaml:"verdict"`
	// Also lists other verdicts the provider gives from run to run (it
	// behaves nondeterministically); the reason must say why.
	Also   []verdict.Verdict `yaml:"also,omitempty"`
	Reason string            `yaml:"reason"`
}

// allows reports whether verdict is the entry's, or one it also gives.
func (e Entry) allows(v verdict.Verdict) bool {
	if v == e.Verdict {
		return true
	}
	for _, also := range e.Also {
		if also == v {
			return true
		}
	}
	return false
}

// TODO marks a reason nobody has verified yet.
const TODO = "TODO: verify"

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	expected := fs.String("expected", "", "expected-results file")
	results := fs.String("results", "", "results.json of the run")
	url := fs.String("url", "", "URL to wait for: until it answers 200 with a JSON object (wait)")
	file := fs.String("file", "", "file to wait for: until it is not empty (wait)")
	pid := fs.Int("pid", 0, "give up waiting when this process has exited (wait)")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait (wait)")
	_ = fs.Parse(os.Args[2:])

	var err error
	switch os.Args[1] {
	case "check":
		err = check(*expected, *results, os.Stdout)
	case "update":
		err = update(*expected, *results, os.Stdout)
	case "wait":
		err = wait(*url, *file, *pid, *timeout)
	case "freeport":
		err = freePort(os.Stdout)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "expect:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: expect check|update -expected FILE -results results.json | expect wait -url URL [-timeout D] | expect freeport")
	os.Exit(2)
}

func readResults(path string) ([]Result, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no results from the run: %w", err)
	}
	rows, err := verdict.ReadRows(path)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s lists no checks", path)
	}
	return rows, nil
}

func readFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &File{}, nil
	}
	if err != nil {
		return nil, err
	}
	var f File
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	seen := map[string]bool{}
	for _, e := range f.Checks {
		if seen[e.ID] {
			return nil, fmt.Errorf("%s: %s is listed twice", path, e.ID)
		}
		seen[e.ID] = true
		switch e.Verdict {
		case verdict.Fail, verdict.Warning, verdict.Info, verdict.Skipped, verdict.Error:
		default:
			return nil, fmt.Errorf("%s: %s: verdict %q is not one of fail, warning, info, skipped, error (passing checks are not listed)", path, e.ID, e.Verdict)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return nil, fmt.Errorf("%s: %s has no reason", path, e.ID)
		}
	}
	return &f, nil
}

// Compare returns one line per difference between the run and the file,
// and one per entry whose reason is still TODO.
func Compare(f *File, rows []Result) []string {
	want := map[string]Entry{}
	for _, e := range f.Checks {
		want[e.ID] = e
	}
	var out []string
	ran := map[string]bool{}
	for _, r := range rows {
		ran[r.ID] = true
		e, listed := want[r.ID]
		switch {
		case listed && e.allows(r.Verdict):
		case r.Verdict == verdict.Pass && listed:
			out = append(out, fmt.Sprintf("%s: passes, expected %s (%s)", r.ID, e.Verdict, e.Reason))
		case r.Verdict != verdict.Pass && !listed:
			out = append(out, fmt.Sprintf("%s: %s, expected pass — %s", r.ID, r.Verdict, oneLine(r.Reason)))
		case listed:
			out = append(out, fmt.Sprintf("%s: %s, expected %s — %s", r.ID, r.Verdict, e.Verdict, oneLine(r.Reason)))
		}
	}
	for _, e := range f.Checks {
		if !ran[e.ID] {
			out = append(out, fmt.Sprintf("%s: listed as %s but not in the run's results", e.ID, e.Verdict))
		}
		if strings.HasPrefix(e.Reason, "TODO") {
			out = append(out, fmt.Sprintf("%s: reason not verified yet (%s)", e.ID, oneLine(e.Reason)))
		}
	}
	sort.Strings(out)
	return out
}

// Update rewrites the entries from the run: an entry whose verdict is
// unchanged keeps its reason, a new or changed one gets a TODO reason that
// quotes the harness.
func Update(f *File, rows []Result) *File {
	old := map[string]Entry{}
	for _, e := range f.Checks {
		old[e.ID] = e
	}
	next := &File{About: f.About}
	for _, r := range rows {
		if o, ok := old[r.ID]; ok && len(o.Also) > 0 && o.allows(r.Verdict) {
			next.Checks = append(next.Checks, o) // a known nondeterministic verdict
			continue
		}
		if r.Verdict == verdict.Pass {
			continue
		}
		e := Entry{ID: r.ID, Verdict: r.Verdict, Reason: fmt.Sprintf("%s — the harness said: %s", TODO, oneLine(r.Reason))}
		if o, ok := old[r.ID]; ok && o.Verdict == r.Verdict {
			e.Reason = o.Reason
		}
		next.Checks = append(next.Checks, e)
	}
	sort.Slice(next.Checks, func(i, j int) bool { return next.Checks[i].ID < next.Checks[j].ID })
	return next
}

// Counts is "N pass, N fail, …" for a run.
func Counts(rows []Result) string {
	n := verdict.CountRows(rows)
	parts := []string{}
	for _, v := range []verdict.Verdict{verdict.Pass, verdict.Fail, verdict.Warning, verdict.Info, verdict.Skipped, verdict.Error} {
		parts = append(parts, fmt.Sprintf("%d %s", n[v], v))
	}
	return strings.Join(parts, ", ")
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func check(expectedPath, resultsPath string, w io.Writer) error {
	rows, err := readResults(resultsPath)
	if err != nil {
		return err
	}
	f, err := readFile(expectedPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "checks: %s\n", Counts(rows))
	if diffs := Compare(f, rows); len(diffs) > 0 {
		for _, d := range diffs {
			fmt.Fprintln(w, "  DIFF", d)
		}
		return fmt.Errorf("%d difference(s) from %s (after verifying the provider's behaviour, `make interop-update` rewrites it)", len(diffs), expectedPath)
	}
	fmt.Fprintf(w, "as expected (%s)\n", expectedPath)
	return nil
}

func update(expectedPath, resultsPath string, w io.Writer) error {
	rows, err := readResults(resultsPath)
	if err != nil {
		return err
	}
	f, err := readFile(expectedPath)
	if err != nil {
		return err
	}
	next := Update(f, rows)
	data, err := Marshal(next)
	if err != nil {
		return err
	}
	if err := os.WriteFile(expectedPath, data, 0o644); err != nil {
		return err
	}
	todo := 0
	for _, e := range next.Checks {
		if strings.HasPrefix(e.Reason, "TODO") {
			todo++
		}
	}
	fmt.Fprintf(w, "checks: %s\nwrote %s: %d entries, %d to verify\n", Counts(rows), expectedPath, len(next.Checks), todo)
	return nil
}

// Marshal writes the file with a fixed header that says how to read it.
func Marshal(f *File) ([]byte, error) {
	var b strings.Builder
	b.WriteString("# Expected results of the whole suite against this provider (make interop).\n")
	b.WriteString("# Every check that does NOT pass is listed, with a reason verified against the\n")
	b.WriteString("# provider's documentation or source; every other check must pass.\n")
	b.WriteString("# `make interop-update` rewrites this file from a run, keeping the reasons of\n")
	b.WriteString("# unchanged entries and marking new ones \"TODO: verify\", which fails make interop.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	_ = enc.Close()
	return []byte(b.String()), nil
}

// wait polls url until it answers 200 with a JSON object, or file until it
// is not empty; it gives up when the timeout ends or process pid exits.
func wait(url, file string, pid int, timeout time.Duration) error {
	if (url == "") == (file == "") {
		return errors.New("wait: give one of -url and -file")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	ready := func() error {
		if file != "" {
			if st, err := os.Stat(file); err != nil || st.Size() == 0 {
				return fmt.Errorf("%s not written yet", file)
			}
			return nil
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var doc map[string]any
		derr := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc)
		if resp.StatusCode != http.StatusOK || derr != nil {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	what := url + file
	for {
		last := ready()
		if last == nil {
			return nil
		}
		if pid > 0 && syscall.Kill(pid, 0) != nil {
			return fmt.Errorf("the process (pid %d) exited before %s was ready: %v", pid, what, last)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready within %s: %v", what, timeout, last)
		case <-tick.C:
		}
	}
}

// freePort prints a loopback TCP port free right now (a provider's
// back-channel logout URI, where the harness will listen).
func freePort(w io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, port)
	return err
}
