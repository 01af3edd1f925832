package hostile_test

import (
	"crypto/tls"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/hostile"
)

// serviceProfile is a target profile with only the client credentials role:
// its checks need no browser login.
const serviceProfile = `name: hostile
issuer: %ISSUER%
clients:
  service: {id: svc, secret: "${HOSTILE_SVC_SECRET}"}
`

// browserProfile adds a browser client and login steps.
const browserProfile = `name: hostile
issuer: %ISSUER%
redirect_uri: https://client.example.test/callback
clients:
  confidential: {id: web, secret: "${HOSTILE_SVC_SECRET}"}
user: {username: alice, password: "${HOSTILE_SVC_SECRET}"}
login:
  - {fill: "#username", value: "{{user.username}}"}
  - {fill: "#password", value: "{{user.password}}"}
  - {click: "button[type=submit]"}
`

// hostileCase is one broken or hostile target and what the run must say.
type hostileCase struct {
	name      string
	behaviour hostile.Behaviour // "" with issuer set: no server at all
	issuer    string            // overrides the server's URL (unreachable targets)
	cert      hostile.CertKind  // serve TLS with this certificate
	tls       string            // ginkgo.yaml tls: block (CA_FILE is replaced by the certificate's PEM file)
	browser   bool              // the browser profile and one browser check
	shot      bool              // the first check carries a screenshot of the page
	// want is the text the first reason must carry; all means every
	// selected check is error (else: none passes wrongly and none fails).
	want     string
	all      bool
	passOK   bool // a control: the checks may pass
	jwksOK   bool // the JWKS is served well: its checks (TF-06, TF-07) may pass
	exit     int
	deadline time.Duration
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

func TestHostileTargets(t *testing.T) {
	cases := []hostileCase{
		{name: "connection refused", issuer: "CLOSED", want: "connection refused", all: true, exit: 2},
		{name: "DNS failure", issuer: "http://oauthconform-nowhere.invalid", want: "DNS lookup of oauthconform-nowhere.invalid failed", all: true, exit: 2},
		{name: "metadata never answers", behaviour: hostile.MetadataHang, want: "no complete answer within 2s", all: true, exit: 2},
		{name: "metadata is an HTML page", behaviour: hostile.MetadataHTML, want: "HTML page", all: true, exit: 2},
		{name: "token endpoint never answers", behaviour: hostile.TokenHang, want: "no complete answer within 2s (timeouts.http)", all: true, jwksOK: true, exit: 1},
		{name: "token endpoint drips its body", behaviour: hostile.TokenDrip, want: "did not end within 2s", all: true, jwksOK: true, exit: 1},
		{name: "token response of unbounded size", behaviour: hostile.TokenHuge, want: "larger than 1 MiB", all: true, jwksOK: true, exit: 1},
		{name: "token response header of unbounded size", behaviour: hostile.TokenHugeHeader, want: "response headers larger than 64 KiB", all: true, jwksOK: true, exit: 1},
		{name: "malformed JSON", behaviour: hostile.TokenMalformed, want: "malformed JSON", all: true, jwksOK: true, exit: 1},
		{name: "JSON of the wrong shape", behaviour: hostile.TokenWrongShape, want: "JSON that is not an object", all: true, jwksOK: true, exit: 1},
		{name: "HTML error page from a gateway", behaviour: hostile.TokenHTML, want: "HTTP 502 with an HTML page", all: true, jwksOK: true, exit: 1},
		{name: "HTML page where the token response belongs", behaviour: hostile.TokenHTML200, want: "HTTP 200 with an HTML page", all: true, jwksOK: true, exit: 1},
		{name: "connection closed without an answer", behaviour: hostile.TokenReset, want: "connection closed without a complete response", all: true, jwksOK: true, exit: 1},
		{name: "provider crashes mid-run", behaviour: hostile.CrashAfter, want: "token endpoint", exit: 1},
		{name: "self-signed certificate", behaviour: hostile.Good, cert: hostile.CertGood, want: "signed by an unknown authority", all: true, exit: 2},
		{name: "expired certificate", behaviour: hostile.Good, cert: hostile.CertExpired, tls: "ca_file: CA_FILE", want: "certificate has expired", all: true, exit: 2},
		{name: "certificate for another host", behaviour: hostile.Good, cert: hostile.CertWrongHost, tls: "ca_file: CA_FILE", want: "not valid for this host", all: true, exit: 2},
		{name: "private CA given as tls.ca_file (control)", behaviour: hostile.Good, cert: hostile.CertGood, tls: "ca_file: CA_FILE", passOK: true},
		{name: "self-signed with insecure_skip_verify (control, reported)", behaviour: hostile.Good, cert: hostile.CertGood, tls: "insecure_skip_verify: true", passOK: true},
		{name: "redirect loop at the authorization endpoint", behaviour: hostile.RedirectLoop, browser: true, want: "ERR_TOO_MANY_REDIRECTS", all: true, exit: 2},
		{name: "redirect chain longer than the browser follows", behaviour: hostile.RedirectChain, browser: true, want: "ERR_TOO_MANY_REDIRECTS", all: true, exit: 2},
		{name: "login page without the profile's fields", behaviour: hostile.LoginNoSelectors, browser: true, want: `driver: login step "fill #username" on http://127.0.0.1`, all: true, shot: true, exit: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			issuer := tc.issuer
			tlsBlock := tc.tls
			if issuer == "CLOSED" {
				issuer = closedPort(t)
			}
			if tc.behaviour != "" {
				cert, pemData, err := hostileCert(tc.cert)
				if err != nil {
					t.Fatal(err)
				}
				srv, err := hostile.Start(tc.behaviour, cert)
				if err != nil {
					t.Fatal(err)
				}
				defer srv.Close()
				issuer = srv.URL
				if pemData != nil {
					tlsBlock = strings.ReplaceAll(tlsBlock, "CA_FILE", writeFile(t, filepath.Join(dir, "ca.pem"), string(pemData)))
				}
			}
			profile, filter := serviceProfile, "flow:client_credentials"
			if tc.browser {
				profile, filter = browserProfile, "AE-01 || AE-02"
			}
			extra := ""
			if tlsBlock != "" {
				extra = "tls:\n  " + indent(tlsBlock) + "\n"
			}
			cfg := writeFile(t, filepath.Join(dir, "ginkgo.yaml"), runConfig(extra))
			target := writeFile(t, filepath.Join(dir, "target.yaml"), strings.ReplaceAll(profile, "%ISSUER%", issuer))
			o := runSuite(t, dir, 3*time.Minute, []string{"HOSTILE_SVC_SECRET=svc-secret"},
				"-config", cfg, "-target", target, "-ginkgo.label-filter", filter)
			if limit := 90 * time.Second; o.elapsed > limit {
				t.Errorf("the run took %s, more than %s", o.elapsed.Round(time.Second), limit)
			}
			if len(o.results) == 0 {
				t.Fatalf("no results.json written; output:\n%s", tail(o.output))
			}
			if o.doc == nil {
				t.Errorf("no report.json written")
			}
			checkVerdicts(t, tc, o)
		})
	}
}

func hostileCert(kind hostile.CertKind) (*tls.Certificate, []byte, error) {
	if kind == "" {
		return nil, nil, nil
	}
	return hostile.Certificate(kind)
}

// checkVerdicts: the honest verdicts, the reason said once, the exit status.
func checkVerdicts(t *testing.T, tc hostileCase, o outcome) {
	t.Helper()
	setupErr, _ := o.doc["setup_error"].(string)
	var full, pointers, passes int
	for _, r := range o.results {
		switch r.Verdict {
		case "pass":
			passes++
			if !tc.passOK && tc.all && !(tc.jwksOK && (r.ID == "TF-06" || r.ID == "TF-07")) {
				t.Errorf("%s passed against a broken target", r.ID)
			}
		case "fail", "warning":
			if !tc.passOK {
				t.Errorf("%s is %s, blaming the provider for what the harness could not do: %s", r.ID, r.Verdict, r.Reason)
			}
		case "error":
			if tc.passOK {
				t.Errorf("%s is error against a well-behaved target: %s", r.ID, r.Reason)
			}
			switch {
			case strings.Contains(r.Reason, "first seen in") || strings.Contains(r.Reason, "the same harness error as"):
				pointers++
			case strings.Contains(r.Reason, tc.want):
				full++
			}
		}
	}
	t.Logf("%d checks, exit %d, %s; setup error: %q", len(o.results), o.exit, o.elapsed.Round(time.Millisecond), setupErr)
	for _, r := range o.results {
		t.Logf("  %-7s %-8s %s", r.Verdict, r.ID, firstLine(r.Reason))
	}
	if o.exit != tc.exit {
		t.Errorf("exit status %d, want %d (%s)", o.exit, tc.exit, strings.TrimSpace(o.verdictOut))
	}
	if tc.passOK {
		if passes == 0 {
			t.Errorf("no check passed against a well-behaved target")
		}
		if strings.Contains(tc.tls, "insecure") {
			settings, _ := o.doc["settings"].(map[string]any)
			if settings["tls_verification_disabled"] != true {
				t.Errorf("report.json settings.tls_verification_disabled = %v, want true", settings["tls_verification_disabled"])
			}
			if strings.Count(o.output, "TLS certificate verification") < 2 {
				t.Errorf("the terminal does not say TLS verification was off at the start and at the end:\n%s", tail(o.output))
			}
		}
		return
	}
	switch {
	case setupErr != "":
		// Said once: the run could not start, and report.json says why.
		if !strings.Contains(setupErr, tc.want) {
			t.Errorf("setup_error %q does not say %q", setupErr, tc.want)
		}
	case full == 0:
		t.Errorf("no reason says %q", tc.want)
	case full > 1 && tc.all:
		t.Errorf("%d checks repeat the cause %q in full; it should be said once and the others point to it (%d do)", full, tc.want, pointers)
	}
	if tc.shot {
		shots := 0
		checks, _ := o.doc["checks"].([]any)
		for _, c := range checks {
			if m, _ := c.(map[string]any); m["screenshot"] != nil && m["screenshot"] != "" {
				shots++
			}
		}
		if shots != 1 {
			t.Errorf("%d checks carry a screenshot, want exactly 1 (the first to meet the failed login)", shots)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 160 {
		line = line[:160] + "…"
	}
	return line
}
