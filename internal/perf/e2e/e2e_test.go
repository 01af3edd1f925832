// Package e2e runs the compiled suite the ways a team scales it out
// (`make scale-e2e`): under ginkgo -p, against a browser started
// separately, and against several targets at once with internal/cmd/multi.
// It needs OAUTHCONFORM_SUITE_BIN (the Makefile sets it) and Chromium, and
// skips without the former. It asserts behaviour, never time.
package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/perf"
)

var (
	suiteBin string
	repoRoot string
	toolsDir string
)

func TestMain(m *testing.M) {
	suiteBin = os.Getenv("OAUTHCONFORM_SUITE_BIN")
	if suiteBin == "" {
		fmt.Println("skipping internal/perf/e2e: OAUTHCONFORM_SUITE_BIN is not set (run `make scale-e2e`)")
		os.Exit(0)
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		panic(err)
	}
	repoRoot = root
	if toolsDir, err = os.MkdirTemp("", "oauthconform-scale-"); err != nil {
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(toolsDir)
	os.Exit(code)
}

func random(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	f, err := os.Open("/dev/urandom")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Read(b); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", b)
}

// build compiles a command of the repository into the tools directory.
func build(t *testing.T, pkg string) string {
	t.Helper()
	out := filepath.Join(toolsDir, filepath.Base(pkg))
	if _, err := os.Stat(out); err == nil {
		return out
	}
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// scanForSecrets fails for every secret found in any file under dir.
func scanForSecrets(t *testing.T, dir string, secrets []string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, s := range secrets {
			if len(s) >= 6 && strings.Contains(string(data), s) {
				t.Errorf("%s holds a secret (%d characters, starts %q)", path, len(s), s[:3])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no files under %s", dir)
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(data))
}

// idsOnce checks that ids holds every catalog check exactly once.
func idsOnce(t *testing.T, what string, ids []string) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range ids {
		seen[id]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s: %s appears %d times", what, id, n)
		}
	}
	for _, c := range catalog.All() {
		if seen[c.ID] == 0 {
			t.Errorf("%s: %s is missing", what, c.ID)
		}
	}
	if len(ids) != len(catalog.All()) {
		t.Errorf("%s: %d entries, the catalog has %d checks", what, len(ids), len(catalog.All()))
	}
}

// TestParallelProcessesReportEveryCheckOnceRedacted: under ginkgo -p each
// process runs a mock and a browser of its own and process 1 writes the
// reports for all; with faults on (so failures carry evidence), every
// report holds every check exactly once, each process left its browser
// statistics, and no secret of either process's mock is in any artifact.
func TestParallelProcessesReportEveryCheckOnceRedacted(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "reports")
	secretsOut := filepath.Join(tmp, "secrets.txt")
	gk, err := exec.Command("go", "tool", "-n", "ginkgo").Output()
	if err != nil {
		t.Fatalf("go tool -n ginkgo: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, strings.TrimSpace(string(gk)), "--no-color", "-p", "--procs=2", suiteBin, "--",
		"-config="+filepath.Join(repoRoot, "ginkgo.yaml"), "-reports-dir="+dir,
		"-faults=code_reuse,state_dropped,no_expires_in,no_cache_headers,accept_wrong_secret")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), harness.SecretsOutEnv+"="+secretsOut)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("ginkgo -p exited 0 with MUST faults on:\n%s", out)
	}

	var results []struct{ ID, Verdict string }
	data, rerr := os.ReadFile(filepath.Join(dir, "results.json"))
	if rerr != nil {
		t.Fatalf("no results.json: %v\n%s", rerr, out)
	}
	if err := json.Unmarshal(data, &results); err != nil {
		t.Fatal(err)
	}
	var ids []string
	fails := 0
	for _, r := range results {
		ids = append(ids, r.ID)
		if r.Verdict == "fail" {
			fails++
		}
	}
	idsOnce(t, "results.json", ids)
	if fails == 0 {
		t.Error("results.json: no failure with MUST faults on")
	}

	var doc struct {
		Checks []struct {
			ID string `json:"id"`
		} `json:"checks"`
	}
	data, err = os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ids = ids[:0]
	for _, c := range doc.Checks {
		ids = append(ids, c.ID)
	}
	idsOnce(t, "report.json", ids)

	var junit struct {
		Suites []struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err = os.ReadFile(filepath.Join(dir, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &junit); err != nil {
		t.Fatal(err)
	}
	ids = ids[:0]
	checkID := regexp.MustCompile(`^[A-Z]+-\d+`)
	for _, s := range junit.Suites {
		for _, c := range s.Cases {
			if id := checkID.FindString(c.Name); id != "" {
				ids = append(ids, id)
			}
		}
	}
	idsOnce(t, "junit.xml", ids)

	stats, procs, err := perf.LoadDriverStats(dir)
	if err != nil || procs != 2 {
		t.Errorf("driver statistics: %d processes, %v", procs, err)
	} else if len(stats.Authorizations) < 2 {
		t.Errorf("driver statistics: %d authorizations over 2 processes", len(stats.Authorizations))
	}

	// Each process's mock had its own secrets and issued its own codes and
	// tokens; the reports are written by process 1 alone.
	var secrets []string
	for p := 1; p <= 2; p++ {
		secrets = append(secrets, readLines(t, fmt.Sprintf("%s.%d", secretsOut, p))...)
	}
	if len(secrets) < 10 {
		t.Fatalf("only %d secrets recorded by the two processes' mocks", len(secrets))
	}
	scanForSecrets(t, dir, secrets)
}

// startChromium starts a browser the way a pool or a sidecar would, with
// remote debugging on loopback, and returns its http://127.0.0.1:PORT.
func startChromium(t *testing.T) string {
	t.Helper()
	bin, err := driver.FindBrowser("")
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: Chromium's helper processes may still write to the
	// profile for a moment after the browser is killed, and a failed
	// RemoveAll would fail the test.
	profileDir, err := os.MkdirTemp("", "oauthconform-remote-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--headless", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir=" + profileDir, "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-sync", "about:blank"}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so that its helpers go with it
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		_ = os.RemoveAll(profileDir) // best effort: see above
	})
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`DevTools listening on ws://(127\.0\.0\.1:\d+)/`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- "http://" + m[1]
				break
			}
		}
		for sc.Scan() { // keep draining
		}
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not print its DevTools URL within 30s")
		return ""
	}
}

// TestRemoteBrowser: the suite drives a Chromium it did not start, through
// -browser-remote (ginkgo.yaml browser.remote), launches none of its own,
// and leaves no incognito context behind in it.
func TestRemoteBrowser(t *testing.T) {
	remote := startChromium(t)
	dir := filepath.Join(t.TempDir(), "reports")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, suiteBin, "-ginkgo.no-color", "-config="+filepath.Join(repoRoot, "ginkgo.yaml"),
		"-reports-dir="+dir, "-faults=", "-browser-remote="+remote)
	cmd.Dir = repoRoot
	// Were a browser launched, this would fail the run.
	cmd.Env = append(os.Environ(), "OAUTHCONFORM_BROWSER=/nonexistent/chromium")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sampler := perf.StartSampler(cmd.Process.Pid, 50*time.Millisecond)
	err := cmd.Wait()
	peak, _ := sampler.Stop()
	if err != nil {
		t.Fatalf("the suite against the remote browser failed: %v\n%s", err, out.String())
	}
	if peak.Processes > 1 {
		t.Errorf("the suite had %d processes in its tree: it started a browser of its own", peak.Processes)
	}
	var doc struct {
		Settings struct {
			Browser string `json:"browser"`
		} `json:"settings"`
		Counts map[string]int `json:"counts"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Settings.Browser, "remote "+remote) {
		t.Errorf("report.json settings.browser = %q, want the remote %s", doc.Settings.Browser, remote)
	}
	stats, _, err := perf.LoadDriverStats(dir)
	if err != nil || len(stats.Authorizations) == 0 {
		t.Errorf("no browser authorizations recorded (%v)", err)
	}

	// A pooled browser outlives the run: nothing of the run may stay in it.
	b := rod.New().ControlURL(wsURL(t, remote))
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	defer b.Close() // the test's Chromium is killed by its cleanup anyway
	contexts, err := proto.TargetGetBrowserContexts{}.Call(b)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(contexts.BrowserContextIDs); n != 0 {
		t.Errorf("%d incognito contexts left in the remote browser after the run", n)
	}
}

func wsURL(t *testing.T, remote string) string {
	t.Helper()
	resp, err := http.Get(remote + "/json/version")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		URL string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v.URL
}
