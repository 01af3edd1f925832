// Package e2e runs the compiled suite binary against the bundled mock with
// faults on and checks what a pipeline and a reviewer get: the exit status
// (through internal/cmd/verdict), the four reports, the JUnit file against
// its schema, waivers (applied, stale, expired, invalid), --strict, and that
// no secret of the profile and no code or token the mock issued is in any
// file under the reports directory or in the run's output.
//
//	make reports-e2e    (part of make test)
//
// It needs OAUTHCONFORM_SUITE_BIN (go test -c -o bin/suites.test ./suites)
// and is skipped without it.
package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/suitebin"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/reports"
)

var (
	suiteBin   string
	verdictBin string
	repoRoot   string
)

func TestMain(m *testing.M) {
	b, cleanup := suitebin.Setup("reports/e2e", "make reports-e2e")
	suiteBin, verdictBin, repoRoot = b.Suite, b.Verdict, b.Root
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// run is one execution of the suite binary and the verdict command.
type run struct {
	dir         string // reports directory
	suiteExit   int
	verdictExit int
	output      string // the suite's stdout and stderr
	verdictOut  string
	secrets     []string // the profile's secrets and every code and token the mock issued
	issued      int      // how many of them the mock issued
}

// suite runs the suite binary with args; the mock's secrets are preset
// (known to the test without trusting the harness) and the harness records
// what the mock issued to a file outside the reports directory.
func suite(t *testing.T, strict bool, args ...string) *run {
	t.Helper()
	tmp := t.TempDir()
	r := &run{dir: filepath.Join(tmp, "reports")}
	secretsFile := filepath.Join(tmp, "secrets.txt")
	preset := map[string]string{
		"MOCK_WEB_SECRET": "web-" + random(), "MOCK_WEB2_SECRET": "web2-" + random(),
		"MOCK_SVC_SECRET": "svc-" + random(), "MOCK_ALICE_PASSWORD": "pw-" + random(),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	all := append([]string{"-ginkgo.no-color", "-reports-dir", r.dir}, args...)
	if strict {
		all = append(all, "-strict")
	}
	cmd := exec.CommandContext(ctx, suiteBin, all...)
	cmd.Dir = filepath.Join(repoRoot, "suites")
	cmd.Env = append(os.Environ(), harness.SecretsOutEnv+"="+secretsFile)
	for k, v := range preset {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	start := time.Now().Unix()
	out, err := cmd.CombinedOutput()
	r.output = string(out)
	r.suiteExit = exitCode(t, err)

	vargs := []string{"-results", filepath.Join(r.dir, "results.json"), "-since", strconv.FormatInt(start, 10), "-ginkgo-status", strconv.Itoa(r.suiteExit)}
	if strict {
		vargs = append(vargs, "-strict")
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-fail-on=") {
			vargs = append(vargs, a) // as scripts/conformance.sh passes it on
		}
	}
	vout, err := exec.CommandContext(ctx, verdictBin, vargs...).CombinedOutput()
	r.verdictOut = string(vout)
	r.verdictExit = exitCode(t, err)

	for _, v := range preset {
		r.secrets = append(r.secrets, v)
	}
	if data, err := os.ReadFile(secretsFile); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if line != "" && !contains(r.secrets, line) {
				r.secrets = append(r.secrets, line)
				r.issued++
			}
		}
	} else if !strings.Contains(strings.Join(args, " "), "-waivers") {
		t.Errorf("the harness wrote no %s: %v", secretsFile, err)
	}
	// Forms a secret takes on the wire: HTTP Basic credentials of each client.
	for id, env := range map[string]string{"web": "MOCK_WEB_SECRET", "web2": "MOCK_WEB2_SECRET", "svc": "MOCK_SVC_SECRET"} {
		basic := url.QueryEscape(id) + ":" + url.QueryEscape(preset[env])
		r.secrets = append(r.secrets, base64.StdEncoding.EncodeToString([]byte(basic)))
	}
	return r
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		return exitErr.ExitCode()
	default:
		t.Fatalf("run: %v", err)
		return -1
	}
}

func random() string {
	b := make([]byte, 12)
	f, _ := os.Open("/dev/urandom")
	defer f.Close()
	_, _ = f.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (r *run) results(t *testing.T) map[string]verdict.Row {
	t.Helper()
	rows, err := verdict.ReadRows(filepath.Join(r.dir, "results.json"))
	if err != nil {
		t.Fatalf("%v\n%s", err, r.output)
	}
	out := map[string]verdict.Row{}
	for _, row := range rows {
		out[row.ID] = row
	}
	return out
}

func (r *run) document(t *testing.T) reports.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(r.dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc reports.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestFaultyMock: several faults on; the run fails with status 1, every
// artifact is there and consistent, the JUnit file validates, and nothing
// secret is anywhere.
func TestFaultyMock(t *testing.T) {
	r := suite(t, false, "-faults", "code_reuse,state_dropped,no_expires_in,no_cache_headers,cc_refresh_token,accept_wrong_secret")
	if r.suiteExit == 0 {
		t.Errorf("the suite binary exited 0 with MUST faults on:\n%s", r.output)
	}
	if r.verdictExit != int(verdict.ExitFailed) {
		t.Errorf("verdict exit %d, want 1: %s", r.verdictExit, r.verdictOut)
	}
	for _, name := range []string{"junit.xml", "report.html", "report.json", "summary.md", "results.json"} {
		if info, err := os.Stat(filepath.Join(r.dir, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Which checks break under a combination of faults is the catalog's
	// business (make faults proves each alone); here: MUST failures and a
	// warning exist, and every one is in the summary.
	results := r.results(t)
	var failed []string
	for id, row := range results {
		if row.Verdict == "fail" {
			failed = append(failed, id)
		}
	}
	if len(failed) < 2 {
		t.Errorf("%d MUST failures (%v), want several", len(failed), failed)
	}
	if v := results["TE-02"].Verdict; v != "warning" {
		t.Errorf("TE-02 verdict %q, want warning", v)
	}
	doc := r.document(t)
	if doc.SchemaVersion != reports.SchemaVersion || doc.Exit.Status != 1 || len(doc.Checks) != len(results) {
		t.Errorf("report.json: schema %q exit %+v, %d checks for %d results", doc.SchemaVersion, doc.Exit, len(doc.Checks), len(results))
	}
	total := 0
	for _, n := range doc.Counts {
		total += n
	}
	if total != len(doc.Checks) {
		t.Errorf("counts %v add up to %d, want %d", doc.Counts, total, len(doc.Checks))
	}
	summary, _ := os.ReadFile(filepath.Join(r.dir, "summary.md"))
	wants := []string{"FAILED (exit 1)", "### Warnings", "- **TE-02** (SHOULD)"}
	for _, id := range failed {
		wants = append(wants, "- **"+id+"** (MUST)")
	}
	for _, want := range wants {
		if !strings.Contains(string(summary), want) {
			t.Errorf("summary.md lacks %q:\n%s", want, summary)
		}
	}
	// Progress: one line per check, then the count.
	for id, row := range results {
		if !strings.Contains(r.output, fmt.Sprintf("\n%-8s %-8s ", strings.ToUpper(string(row.Verdict)), id)) {
			t.Errorf("no progress line for %s", id)
		}
	}
	if !strings.Contains(r.output, "checks: ") || !strings.Contains(r.output, "exit status 1: ") {
		t.Errorf("no closing summary:\n%s", r.output)
	}
	validateJUnit(t, filepath.Join(r.dir, "junit.xml"))
	scan(t, r, 10)
}

// scan looks for every secret, in the forms it travels in, in every file
// under the reports directory and in the run's output: zero hits. As a
// control, the same scan must find a planted token.
func scan(t *testing.T, r *run, minIssued int) {
	t.Helper()
	if r.issued < minIssued {
		t.Fatalf("the mock issued %d codes and tokens, want at least %d: the scan would prove little", r.issued, minIssued)
	}
	files := map[string][]byte{"(suite output)": []byte(r.output)}
	err := filepath.WalkDir(r.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	hits := findSecrets(files, r.secrets)
	for _, h := range hits {
		t.Error(h)
	}
	t.Logf("scanned %d files for %d secrets (%d issued by the mock): %d hits", len(files), len(r.secrets), r.issued, len(hits))
	planted := r.secrets[len(r.secrets)-4] // an issued code or token (the last three are Basic credentials)
	if len(findSecrets(map[string][]byte{"control": []byte("x " + planted + " y")}, r.secrets)) != 1 {
		t.Error("control: the scan does not find a planted token")
	}
}

func findSecrets(files map[string][]byte, secrets []string) []string {
	var hits []string
	for _, secret := range secrets {
		forms := []string{secret, url.QueryEscape(secret), decimalBytes(secret)}
		for name, data := range files {
			for _, form := range forms {
				if bytes.Contains(data, []byte(form)) {
					hits = append(hits, fmt.Sprintf("%s contains a secret (%s…, %d chars)", name, secret[:min(6, len(secret))], len(secret)))
					break
				}
			}
		}
	}
	return hits
}

// decimalBytes is how Gomega prints a []byte: "104, 101, 108".
func decimalBytes(s string) string {
	parts := make([]string, len(s))
	for i := range len(s) {
		parts[i] = strconv.Itoa(int(s[i]))
	}
	return strings.Join(parts, ", ")
}

func validateJUnit(t *testing.T, path string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found; CI must install it (apt-get install -y libxml2-utils, see .ci/run)")
		}
		t.Log("xmllint not found: junit.xml not validated (apt-get install -y libxml2-utils)")
		return
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join(repoRoot, "reports", "testdata", "junit.xsd"), path).CombinedOutput()
	if err != nil {
		t.Errorf("junit.xml does not validate: %v\n%s", err, out)
	}
}

func writeWaivers(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "waivers.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWaivers: a waiver turns a MUST failure into waived and the run
// passes; a waiver for a passing check is stale; after its expiry date the
// failure counts again.
func TestWaivers(t *testing.T) {
	args := func(waivers string) []string {
		return []string{"-faults", "code_reuse", "-ginkgo.label-filter", "CODE-01 || AE-01", "-waivers", waivers}
	}
	t.Run("in force", func(t *testing.T) {
		r := suite(t, false, args(writeWaivers(t, `waivers:
  - {id: CODE-01, reason: "replay protection ships in 4.2", expires: 2099-12-31}
  - {id: AE-01, reason: "fixed long ago"}
`))...)
		if r.suiteExit != 0 || r.verdictExit != 0 {
			t.Errorf("suite exit %d, verdict exit %d (%s); want 0 and 0:\n%s", r.suiteExit, r.verdictExit, r.verdictOut, r.output)
		}
		results := r.results(t)
		if row := results["CODE-01"]; row.Verdict != "waived" || !strings.Contains(row.Reason, "accepted") || !strings.Contains(row.Waiver, "replay protection ships in 4.2") {
			t.Errorf("CODE-01 = %+v, want waived with the original reason and the waiver", row)
		}
		status := map[string]string{}
		for _, w := range r.document(t).Waivers {
			status[w.ID] = w.Status
		}
		if status["CODE-01"] != reports.WaiverApplied || status["AE-01"] != reports.WaiverStale {
			t.Errorf("waiver statuses %v, want CODE-01 applied and AE-01 stale", status)
		}
		summary, _ := os.ReadFile(filepath.Join(r.dir, "summary.md"))
		if !strings.Contains(string(summary), "**AE-01** stale") || !strings.Contains(string(summary), "### Waived (1)") {
			t.Errorf("summary.md:\n%s", summary)
		}
		validateJUnit(t, filepath.Join(r.dir, "junit.xml"))
		scan(t, r, 2)
	})
	t.Run("expired", func(t *testing.T) {
		r := suite(t, false, args(writeWaivers(t, "waivers:\n  - {id: CODE-01, reason: \"replay protection\", expires: 2020-01-01}\n"))...)
		if r.suiteExit == 0 || r.verdictExit != 1 {
			t.Errorf("suite exit %d, verdict exit %d (%s); want non-zero and 1", r.suiteExit, r.verdictExit, r.verdictOut)
		}
		if row := r.results(t)["CODE-01"]; row.Verdict != "fail" || !strings.Contains(row.Waiver, "expired") {
			t.Errorf("CODE-01 = %+v, want fail with the expired waiver noted", row)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		path := writeWaivers(t, "waivers:\n  - {id: CODE-01, reason: x}\n  - {id: NOPE-1, reason: y}\n")
		start := time.Now()
		r := suite(t, false, args(path)...)
		if r.verdictExit != int(verdict.ExitNotRun) {
			t.Errorf("verdict exit %d, want 2: %s", r.verdictExit, r.verdictOut)
		}
		if want := "waivers " + path + ":3: waivers[1].id: unknown check ID \"NOPE-1\""; !strings.Contains(r.output, want) {
			t.Errorf("output lacks %q:\n%s", want, r.output)
		}
		if strings.Contains(r.output, "Will run") || time.Since(start) > 20*time.Second {
			t.Errorf("the suite ran despite the bad waivers file:\n%s", r.output)
		}
	})
}

// TestStrict: a SHOULD failure is a warning and passes, unless --strict.
func TestStrict(t *testing.T) {
	args := []string{"-faults", "no_expires_in", "-ginkgo.label-filter", "TE-02"}
	r := suite(t, false, args...)
	if r.suiteExit != 0 || r.verdictExit != 0 {
		t.Errorf("without strict: suite %d verdict %d (%s), want 0 and 0", r.suiteExit, r.verdictExit, r.verdictOut)
	}
	r = suite(t, true, args...)
	if r.verdictExit != 1 || !strings.Contains(r.verdictOut, "under --strict: TE-02") {
		t.Errorf("strict: verdict %d (%s), want 1 naming TE-02", r.verdictExit, r.verdictOut)
	}
	junit, _ := os.ReadFile(filepath.Join(r.dir, "junit.xml"))
	if !bytes.Contains(junit, []byte(`type="warning (strict)"`)) {
		t.Errorf("strict: junit.xml has no failure for the warning")
	}
	validateJUnit(t, filepath.Join(r.dir, "junit.xml"))
}

// TestFailOn: -fail-on=high (FAIL_ON=high for make) gates the run on
// severity instead of level. A MUST failure of high severity or graver, or
// of a severity not rated yet, fails the run; one rated below high does not.
func TestFailOn(t *testing.T) {
	codeReuse, _ := catalog.ByID("CODE-01")
	if codeReuse.Severity != "" && codeReuse.Severity.Rank() < verdict.High.Rank() {
		t.Fatalf("CODE-01 (code replay) is rated %s: the test expects a grave check", codeReuse.Severity)
	}
	r := suite(t, false, "-faults", "code_reuse", "-ginkgo.label-filter", "CODE-01", "-fail-on=high")
	if r.verdictExit != 1 || !strings.Contains(r.verdictOut, "--fail-on=high: CODE-01 fail") {
		t.Errorf("fail-on high, CODE-01 broken: verdict %d (%s), want 1 naming CODE-01", r.verdictExit, r.verdictOut)
	}
	doc := r.document(t)
	if doc.Settings.FailOn != verdict.High || doc.Exit.Status != verdict.ExitFailed {
		t.Errorf("report.json: fail_on %q, exit %+v", doc.Settings.FailOn, doc.Exit)
	}

	// A MUST check rated below high, with its fault: it fails, and the run passes.
	var low catalog.Check
	for _, c := range catalog.All() {
		if c.Level == verdict.Must && c.Severity != "" && c.Severity.Rank() < verdict.High.Rank() {
			low = c
			break
		}
	}
	if low.ID == "" {
		t.Skip("no MUST check is rated below high yet (the catalog's severities): the passing half is not tried")
	}
	args := []string{"-faults", string(low.Fault), "-ginkgo.label-filter", low.ID}
	r = suite(t, false, args...)
	if r.verdictExit != 1 {
		t.Fatalf("%s under %s without fail-on: verdict %d (%s), want 1", low.ID, low.Fault, r.verdictExit, r.verdictOut)
	}
	r = suite(t, false, append(args, "-fail-on=high")...)
	if r.verdictExit != 0 || !strings.Contains(r.verdictOut, "below it do not fail the run") {
		t.Errorf("%s (%s) under -fail-on=high: verdict %d (%s), want 0", low.ID, low.Severity, r.verdictExit, r.verdictOut)
	}
}
