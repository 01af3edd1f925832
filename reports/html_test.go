package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/redact"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/internal/waiver"
	"github.com/oauthconform/oauthconform/reports"
)

// richRun is a run with every verdict, evidence, a redirect chain, a
// screenshot, waivers (applied, stale, expired) and TLS verification off.
func richRun(t *testing.T) (types.Report, reports.Run, *redact.Redactor) {
	t.Helper()
	root := t.TempDir()
	shot := filepath.Join(root, "reports", "screenshots", "PK-01-x.png")
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for x := 0; x < 120; x++ {
		for y := 0; y < 40; y++ {
			img.Set(x, y, color.RGBA{R: 200, G: 60, B: 60, A: 255})
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, pngData.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	report := sampleReport()
	report.StartTime = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	report.EndTime = report.StartTime.Add(12 * time.Second)
	report.RunTime = 12 * time.Second
	for i, s := range report.SpecReports {
		if c, ok := reports.CheckOf(s, &redact.Redactor{}); ok && c.ID == catalog.CodeSingleUse.ID {
			s.ReportEntries = append(s.ReportEntries,
				entry(verdict.EntryEvidence, "POST /token\nAuthorization: Basic d2ViOmNsaWVudC1zZWNyZXQ=\n\ncode="+unregisteredCode+"&grant_type=authorization_code\n\n→ 200\n{\"access_token\":\"eyJhbGciOiJSUzI1NiJ9.secret-token\"}"),
				entry(verdict.EntryRedirects, "302 https://as.example/authorize?client_id=web → https://as.example/login\n303 https://as.example/login → https://client.example.test/cb?code="+unregisteredCode+"\nredirect URI reached: https://client.example.test/cb?code="+unregisteredCode))
			report.SpecReports[i] = s
		}
	}
	report.SpecReports = append(report.SpecReports,
		spec(catalog.PKCES256Accepted, types.SpecStateFailed, "harness error: login step \"fill #username\" on https://as.example/login: timeout",
			entry(verdict.EntryVerdict, verdict.Error), entry(verdict.EntryScreenshot, shot)),
		spec(catalog.CodeResponseStateEchoed, types.SpecStatePassed, "",
			entry(verdict.EntryVerdict, verdict.Waived), entry(verdict.EntryReason, "no state in the authorization response"),
			entry(verdict.EntryWaiver, "waived: fixed in 4.2 (until 2099-01-01)")),
		spec(catalog.MetadataIssuerIdentical, types.SpecStatePassed, "",
			entry(verdict.EntryVerdict, verdict.Info), entry(verdict.EntryReason, "access tokens are JWTs (RFC 9068)")),
	)
	list, err := waiver.Parse(filepath.Join(root, "waivers.yaml"), []byte(`waivers:
  - {id: AE-02, reason: fixed in 4.2, expires: 2099-01-01}
  - {id: AE-01, reason: old deviation}
  - {id: CODE-01, reason: replay protection, expires: 2020-01-01}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	var r redact.Redactor
	r.Add(registeredSecret)
	run := reports.Run{
		Target: reports.Target{Name: "example-as", Issuer: "https://as.example", Endpoints: map[string]string{"token": "https://as.example/token"}},
		Settings: reports.Settings{TLSVerificationDisabled: true, Browser: "system Chromium, headless",
			Timeouts: map[string]string{"http": "10s"}},
		Waivers: list,
		Root:    root,
		Now:     time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
	}
	return report, run, &r
}

func TestBuild(t *testing.T) {
	report, run, r := richRun(t)
	doc := reports.Build(report, run, r)
	if doc.SchemaVersion != reports.SchemaVersion || doc.Tool != "oauthconform" {
		t.Errorf("schema %q tool %q", doc.SchemaVersion, doc.Tool)
	}
	want := map[verdict.Verdict]int{verdict.Pass: 1, verdict.Fail: 1, verdict.Warning: 1, verdict.Info: 1, verdict.Skipped: 1, verdict.Error: 2, verdict.Waived: 1}
	for v, n := range want {
		if doc.Counts[v] != n {
			t.Errorf("counts[%s] = %d, want %d (%v)", v, doc.Counts[v], n, doc.Counts)
		}
	}
	if doc.Exit.Status != verdict.ExitFailed || !strings.Contains(doc.Exit.Reason, "CODE-01") {
		t.Errorf("exit = %+v", doc.Exit)
	}
	areaTotal := 0
	for _, a := range doc.Areas {
		for _, n := range a.Counts {
			areaTotal += n
		}
	}
	if areaTotal != len(doc.Checks) {
		t.Errorf("areas count %d checks, want %d", areaTotal, len(doc.Checks))
	}
	waivers := map[string]string{}
	for _, w := range doc.Waivers {
		waivers[w.ID] = w.Status
	}
	if waivers["AE-02"] != reports.WaiverApplied || waivers["AE-01"] != reports.WaiverStale || waivers["CODE-01"] != reports.WaiverExpired {
		t.Errorf("waiver statuses = %v", waivers)
	}
	for _, c := range doc.Checks {
		switch c.ID {
		case "CODE-01":
			if len(c.Evidence) != 1 || len(c.Redirects) != 3 || len(c.Spec) == 0 || c.Spec[0].URL == "" {
				t.Errorf("CODE-01 = %+v", c)
			}
		case "PK-01":
			if c.Screenshot != "reports/screenshots/PK-01-x.png" {
				t.Errorf("screenshot path %q, want it relative to the root", c.Screenshot)
			}
		}
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, "report.json", data)
	for _, key := range []string{`"schema_version":"` + reports.SchemaVersion + `"`, `"tls_verification_disabled":true`, `"exit":{"status":1`} {
		if !bytes.Contains(data, []byte(key)) {
			t.Errorf("report.json lacks %s", key)
		}
	}
}

func assertNoSecrets(t *testing.T, name string, data []byte) {
	t.Helper()
	for _, secret := range []string{registeredSecret, unregisteredCode, "d2ViOmNsaWVudC1zZWNyZXQ=", "secret-token"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s contains %q", name, secret)
		}
	}
}

func TestMarkdown(t *testing.T) {
	report, run, r := richRun(t)
	md := string(reports.Markdown(reports.Build(report, run, r)))
	for _, want := range []string{
		"— FAILED (exit 1)", "TLS certificate verification was disabled",
		"| fail | error | warning | waived | info | skipped | pass |", "| 1 | 2 | 1 | 1 | 1 | 1 | 1 |",
		"### Failures (1)", "- **CODE-01** (MUST)", "### Warnings (1)", "- **TE-02** (SHOULD) [none] token response carries expires\\_in — expires\\_in is missing",
		"### Harness errors (undecided) (2)", "### Waived (1)", "**AE-02**",
		"**AE-01** stale", "**CODE-01** expired on 2020-01-01",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "second line") {
		t.Error("summary.md has more than the first line of a reason")
	}
	assertNoSecrets(t, "summary.md", []byte(md))
}

func TestHTMLIsSelfContained(t *testing.T) {
	report, run, r := richRun(t)
	page, err := reports.HTML(reports.Build(report, run, r))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	assertNoSecrets(t, "report.html", page)
	for _, bad := range []string{"<link", "src=\"http", "src=\"//", "@import", "url(http"} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html has an external reference %q", bad)
		}
	}
	for _, want := range []string{"Content-Security-Policy", "default-src &#39;none&#39;", `src="data:image/png;base64,`, `id="tls-banner"`} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Evidence from the target is text, never markup.
	report.SpecReports[4].Failure.Message = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	page, err = reports.HTML(reports.Build(report, run, r))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(page, []byte("<script>alert(1)")) || bytes.Contains(page, []byte("<img src=x")) {
		t.Error("a failure message reached report.html as markup")
	}
}

// TestHTMLInChromium renders report.html in headless Chromium, as a reviewer
// opening the CI artifact would: no request leaves the page, the summary and
// a failing check's evidence are visible, the TLS banner shows, the filter
// works, and a screenshot is saved for a person to look at.
func TestHTMLInChromium(t *testing.T) {
	bin, err := driver.FindBrowser("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI: %v", err)
		}
		t.Skipf("no Chromium (set CI=true to make this a failure): %v", err)
	}
	report, run, r := richRun(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := reports.WriteHTML(path, reports.Build(report, run, r)); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	l := launcher.New().Context(ctx).Bin(bin).Headless(true).NoSandbox(os.Geteuid() == 0).
		Set("disable-background-networking").Set("disable-component-update").
		Set("no-first-run").Set("disable-gpu").Set("disable-sync")
	controlURL, err := l.Launch()
	if err != nil {
		t.Fatalf("launch %s: %v", bin, err)
	}
	defer l.Cleanup()
	defer l.Kill()
	browser := rod.New().Context(ctx).ControlURL(controlURL)
	if err := browser.Connect(); err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	page, err := browser.Page(proto.TargetCreateTarget{})
	if err != nil {
		t.Fatal(err)
	}
	if err := (proto.EmulationSetDeviceMetricsOverride{Width: 1280, Height: 900, DeviceScaleFactor: 1}).Call(page); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var requests, consoleErrors []string
	go page.EachEvent(func(e *proto.NetworkRequestWillBeSent) {
		mu.Lock()
		requests = append(requests, e.Request.URL)
		mu.Unlock()
	}, func(e *proto.RuntimeConsoleAPICalled) {
		if e.Type == proto.RuntimeConsoleAPICalledTypeError {
			mu.Lock()
			consoleErrors = append(consoleErrors, "console error")
			mu.Unlock()
		}
	}, func(e *proto.LogEntryAdded) {
		mu.Lock()
		consoleErrors = append(consoleErrors, e.Entry.Text)
		mu.Unlock()
	})()
	if err := (proto.NetworkEnable{}).Call(page); err != nil {
		t.Fatal(err)
	}
	if err := (proto.LogEnable{}).Call(page); err != nil {
		t.Fatal(err)
	}
	if err := page.Navigate("file://" + path); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitLoad(); err != nil {
		t.Fatal(err)
	}

	visible := func(selector, wantText string) {
		t.Helper()
		el, err := page.Timeout(5 * time.Second).Element(selector)
		if err != nil {
			t.Errorf("%s: %v", selector, err)
			return
		}
		if ok, err := el.Visible(); err != nil || !ok {
			t.Errorf("%s is not visible (%v)", selector, err)
		}
		if text, err := el.Text(); err != nil || !strings.Contains(text, wantText) {
			t.Errorf("%s text %q (%v), want it to contain %q", selector, text, err, wantText)
		}
	}
	visible("#summary", "fail")
	visible("#summary .count.c-fail b", "1")
	visible("#tls-banner", "TLS certificate verification was DISABLED")
	visible("#outcome", "failed")
	visible("#check-CODE-01 pre.reason", "second redemption")
	visible("#check-CODE-01 pre.evidence", "POST /token")
	visible("#check-CODE-01 ol.redirects", "redirect URI reached")
	visible("#check-PK-01 img.shot", "")
	visible("#waivers", "stale")

	png, err := page.Screenshot(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.png")
	if keep := os.Getenv("OAUTHCONFORM_KEEP_SCREENSHOT"); keep != "" {
		out = keep
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(png))

	// The filter hides what does not match: only the fail row stays.
	if _, err := page.Eval(`() => { const s = document.querySelector("#f-verdict"); s.value = "fail"; s.dispatchEvent(new Event("change")); }`); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"CODE-01": true, "AE-01": false, "TE-02": false} {
		el, err := page.Element("#check-" + id + " tr.row")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := el.Visible(); ok != want {
			t.Errorf("with verdict=fail, %s visible = %v, want %v", id, ok, want)
		}
	}
	if shown, _ := page.MustElement("#shown").Text(); shown != "1" {
		t.Errorf("shown = %q, want 1", shown)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, u := range requests {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s", u)
		}
	}
	for _, e := range consoleErrors {
		t.Errorf("browser console: %s", e)
	}
}

// TestSeverityGrouping: report.html sorts and groups the checks by severity
// (gravest first, unrated last), report.json counts them by severity, and
// junit.xml and summary.md carry it.
func TestSeverityGrouping(t *testing.T) {
	report, run, r := richRun(t)
	doc := reports.Build(report, run, r)
	// The catalog's severities are filled elsewhere; these are the fixture's.
	set := map[string]verdict.Severity{"CODE-01": verdict.High, "TE-02": verdict.Low, "AE-01": verdict.Critical, "PK-01": verdict.High}
	for i, c := range doc.Checks {
		doc.Checks[i].Severity = set[c.ID]
		if c.ID == "CODE-01" {
			doc.Checks[i].Threat = "authorization code replay"
			doc.Checks[i].Quote = "RFC 6749 §4.1.2: The client MUST NOT use the authorization code more than once."
		}
	}
	doc.Recount()

	var sevs []string
	for _, s := range doc.Severities {
		sevs = append(sevs, s.Severity)
	}
	if want := []string{"critical", "high", "low", "unrated"}; strings.Join(sevs, ",") != strings.Join(want, ",") {
		t.Errorf("severities %v, want %v", sevs, want)
	}
	if doc.Severities[1].Counts[verdict.Fail] != 1 || doc.Severities[1].Counts[verdict.Error] != 1 {
		t.Errorf("high counts %v, want one fail and one error", doc.Severities[1].Counts)
	}

	var order []string
	for _, c := range doc.BySeverity() {
		order = append(order, c.ID)
	}
	// Gravest first; within high, the failure before the error; unrated last.
	if got := strings.Join(order[:4], ","); got != "AE-01,CODE-01,PK-01,TE-02" {
		t.Errorf("by severity: %v", order)
	}

	page, err := reports.HTML(doc)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	var groups []string
	for _, part := range strings.Split(html, `<tbody class="group" id="severity-`)[1:] {
		groups = append(groups, part[:strings.IndexByte(part, '"')])
	}
	if strings.Join(groups, ",") != "critical,high,low,unrated" {
		t.Errorf("HTML groups %v, want critical,high,low,unrated", groups)
	}
	if i, j := strings.Index(html, `id="check-CODE-01"`), strings.Index(html, `id="check-TE-02"`); i < 0 || j < i {
		t.Error("HTML: the high failure is not above the low warning")
	}
	for _, want := range []string{`id="severities"`, `data-filter="severity"`, "authorization code replay", "MUST NOT use the authorization code more than once"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}

	j := reports.JUnit(doc)
	props := map[string]string{}
	for _, c := range j.Suites[0].Cases {
		if strings.HasPrefix(c.Name, "CODE-01 ") && c.Properties != nil {
			for _, p := range c.Properties.Properties {
				props[p.Name] = p.Value
			}
		}
	}
	if props["severity"] != "high" || props["threat"] != "authorization code replay" || !strings.Contains(props["quote"], "MUST NOT") {
		t.Errorf("JUnit CODE-01 properties %v", props)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"severity":"high","threat":"authorization code replay"`)) || !bytes.Contains(data, []byte(`"severities":[{"severity":"critical"`)) {
		t.Errorf("report.json lacks the severity, threat or severity counts")
	}
	if md := string(reports.Markdown(doc)); !strings.Contains(md, "- **CODE-01** (MUST) [high]") || !strings.Contains(md, "| high |") {
		t.Errorf("summary.md lacks the severity:\n%s", md)
	}
}

// TestFailOnGatesTheDocument: with --fail-on=high the exit status and the
// JUnit failures follow severity, not level.
func TestFailOnGatesTheDocument(t *testing.T) {
	report, run, r := richRun(t)
	run.Settings.FailOn = verdict.High
	doc := reports.Build(report, run, r)
	for i := range doc.Checks {
		doc.Checks[i].Severity = verdict.Low // every check rated low: nothing gates
	}
	doc.Recount()
	if doc.Exit.Status != verdict.ExitOK || !strings.Contains(doc.Exit.Reason, "--fail-on=high") {
		t.Errorf("all low: exit %+v, want 0", doc.Exit)
	}
	for i, c := range doc.Checks {
		if c.ID == "TE-02" {
			doc.Checks[i].Severity = verdict.High // a high warning gates
		}
	}
	doc.Recount()
	if doc.Exit.Status != verdict.ExitFailed || !strings.Contains(doc.Exit.Reason, "TE-02 warning (high)") {
		t.Errorf("a high warning: exit %+v, want 1 naming TE-02", doc.Exit)
	}
	for _, c := range reports.JUnit(doc).Suites[0].Cases {
		if strings.HasPrefix(c.Name, "TE-02 ") && (c.Failure == nil || c.Failure.Type != "warning (fail-on high)") {
			t.Errorf("JUnit TE-02: %+v, want a failure under fail-on", c.Failure)
		}
	}
}
