package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBinary is the "done when" of issue 15: the built binary, copied to an
// empty directory with no go.mod above it, runs the catalog, serves the
// mock, validates, writes a profile with init and a baseline there.
// make binary-e2e builds the binary and sets OAUTHCONFORM_BIN.
func TestBinary(t *testing.T) {
	src := os.Getenv("OAUTHCONFORM_BIN")
	if src == "" {
		t.Skip("OAUTHCONFORM_BIN is not set (run `make binary-e2e`)")
	}
	dir := t.TempDir()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			t.Fatalf("%s has a go.mod above it (%s)", dir, d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	bin := filepath.Join(dir, "oauthconform")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	// No Go toolchain at run time: PATH without go.
	env := []string{"PATH=/usr/local/sbin:/usr/sbin:/sbin:/bin:/usr/bin", "HOME=" + dir}
	if b := os.Getenv("OAUTHCONFORM_BROWSER"); b != "" {
		env = append(env, "OAUTHCONFORM_BROWSER="+b)
	}
	oc := func(t *testing.T, extra []string, args ...string) (int, string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = dir
		cmd.Env = append(append([]string{}, env...), extra...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("oauthconform %s: %v", strings.Join(args, " "), err)
		}
		return code, stdout.String(), stderr.String()
	}
	want := func(t *testing.T, code, wantCode int, out, errOut string, args ...string) {
		t.Helper()
		if code != wantCode {
			t.Fatalf("oauthconform %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, tail(out), tail(errOut))
		}
	}

	t.Run("run against the in-process mock", func(t *testing.T) {
		start := time.Now()
		args := []string{"run", "--reports", "full"}
		code, out, errOut := oc(t, nil, args...)
		want(t, code, 0, out, errOut, args...)
		if first := strings.SplitN(out, "\n", 2)[0]; !strings.Contains(first, "bundled mock") {
			t.Errorf("first line %q does not say the bundled mock is tested", first)
		}
		for _, f := range []string{"junit.xml", "report.html", "report.json", "summary.md", "results.json", "results.sarif"} {
			if fi, err := os.Stat(filepath.Join(dir, "full", f)); err != nil || fi.Size() == 0 {
				t.Errorf("report %s: %v", f, err)
			}
		}
		t.Logf("full catalog from an empty directory: %s", time.Since(start).Round(100*time.Millisecond))
	})

	t.Run("validate broken profiles", func(t *testing.T) {
		broken := map[string]string{
			"unknown-field.yaml": "name: x\nissuer: https://127.0.0.1:1\nredirect_uri: https://app.test/cb\nclients: {service: {id: a, secret: b}}\nlogn: []\n",
			"no-name.yaml":       "issuer: https://127.0.0.1:1\nclients: {service: {id: a, secret: b}}\n",
			"bad-url.yaml":       "name: x\nissuer: not a url\nclients: {service: {id: a, secret: b}}\n",
			"unset-var.yaml":     "name: x\nissuer: https://127.0.0.1:1\nclients: {service: {id: a, secret: \"${OAUTHCONFORM_TEST_UNSET}\"}}\n",
			"not-yaml.yaml":      "name: [x\n",
		}
		for name, text := range broken {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := oc(t, nil, "validate", name)
			want(t, code, 2, out, errOut, "validate", name)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], name) {
				t.Errorf("validate %s: want one message naming the file, got:\n%s", name, errOut)
			}
		}
	})

	// The mock in one process, the run in another.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mock := exec.CommandContext(ctx, bin, "mock", "--addr", "127.0.0.1:0", "--profile-out", "mock-target.yaml", "--ca-out", "mock-ca.pem", "--env-out", "mock-env.json")
	mock.Dir, mock.Env = dir, env
	pipe, err := mock.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	mock.Stderr = os.Stderr
	if err := mock.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = mock.Wait() }()
	issuer := ""
	lines := bufio.NewScanner(pipe)
	for lines.Scan() {
		line := lines.Text()
		if _, rest, ok := strings.Cut(line, "issuer "); ok && issuer == "" && strings.HasPrefix(line, "#") {
			issuer = strings.Fields(rest)[0]
		}
		if strings.Contains(line, "serving until interrupted") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pipe) }()
	// The variables it printed, as --env-out wrote them (the keys and
	// certificates span several lines).
	secrets := map[string]string{}
	if data, err := os.ReadFile(filepath.Join(dir, "mock-env.json")); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(data, &secrets); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"MOCK_WEB_SECRET", "MOCK_WEB2_SECRET", "MOCK_SVC_SECRET", "MOCK_ALICE_PASSWORD", "MOCK_WEB_KEY"} {
		if secrets[k] == "" {
			t.Fatalf("mock: issuer %q, no %s among its variables %v", issuer, k, secrets)
		}
	}
	if issuer == "" {
		t.Fatalf("mock: no issuer line")
	}
	var mockEnv []string
	for k, v := range secrets {
		mockEnv = append(mockEnv, k+"="+v)
	}

	subset := "flow:authorization_code && MUST && !CODE-05"
	t.Run("run --target against the mock in another process", func(t *testing.T) {
		args := []string{"run", "--target", "mock-target.yaml", "--ca-file", "mock-ca.pem", "--labels", subset, "--reports", "remote"}
		code, out, errOut := oc(t, mockEnv, args...)
		want(t, code, 0, out, errOut, args...)
		if n := countChecks(t, filepath.Join(dir, "remote", "results.json"), "pass"); n < 10 {
			t.Errorf("only %d checks passed", n)
		}
	})

	t.Run("init against the running mock, then run with its profile", func(t *testing.T) {
		start := time.Now()
		creds := []string{"OAUTHCONFORM_USERNAME=alice", "OAUTHCONFORM_PASSWORD=" + secrets["MOCK_ALICE_PASSWORD"]}
		args := []string{"init", "--issuer", issuer, "--client-id", "web", "--redirect-uri", "https://client.example.test/callback", "--ca-file", "mock-ca.pem", "--out", "init.yaml"}
		code, out, errOut := oc(t, creds, args...)
		want(t, code, 0, out, errOut, args...)
		t.Logf("init: %s\n%s", time.Since(start).Round(100*time.Millisecond), out)
		if !strings.Contains(out, "reached the redirect URI") {
			t.Errorf("init did not report the login reaching the redirect URI:\n%s", out)
		}
		profile, _ := os.ReadFile(filepath.Join(dir, "init.yaml"))
		for _, s := range []string{"login:", "{{user.password}}", "${OAUTHCONFORM_CLIENT_SECRET}", "consent_deny:"} {
			if !strings.Contains(string(profile), s) {
				t.Errorf("init.yaml lacks %q:\n%s", s, profile)
			}
		}
		if strings.Contains(string(profile), secrets["MOCK_ALICE_PASSWORD"]) || strings.Contains(string(profile), secrets["MOCK_WEB_SECRET"]) {
			t.Fatal("init.yaml holds a secret")
		}
		runEnv := append(creds, "OAUTHCONFORM_CLIENT_SECRET="+secrets["MOCK_WEB_SECRET"])
		args = []string{"run", "--target", "init.yaml", "--ca-file", "mock-ca.pem", "--labels", subset, "--reports", "init"}
		code, out, errOut = oc(t, runEnv, args...)
		want(t, code, 0, out, errOut, args...)
		if n := countChecks(t, filepath.Join(dir, "init", "results.json"), "pass"); n < 10 {
			t.Errorf("only %d checks passed with init's profile", n)
		}
	})

	// The GitHub action's script (action.yml runs ci/oauthconform-ci.sh):
	// syntax, every input handed over, and a run against the mock served
	// above with the secrets passed through secret-env, masked.
	t.Run("the CI action's script", func(t *testing.T) {
		script, err := filepath.Abs(filepath.Join("..", "..", "ci", "oauthconform-ci.sh"))
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
			t.Fatalf("bash -n: %v\n%s", err, out)
		}
		action, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := os.ReadFile(script)
		for _, v := range []string{"OAUTHCONFORM_TARGET", "OAUTHCONFORM_SECRET_ENV", "OAUTHCONFORM_WAIVERS", "OAUTHCONFORM_LABELS", "OAUTHCONFORM_STRICT", "OAUTHCONFORM_FAIL_ON", "OAUTHCONFORM_BROWSER_REMOTE", "OAUTHCONFORM_REPORTS", "OAUTHCONFORM_ARGS", "OAUTHCONFORM_VERSION"} {
			if !strings.Contains(string(action), v+":") || !strings.Contains(string(body), v) {
				t.Errorf("%s: not handed from action.yml to the script", v)
			}
		}
		summary, output := filepath.Join(dir, "step-summary.md"), filepath.Join(dir, "github-output")
		// secret-env is a line per secret; the mock's keys and
		// certificates span lines, so they come in the job's environment
		// (a CI job would give them as files).
		var secretEnv strings.Builder
		var pemEnv []string
		lineSecrets := 0
		for k, v := range secrets {
			if strings.Contains(v, "\n") {
				pemEnv = append(pemEnv, k+"="+v)
				continue
			}
			fmt.Fprintf(&secretEnv, "%s=%s\n", k, v)
			lineSecrets++
		}
		cmd := exec.Command("bash", script)
		cmd.Dir = dir
		cmd.Env = append(append(append([]string{}, env...), pemEnv...),
			"OAUTHCONFORM_BIN="+bin, "GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output,
			"OAUTHCONFORM_TARGET=mock-target.yaml", "OAUTHCONFORM_REPORTS=action-reports",
			"OAUTHCONFORM_SECRET_ENV="+secretEnv.String(),
			"OAUTHCONFORM_LABELS=CODE-01 || AE-02", "OAUTHCONFORM_ARGS=--ca-file mock-ca.pem")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("the action's script: %v\nstdout:\n%s\nstderr:\n%s", err, tail(stdout.String()), tail(stderr.String()))
		}
		masked := strings.Count(stdout.String(), "::add-mask::")
		if masked != lineSecrets {
			t.Errorf("%d secrets masked, want %d", masked, lineSecrets)
		}
		if s, err := os.ReadFile(summary); err != nil || !strings.Contains(string(s), "## oauthconform") {
			t.Errorf("job summary: %v\n%s", err, s)
		}
		if o, err := os.ReadFile(output); err != nil || !strings.Contains(string(o), "exit-status=0") || !strings.Contains(string(o), "sarif=action-reports/results.sarif") {
			t.Errorf("step outputs: %v\n%s", err, o)
		}
		if _, err := os.Stat(filepath.Join(dir, "action-reports", "results.sarif")); err != nil {
			t.Error(err)
		}
	})

	t.Run("baseline", func(t *testing.T) {
		labels := "CODE-01 || PKCE-01 || AE-02"
		args := []string{"run", "--faults", "code_reuse", "--labels", labels, "--reports", "faulty"}
		code, out, errOut := oc(t, nil, args...)
		want(t, code, 1, out, errOut, args...)
		args = []string{"baseline", "--from", "faulty/results.json", "--out", "waivers.yaml"}
		code, out, errOut = oc(t, nil, args...)
		want(t, code, 0, out, errOut, args...)
		args = []string{"run", "--faults", "code_reuse", "--labels", labels, "--waivers", "waivers.yaml", "--reports", "waived"}
		code, out, errOut = oc(t, nil, args...)
		want(t, code, 0, out, errOut, args...)
		args = []string{"run", "--labels", labels, "--waivers", "waivers.yaml", "--reports", "fixed"}
		code, out, errOut = oc(t, nil, args...)
		want(t, code, 0, out, errOut, args...)
		if !strings.Contains(out, "waiver CODE-01: stale") {
			t.Errorf("the run with the fault off does not report the waiver stale:\n%s", tail(out))
		}
	})
}

func countChecks(t *testing.T, path, verdict string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ Verdict string }
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.Verdict == verdict {
			n++
		}
	}
	return n
}

func tail(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return fmt.Sprint(strings.Join(lines, "\n"))
}
