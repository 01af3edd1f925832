package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/catalog"
)

// mockInstance is the standalone mock (mockserver/cmd/mockserver) on a free
// loopback port, with its secrets given in the environment.
type mockInstance struct {
	issuer  string
	secrets map[string]string // MOCK_* variable -> value
	// exported are the variables the mock made up itself (its keys and
	// certificates, its mutual-TLS URL, the access token profile), as it
	// wrote them with -env-out.
	exported map[string]string
	caPEM    []byte // the certificate authority of its HTTPS certificate
}

func startMock(t *testing.T, faults string) mockInstance {
	t.Helper()
	bin := build(t, "./mockserver/cmd/mockserver")
	m := mockInstance{secrets: map[string]string{
		"MOCK_WEB_SECRET": "web-" + random(t), "MOCK_WEB2_SECRET": "web2-" + random(t),
		"MOCK_SVC_SECRET": "svc-" + random(t), "MOCK_ALICE_PASSWORD": "pw-" + random(t),
	}}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	envFile := filepath.Join(t.TempDir(), "env.json")
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-faults", faults, "-ca-out", caFile, "-env-out", envFile)
	cmd.Env = os.Environ()
	for k, v := range m.secrets {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	issuer := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`mockserver issuer (https://127\.0\.0\.1:\d+) listening`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				issuer <- m[1]
				break
			}
		}
		for sc.Scan() { // the request log
		}
	}()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	select {
	case m.issuer = <-issuer:
	case <-deadline.C:
		t.Fatal("the mock did not say where it listens within 30s")
	}
	// The CA file and the variables are written before the issuer line.
	if m.caPEM, err = os.ReadFile(caFile); err != nil {
		t.Fatal(err)
	}
	envJSON, err := os.ReadFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(envJSON, &m.exported); err != nil {
		t.Fatalf("%s: %v", envFile, err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(m.caPEM) {
		t.Fatalf("%s holds no certificate", caFile)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}, Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	// Ready when its metadata is served (bounded by the same deadline).
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(m.issuer + "/.well-known/oauth-authorization-server")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m
			}
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("the mock at %s served no metadata within 30s", m.issuer)
		}
	}
}

// TestMultiTargets: three standalone mocks, one with a MUST fault, run by
// internal/cmd/multi two at a time: a report set per target, a combined
// summary naming the failing target, the JUnit files merged, exit status 1
// (the worst), and no target's secret in any artifact.
func TestMultiTargets(t *testing.T) {
	tmp := t.TempDir()
	// profiles/mock.yaml declares the 2s code lifetime the in-process mock
	// is started with; the standalone mock keeps the default (60s), so its
	// profile leaves code_lifetime out (CODE-05 is then skipped, with reason).
	src, err := os.ReadFile(filepath.Join(repoRoot, "profiles/mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	profile := regexp.MustCompile(`(?m)^code_lifetime:.*\n`).ReplaceAll(src, nil)
	if err := os.WriteFile(filepath.Join(tmp, "mock-standalone.yaml"), profile, 0o644); err != nil {
		t.Fatal(err)
	}

	names := []string{"mock-a", "mock-b", "mock-faulty"}
	var targets strings.Builder
	targets.WriteString("targets:\n")
	var secrets []string
	var cas []byte // every mock's CA, in the run profile's tls.ca_file
	for i, name := range names {
		faults := ""
		if name == "mock-faulty" {
			faults = "state_dropped"
		}
		m := startMock(t, faults)
		cas = append(cas, m.caPEM...)
		fmt.Fprintf(&targets, "  - name: %s\n    profile: mock-standalone.yaml\n    env:\n      MOCK_ISSUER: %q\n", name, m.issuer)
		for k, v := range m.secrets {
			// Secrets come from the environment, as a CI job's would.
			ref := fmt.Sprintf("T%d_%s", i, k)
			t.Setenv(ref, v)
			fmt.Fprintf(&targets, "      %s: \"${%s}\"\n", k, ref)
			secrets = append(secrets, v)
		}
		for k, v := range m.exported {
			ref := fmt.Sprintf("T%d_%s", i, k)
			t.Setenv(ref, v)
			fmt.Fprintf(&targets, "      %s: \"${%s}\"\n", k, ref)
		}
	}
	targetsFile := filepath.Join(tmp, "targets.yaml")
	if err := os.WriteFile(targetsFile, []byte(targets.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	// The mocks serve HTTPS with CAs of their own: the run profile trusts
	// them (tls.ca_file), for the harness and, by their public keys, for
	// Chromium.
	if err := os.WriteFile(filepath.Join(tmp, "cas.pem"), cas, 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile(filepath.Join(repoRoot, "ginkgo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(tmp, "ginkgo.yaml")
	if err := os.WriteFile(config, append(base, "\ntls:\n  ca_file: cas.pem\n"...), 0o644); err != nil {
		t.Fatal(err)
	}

	multi := build(t, "./internal/cmd/multi")
	out := filepath.Join(tmp, "out")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, multi, "-suite", suiteBin, "-config", config,
		"-out", out, "-jobs", "2", targetsFile)
	cmd.Dir = repoRoot
	output, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != 1 {
		t.Errorf("multi exited %d, want 1 (one target has a MUST failure):\n%s", code, output)
	}
	for _, name := range names {
		for _, f := range []string{"results.json", "report.json", "report.html", "junit.xml", "summary.md"} {
			if _, err := os.Stat(filepath.Join(out, name, f)); err != nil {
				t.Errorf("target %s: %v", name, err)
			}
		}
	}
	sum, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| mock-a | 0 |", "| mock-b | 0 |", "| mock-faulty | 1 |", "- **mock-faulty** (exit 1):", "Exit status **1**"} {
		if !strings.Contains(string(sum), want) {
			t.Errorf("summary.md lacks %q:\n%s", want, sum)
		}
	}
	if strings.Contains(string(sum), "- **mock-a**") || strings.Contains(string(sum), "- **mock-b**") {
		t.Errorf("summary.md notes a passing target:\n%s", sum)
	}

	var merged struct {
		Tests  int `xml:"tests,attr"`
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(filepath.Join(out, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &merged); err != nil {
		t.Fatal(err)
	}
	if len(merged.Suites) != len(names) {
		t.Fatalf("merged junit.xml has %d suites, want %d", len(merged.Suites), len(names))
	}
	cases := 0
	for i, s := range merged.Suites {
		if !strings.HasPrefix(s.Name, names[i]+": ") {
			t.Errorf("merged suite %d is named %q, want it to start with %q", i, s.Name, names[i]+": ")
		}
		cases += len(s.Cases)
	}
	if cases < len(names)*len(catalog.All()) || merged.Tests != cases {
		t.Errorf("merged junit.xml: %d test cases, tests=%d; want at least %d (every check of every target)", cases, merged.Tests, len(names)*len(catalog.All()))
	}
	scanForSecrets(t, out, secrets)
}
