package runconfig_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/runconfig"
)

// write puts data in a fresh temp dir as ginkgo.yaml and returns its path.
func write(t *testing.T, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ginkgo.yaml")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadEmptyFileGivesDefaults(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n", "---\n"} {
		t.Run("content "+strings.TrimSpace(data), func(t *testing.T) {
			path := write(t, data)
			cfg, err := runconfig.Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := runconfig.Default()
			if cfg.Target != want.Target || cfg.Mock.Profile != want.Mock.Profile || cfg.Reports.Dir != want.Reports.Dir || cfg.Timeout != want.Timeout {
				t.Errorf("cfg = %+v, want defaults %+v", cfg, want)
			}
			if cfg.Dir != filepath.Dir(path) {
				t.Errorf("Dir = %q, want %q", cfg.Dir, filepath.Dir(path))
			}
			if !cfg.Browser.HeadlessOrDefault() {
				t.Error("headless should default to true")
			}
		})
	}
}

func TestDefault(t *testing.T) {
	d := runconfig.Default()
	if d.Target != "" || d.Mock.Profile != "profiles/mock.yaml" || d.Reports.Dir != "oauthconform-reports" {
		t.Errorf("Default() = %+v", d)
	}
	if d.Timeout.HTTP != 10*time.Second || d.Timeout.Step != 10*time.Second || d.Timeout.Flow != 45*time.Second {
		t.Errorf("default timeouts = %+v", d.Timeout)
	}
}

func TestLoadReadsValues(t *testing.T) {
	path := write(t, `target: profiles/keycloak.yaml
mock:
  profile: other/mock.yaml
  faults: [state_dropped, code_reuse]
reports:
  dir: out/reports
browser:
  bin: /usr/bin/chromium
  remote: ws://127.0.0.1:9222/devtools/browser/x
  headless: false
timeouts:
  http: 3s
  step: 1500ms
  flow: 2m
`)
	cfg, err := runconfig.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if cfg.Target != "profiles/keycloak.yaml" || cfg.Mock.Profile != "other/mock.yaml" || cfg.Reports.Dir != "out/reports" {
		t.Errorf("paths = %q %q %q", cfg.Target, cfg.Mock.Profile, cfg.Reports.Dir)
	}
	if !slices.Equal(cfg.Mock.Faults, []string{"state_dropped", "code_reuse"}) {
		t.Errorf("faults = %q", cfg.Mock.Faults)
	}
	if cfg.Browser.Bin != "/usr/bin/chromium" || cfg.Browser.Remote != "ws://127.0.0.1:9222/devtools/browser/x" {
		t.Errorf("browser = %+v", cfg.Browser)
	}
	if cfg.Browser.HeadlessOrDefault() {
		t.Error("headless: false should be false")
	}
	want := runconfig.Timeouts{HTTP: 3 * time.Second, Step: 1500 * time.Millisecond, Flow: 2 * time.Minute, Run: 30 * time.Minute}
	if cfg.Timeout != want {
		t.Errorf("timeouts = %+v, want %+v", cfg.Timeout, want)
	}
}

func TestLoadPartialFileKeepsOtherDefaults(t *testing.T) {
	cfg, err := runconfig.Load(write(t, "timeouts:\n  http: 2s\nmock:\n  faults: [iss_wrong]\n"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	d := runconfig.Default()
	if cfg.Timeout.HTTP != 2*time.Second || cfg.Timeout.Step != d.Timeout.Step || cfg.Timeout.Flow != d.Timeout.Flow {
		t.Errorf("timeouts = %+v", cfg.Timeout)
	}
	if cfg.Mock.Profile != d.Mock.Profile || cfg.Reports.Dir != d.Reports.Dir {
		t.Errorf("mock profile / reports dir = %q / %q, want defaults", cfg.Mock.Profile, cfg.Reports.Dir)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		contains []string
	}{
		{"unknown top-level field", "targets: x\n", []string{"ginkgo.yaml:1: targets: unknown field"}},
		{"unknown nested field", "browser:\n  headles: true\n", []string{"ginkgo.yaml:2: browser.headles: unknown field"}},
		{"duration that is not a duration", "timeouts:\n  http: fast\n", []string{"ginkgo.yaml:2: timeouts.http: \"fast\" is not a duration"}},
		{"bare number as duration", "timeouts:\n  flow: 30\n", []string{"ginkgo.yaml:2: timeouts.flow: \"30\" is not a duration"}},
		{"zero step timeout", "timeouts:\n  step: 0s\n", []string{"timeouts.step", "positive duration"}},
		{"negative step timeout", "timeouts:\n  step: -5s\n", []string{"timeouts.step", "positive duration"}},
		{"negative http timeout", "timeouts:\n  http: -1ms\n", []string{"timeouts.http", "positive duration"}},
		{"empty reports dir", "reports:\n  dir: \"\"\n", []string{"reports.dir", "required"}},
		{"YAML syntax error", "mock: [\n", []string{"did not find expected"}},
		{"run deadline shorter than a flow", "timeouts:\n  run: 10s\n", []string{"ginkgo.yaml:2: timeouts.run: 10s is shorter than timeouts.flow"}},
		{"remote browser that is no URL", "browser:\n  remote: localhost:9222\n", []string{"ginkgo.yaml:2: browser.remote:", "not a DevTools URL"}},
		{"CA bundle that does not exist", "tls:\n  ca_file: nowhere.pem\n", []string{"ginkgo.yaml:2: tls.ca_file:", "nowhere.pem"}},
		{"CA bundle and insecure together", "tls:\n  ca_file: x.pem\n  insecure_skip_verify: true\n", []string{"ginkgo.yaml:3: tls.insecure_skip_verify: true together with tls.ca_file"}},
		{"insecure that is not a boolean", "tls:\n  insecure_skip_verify: please\n", []string{"ginkgo.yaml:2: tls.insecure_skip_verify: \"please\" is not true or false"}},
		{"fail_on that is not a severity", "fail_on: severe\n", []string{"ginkgo.yaml:1: fail_on: \"severe\" is not a severity"}},
		{"faults that are not a list", "mock:\n  faults: {a: b}\n", []string{"ginkgo.yaml:2: mock.faults:"}},
		{"wrong type for headless", "browser:\n  headless: maybe\n", []string{"ginkgo.yaml:2: browser.headless: \"maybe\" is not true or false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(t, tt.data)
			_, err := runconfig.Load(path)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "run profile "+path) {
				t.Errorf("error %q does not name the file %q", msg, path)
			}
			for _, c := range tt.contains {
				if !strings.Contains(msg, c) {
					t.Errorf("error %q does not contain %q", msg, c)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.yaml")
	_, err := runconfig.Load(path)
	if err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %q", err, path)
	}
	if !os.IsNotExist(err) && !strings.Contains(err.Error(), "no such file") {
		t.Errorf("error %q does not say the file is missing", err)
	}
}

func TestResolve(t *testing.T) {
	path := write(t, "target: ../profiles/x.yaml\n")
	cfg, err := runconfig.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	dir := filepath.Dir(path)
	if !filepath.IsAbs(cfg.Dir) {
		t.Fatalf("Dir %q is not absolute", cfg.Dir)
	}
	abs := filepath.Join(string(filepath.Separator), "etc", "oauthconform", "p.yaml")
	tests := []struct {
		name, in, want string
	}{
		{"relative file", "profiles/mock.yaml", filepath.Join(dir, "profiles", "mock.yaml")},
		{"relative with dot-dot", cfg.Target, filepath.Join(filepath.Dir(dir), "profiles", "x.yaml")},
		{"dot", ".", dir},
		{"absolute is left alone", abs, abs},
		{"empty stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cfg.Resolve(tt.in); got != tt.want {
				t.Errorf("Resolve(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestResolveRelativeFilePath(t *testing.T) {
	// A relative path to the file still yields an absolute Dir.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ginkgo.yaml"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, filepath.Join(dir, "ginkgo.yaml"))
	if err != nil {
		t.Skipf("no relative path from %s to %s: %v", wd, dir, err)
	}
	cfg, err := runconfig.Load(rel)
	if err != nil {
		t.Fatalf("Load(%q): %v", rel, err)
	}
	if got, want := cfg.Resolve("reports"), filepath.Join(dir, "reports"); got != want {
		t.Errorf("Resolve(reports) = %q, want %q", got, want)
	}
}

func TestResolveWithoutDir(t *testing.T) {
	// Default() has no Dir: paths are returned as given.
	if got := runconfig.Default().Resolve("reports"); got != "reports" {
		t.Errorf("Resolve = %q, want reports", got)
	}
}

func TestHeadlessOrDefault(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		b    runconfig.Browser
		want bool
	}{
		{"unset", runconfig.Browser{}, true},
		{"true", runconfig.Browser{Headless: &yes}, true},
		{"false", runconfig.Browser{Headless: &no}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.HeadlessOrDefault(); got != tt.want {
				t.Errorf("HeadlessOrDefault() = %v, want %v", got, tt.want)
			}
		})
	}
	for _, tc := range []struct {
		data string
		want bool
	}{{"browser:\n  bin: x\n", true}, {"browser:\n  headless: false\n", false}, {"browser:\n  headless: true\n", true}} {
		t.Run("loaded "+strings.ReplaceAll(tc.data, "\n", " "), func(t *testing.T) {
			cfg, err := runconfig.Load(write(t, tc.data))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := cfg.Browser.HeadlessOrDefault(); got != tc.want {
				t.Errorf("HeadlessOrDefault() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRepositoryGinkgoYAMLLoads(t *testing.T) {
	path := filepath.Join("..", "..", "ginkgo.yaml")
	cfg, err := runconfig.Load(path)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	if cfg.Reports.Dir == "" || cfg.Timeout.HTTP <= 0 || cfg.Timeout.Step <= 0 || cfg.Timeout.Flow <= 0 {
		t.Errorf("cfg = %+v", cfg)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir != root {
		t.Errorf("Dir = %q, want %q", cfg.Dir, root)
	}
	if _, err := os.Stat(cfg.Resolve(cfg.Mock.Profile)); err != nil {
		t.Errorf("mock profile %q does not resolve to a file: %v", cfg.Mock.Profile, err)
	}
}

func TestCABundle(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "not.pem"), []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ginkgo.yaml")
	if err := os.WriteFile(path, []byte("tls:\n  ca_file: not.pem\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := runconfig.Load(path)
	if err == nil || !strings.Contains(err.Error(), "ginkgo.yaml:2: tls.ca_file: "+filepath.Join(dir, "not.pem")+" holds no PEM certificate") {
		t.Fatalf("err = %v, want the file, line, field and why", err)
	}
}
