package harness_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/redact"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/internal/waiver"
	"github.com/oauthconform/oauthconform/reports"
)

// The specs below run in a child process (TestItSpecs), whose Ginkgo report
// TestIt reads: some of them fail on purpose.
const childEnv = "OAUTHCONFORM_HARNESS_IT_CHILD"

// itSecret is registered with the child's redactor; it must never reach a report.
const itSecret = "tok-9f2c61d0e4b7"

// fixture is a catalog check with the level the test needs (the catalog's
// own levels may change; the verdict rule under test must not).
func fixture(i int, l verdict.Level) catalog.Check {
	c := catalog.All()[i]
	c.Level = l
	return c
}

var (
	itEnv *harness.Env
	// The checks of the child run, by role.
	mustFirst, mustSecond     = fixture(0, verdict.Must), fixture(1, verdict.Must)
	mustBroken, shouldBroken  = fixture(2, verdict.Must), fixture(3, verdict.Should)
	waivedBroken, waivedGomga = fixture(4, verdict.Must), fixture(5, verdict.Must)
	expiredWaiver, bareBool   = fixture(6, verdict.Must), fixture(7, verdict.Must)
	describedBool, mayBroken  = fixture(8, verdict.Must), fixture(9, verdict.May)
)

var _ = Describe("harness.It", func() { // specs in a container run in order
	harness.It(itEnv, mustFirst, func(ctx SpecContext) {
		Expect("issued " + itSecret).To(BeEmpty())
	})
	harness.It(itEnv, mustSecond, func(ctx SpecContext) {
		Expect("issued again " + itSecret).To(BeEmpty())
	})
	It("a spec that is no check, after the checks", func() {
		Expect("outside any check " + itSecret).To(BeEmpty())
	})
	harness.It(itEnv, mustBroken, func(ctx SpecContext) {
		harness.Broken("the server accepted %s", itSecret)
	})
	harness.It(itEnv, shouldBroken, func(ctx SpecContext) {
		harness.Broken("a SHOULD is broken")
	})
	harness.It(itEnv, waivedBroken, func(ctx SpecContext) {
		harness.Broken("broken, but waived")
	})
	harness.It(itEnv, waivedGomga, func(ctx SpecContext) {
		Expect(1).To(Equal(2), "broken by an assertion, but waived")
	})
	harness.It(itEnv, expiredWaiver, func(ctx SpecContext) {
		harness.Broken("broken, and the waiver expired")
	})
	harness.It(itEnv, bareBool, func(ctx SpecContext) {
		Expect(true).To(BeFalse())
	})
	harness.It(itEnv, describedBool, func(ctx SpecContext) {
		Expect(true).To(BeFalse(), "the error response carries a code")
	})
	harness.It(itEnv, mayBroken, func(ctx SpecContext) {
		harness.Broken("the server does what it MAY")
	})
})

func TestItSpecs(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestIt in a child process")
	}
	list, err := waiver.Parse("waivers.yaml", []byte(`waivers:
  - {id: `+waivedBroken.ID+`, reason: accepted for now, expires: 2099-01-01}
  - {id: `+waivedGomga.ID+`, reason: accepted for now}
  - {id: `+expiredWaiver.ID+`, reason: was accepted, expires: 2020-01-01}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	itEnv = &harness.Env{Redactor: &redact.Redactor{}, Waivers: list,
		Clock: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	itEnv.Redactor.Add(itSecret)
	RegisterFailHandler(itEnv.Fail)
	RunSpecs(t, "harness.It")
}

// TestIt runs the specs above and checks each verdict and reason, as the
// reports read them.
func TestIt(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		return
	}
	out := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestItSpecs$", "-ginkgo.json-report="+out, "-ginkgo.no-color")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	log, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child run passed, though several of its checks fail:\n%s", log)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no report: %v\n%s", err, log)
	}
	var runs []types.Report
	if err := json.Unmarshal(data, &runs); err != nil || len(runs) != 1 {
		t.Fatalf("report: %v (%d runs)", err, len(runs))
	}
	if strings.Contains(string(data), itSecret) {
		t.Errorf("the Ginkgo report carries the secret: a failure message escaped the redactor")
	}
	// The parent's redactor knows no secret: whatever is redacted, the child did.
	doc := reports.Build(runs[0], reports.Run{}, &redact.Redactor{})
	got := map[string]reports.CheckReport{}
	for _, c := range doc.Checks {
		got[c.ID] = c
	}
	fp := redact.Fingerprint(itSecret)
	for _, tt := range []struct {
		name    string
		check   catalog.Check
		verdict verdict.Verdict
		reason  string // a part of it
	}{
		{"the first MUST check's failure is redacted", mustFirst, verdict.Fail, fp},
		{"so is the second's (the handler is not swapped away)", mustSecond, verdict.Fail, fp},
		{"Broken fails a MUST check, redacted", mustBroken, verdict.Fail, "the server accepted " + fp},
		{"Broken is a warning in a SHOULD check", shouldBroken, verdict.Warning, "a SHOULD is broken"},
		{"a waiver applies to Broken", waivedBroken, verdict.Waived, "broken, but waived"},
		{"a waiver applies to an assertion", waivedGomga, verdict.Waived, "broken by an assertion, but waived"},
		{"an expired waiver does not apply", expiredWaiver, verdict.Fail, "broken, and the waiver expired"},
		{"a bare boolean says where it was asserted", bareBool, verdict.Fail, "the condition the check asserts at check_test.go:"},
		{"a described boolean says what was checked", describedBool, verdict.Fail, "the error response carries a code"},
		{"Broken is info in a MAY check", mayBroken, verdict.Info, "the server does what it MAY"},
	} {
		c, ok := got[tt.check.ID]
		switch {
		case !ok:
			t.Errorf("%s: %s not in the report", tt.name, tt.check.ID)
		case c.Verdict != tt.verdict || !strings.Contains(c.Reason, tt.reason):
			t.Errorf("%s: %s is %s %q, want %s with %q", tt.name, tt.check.ID, c.Verdict, c.Reason, tt.verdict, tt.reason)
		case strings.Contains(c.Reason, "<bool>"):
			t.Errorf("%s: Gomega's bare boolean leaks into the reason %q", tt.name, c.Reason)
		}
	}
	if c := got[expiredWaiver.ID]; !strings.Contains(c.Waiver, "expired") {
		t.Errorf("the expired waiver is not noted: %q", c.Waiver)
	}
	if c := got[waivedBroken.ID]; !strings.Contains(c.Waiver, "accepted for now") {
		t.Errorf("the waiver that applied is not noted: %q", c.Waiver)
	}
	var outside string
	for _, s := range runs[0].SpecReports {
		if s.LeafNodeText == "a spec that is no check, after the checks" {
			outside = s.Failure.Message
		}
	}
	if !strings.Contains(outside, fp) {
		t.Errorf("a failure outside any check, after the checks, is not redacted: %q", outside)
	}
}

// TestEvidenceRedactsBeforeItCuts: a token that straddles the 2,000th
// character of a body must not leave its first part in the evidence.
func TestEvidenceRedactsBeforeItCuts(t *testing.T) {
	token := "eyJhbGciOiJSUzI1NiJ9-straddling-token-0123456789"
	env := &harness.Env{Redactor: &redact.Redactor{}}
	env.Redactor.Add(token)
	body := strings.Repeat("x", 1990) + token + strings.Repeat("y", 100)
	ev := env.Evidence(&harness.Exchange{Method: "POST", URL: "https://as.example/token", Status: 200, Body: []byte(body)})
	if strings.Contains(ev, token[:10]) {
		t.Errorf("the first part of a token cut at 2,000 characters escaped:\n…%s", ev[max(0, len(ev)-200):])
	}
	if !strings.Contains(ev, "…") || !strings.Contains(ev, strings.Repeat("x", 1990)) {
		t.Errorf("the body is not kept up to the cut, marked with …")
	}
	short := env.Evidence(&harness.Exchange{Method: "GET", URL: "https://as.example/x", Status: 200, Body: []byte("é" + token)})
	if strings.Contains(short, token) || !strings.Contains(short, redact.Fingerprint(token)) || strings.Contains(short, "…") {
		t.Errorf("a short body: %q", short)
	}
}

// TestSuitesDecideThroughTheHarness: in the suites, a check never calls
// Ginkgo's Fail (it bypasses the level, the waiver and the redactor: use
// harness.Broken), and every boolean assertion says what it checked.
func TestSuitesDecideThroughTheHarness(t *testing.T) {
	files, err := filepath.Glob("../../suites/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no suites: %v", err)
	}
	directFail := regexp.MustCompile(`(^|[^.\w])Fail\(`)
	bareBool := regexp.MustCompile(`\.To\((BeTrue|BeFalse)\(\)\)`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if directFail.MatchString(code) && !strings.Contains(code, "func ") && !strings.HasSuffix(f, "suite.go") {
				t.Errorf("%s:%d calls Fail directly: use harness.Broken", filepath.Base(f), i+1)
			}
			if bareBool.MatchString(code) {
				t.Errorf("%s:%d asserts a boolean without saying what it checked", filepath.Base(f), i+1)
			}
		}
	}
}
