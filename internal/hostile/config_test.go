package hostile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A valid target profile (the service role needs no browser) and a valid
// waivers file, which the broken cases below change one thing in.
const (
	okTarget = `name: broken-config
issuer: https://auth.example.test
clients:
  service: {id: svc, secret: "${CFG_SVC_SECRET}"}
`
	okWaivers = `waivers:
  - {id: CODE-01, reason: "ships in 4.2"}
`
)

// configCase is one broken configuration; want is the one message, which
// names the file, the line and the field.
type configCase struct {
	name    string
	config  string // ginkgo.yaml after the fake browser line ("" : valid)
	target  string // target profile ("" : okTarget)
	waivers string // waivers file ("" : none)
	want    string
}

// TestBrokenConfigurations runs the suite binary on each broken
// configuration: one readable message naming the file, the field and the
// line, exit status 2 (through internal/cmd/verdict, as
// scripts/conformance.sh exits), and no browser started.
func TestBrokenConfigurations(t *testing.T) {
	mockProfile := filepath.Join(repoRoot, "profiles", "mock.yaml")
	cases := []configCase{
		// ginkgo.yaml
		{name: "run profile: YAML syntax", config: "timeouts:\n  http: [10s\n", want: "ginkgo.yaml:2: did not find expected ',' or ']'"},
		{name: "run profile: tab indentation", config: "timeouts:\n\thttp: 10s\n", want: "ginkgo.yaml:3: found character that cannot start any token"},
		{name: "run profile: unknown field", config: "timeout:\n  http: 10s\n", want: `ginkgo.yaml:2: timeout: unknown field "timeout"`},
		{name: "run profile: duration of the wrong type", config: "timeouts:\n  http: ten\n", want: `ginkgo.yaml:3: timeouts.http: "ten" is not a duration such as 10s`},
		{name: "run profile: negative timeout", config: "timeouts:\n  step: -1s\n", want: "ginkgo.yaml:3: timeouts.step: must be a positive duration"},
		{name: "run profile: run deadline shorter than a flow", config: "timeouts:\n  run: 5s\n", want: "ginkgo.yaml:3: timeouts.run: 5s is shorter than timeouts.flow"},
		{name: "run profile: headless not a boolean", config: "browser:\n  headless: maybe\n", want: `ginkgo.yaml:3: browser.headless: "maybe" is not true or false`},
		{name: "run profile: empty reports dir", config: "reports:\n  dir: \"\"\n", want: "ginkgo.yaml:3: reports.dir: required"},
		{name: "run profile: remote browser not a URL", config: "browser:\n  remote: localhost:9222\n", want: `ginkgo.yaml:3: browser.remote: "localhost:9222" is not a DevTools URL`},
		{name: "run profile: CA bundle missing", config: "tls:\n  ca_file: nowhere.pem\n", want: "ginkgo.yaml:3: tls.ca_file: open "},
		{name: "run profile: unknown mock fault", config: "target: \"\"\nmock:\n  profile: " + mockProfile + "\n  faults: [no_such_fault]\n", target: "-", want: `ginkgo.yaml:5: mock.faults[0]: unknown fault "no_such_fault"`},
		{name: "run profile: target file missing", config: "target: nowhere.yaml\n", target: "-", want: "ginkgo.yaml:2: target: target profile "},
		{name: "run profile: waivers file missing", config: "waivers: nowhere.yaml\n", want: "ginkgo.yaml:2: waivers: waivers file "},
		// target profiles
		{name: "profile: YAML syntax", target: "name: x\nclients: {service: {id: svc\n", want: "target.yaml:1: did not find expected ',' or '}'"},
		{name: "profile: unknown field", target: strings.Replace(okTarget, "secret:", "secrett:", 1), want: "target.yaml:4: clients.service.secrett: unknown field"},
		{name: "profile: wrong type", target: okTarget + "login: fill\n", want: `target.yaml:5: login: "fill" is not a list`},
		{name: "profile: name missing", target: strings.Replace(okTarget, "name: broken-config\n", "", 1), want: "target.yaml: name: required"},
		{name: "profile: issuer not a URL", target: strings.Replace(okTarget, "https://auth.example.test", "auth.example.test", 1), want: `target.yaml:2: issuer: "auth.example.test" is not an absolute http(s) URL`},
		{name: "profile: endpoint with a fragment", target: okTarget + "endpoints:\n  token: https://auth.example.test/token#x\n", want: "target.yaml:6: endpoints.token: \"https://auth.example.test/token#x\" must not have a fragment"},
		{name: "profile: unset variable", target: strings.Replace(okTarget, "CFG_SVC_SECRET", "CFG_UNSET_SECRET", 1), want: "target.yaml:4: clients.service.secret: environment variable CFG_UNSET_SECRET is not set"},
		{name: "profile: required secret missing", target: strings.Replace(okTarget, `, secret: "${CFG_SVC_SECRET}"`, "", 1), want: "target.yaml:4: clients.service.secret: required for the service role"},
		{name: "profile: empty selector", target: okTarget + "redirect_uri: https://app.example.test/cb\n  \nlogin:\n  - {click: \"\"}\n", want: "target.yaml:8: login[0]: a step needs exactly one of fill, click, wait_url, wait_for (non-empty)"},
		{name: "profile: browser role without login", target: okTarget + "  public: {id: spa}\nredirect_uri: https://app.example.test/cb\n", want: "target.yaml: login: required when a browser client role is given"},
		// waivers
		{name: "waivers: unknown check", waivers: "waivers:\n  - {id: CODE-99, reason: r}\n", want: `waivers.yaml:2: waivers[0].id: unknown check ID "CODE-99"`},
		{name: "waivers: reason missing", waivers: "waivers:\n  - {id: CODE-01}\n", want: "waivers.yaml:2: waivers[0].reason"},
		{name: "waivers: date not YYYY-MM-DD", waivers: "waivers:\n  - {id: CODE-01, reason: r, expires: 30/09/2026}\n", want: "waivers.yaml:2: waivers[0].expires"},
		{name: "waivers: unknown field", waivers: "waivers:\n  - {id: CODE-01, reasons: r}\n", want: "waivers.yaml:2: waivers[0].reasons"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fake := writeFile(t, filepath.Join(dir, "fake-chromium"), "#!/bin/sh\ntouch '"+filepath.Join(dir, "browser-started")+"'\nexit 1\n")
			if err := os.Chmod(fake, 0o755); err != nil {
				t.Fatal(err)
			}
			config := "# a broken run profile\n" + tc.config
			if tc.config == "" {
				config = "browser: {bin: " + fake + "}\n"
			}
			cfg := writeFile(t, filepath.Join(dir, "ginkgo.yaml"), config)
			args := []string{"-config", cfg}
			if tc.target != "-" {
				target := tc.target
				if target == "" {
					target = okTarget
				}
				args = append(args, "-target", writeFile(t, filepath.Join(dir, "target.yaml"), target))
			}
			if tc.waivers != "" {
				args = append(args, "-waivers", writeFile(t, filepath.Join(dir, "waivers.yaml"), tc.waivers))
			}
			args = append(args, "-reports-dir", filepath.Join(dir, "reports"))
			o := runSuite(t, dir, time.Minute, []string{"CFG_SVC_SECRET=s3cret", "OAUTHCONFORM_BROWSER=" + fake}, args...)
			if o.exit != 2 {
				t.Errorf("exit status %d, want 2 (%s)", o.exit, strings.TrimSpace(o.verdictOut))
			}
			if n := strings.Count(o.output, tc.want); n != 1 {
				t.Errorf("the message %q appears %d times, want once; output:\n%s", tc.want, n, tail(o.output))
			}
			if n := strings.Count(o.output, "oauthconform: "); n != 1 {
				t.Errorf("%d oauthconform: messages, want one; output:\n%s", n, tail(o.output))
			}
			if o.browserRan {
				t.Errorf("a browser was started before the configuration error was reported")
			}
			if o.elapsed > 30*time.Second {
				t.Errorf("took %s", o.elapsed)
			}
			for _, line := range strings.Split(o.output, "\n") {
				if strings.HasPrefix(line, "oauthconform: ") {
					t.Logf("%s", line)
				}
			}
		})
	}
}
