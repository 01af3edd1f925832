package reports_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/reports"
)

// needXmllint returns xmllint's path (Debian: libxml2-utils). Without it the
// test is skipped, except in CI (CI=true), where it fails: .ci/run installs it.
func needXmllint(t *testing.T) string {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found; CI must install it (apt-get install -y libxml2-utils, see .ci/run)")
		}
		t.Skip("xmllint not found: install libxml2-utils (apt-get install -y libxml2-utils) to validate junit.xml against its schema")
	}
	return xmllint
}

// validateJUnit checks a JUnit file against testdata/junit.xsd.
func validateJUnit(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command(needXmllint(t), "--noout", "--nonet", "--schema", filepath.Join("testdata", "junit.xsd"), path).CombinedOutput()
	if err != nil {
		data, _ := os.ReadFile(path)
		t.Fatalf("%s does not validate against testdata/junit.xsd: %v\n%s\n%s", path, err, out, data)
	}
}

func TestJUnitSchemaRejectsWhatReadersChokeOn(t *testing.T) {
	// The schema itself must have teeth: each of these breaks a JUnit reader.
	for name, doc := range map[string]string{
		"no testsuites root":       `<testsuite name="x" tests="0" failures="0" errors="0"/>`,
		"count not a number":       `<testsuites tests="one" failures="0" errors="0"><testsuite name="x" tests="0" failures="0" errors="0"/></testsuites>`,
		"time with an exponent":    `<testsuites tests="1" failures="0" errors="0"><testsuite name="x" tests="1" failures="0" errors="0"><testcase name="a" classname="c" time="1e-05"/></testsuite></testsuites>`,
		"two outcomes in one case": `<testsuites tests="1" failures="1" errors="1"><testsuite name="x" tests="1" failures="1" errors="1"><testcase name="a" classname="c" time="0"><error/><failure/></testcase></testsuite></testsuites>`,
		"duplicate test case name": `<testsuites tests="2" failures="0" errors="0"><testsuite name="x" tests="2" failures="0" errors="0"><testcase name="a" classname="c" time="0"/><testcase name="a" classname="c" time="0"/></testsuite></testsuites>`,
		"unknown element":          `<testsuites tests="1" failures="0" errors="0"><testsuite name="x" tests="1" failures="0" errors="0"><testcase name="a" classname="c" time="0"><verdict/></testcase></testsuite></testsuites>`,
	} {
		t.Run(name, func(t *testing.T) {
			xmllint := needXmllint(t)
			path := filepath.Join(t.TempDir(), "bad.xml")
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", "testdata/junit.xsd", path).CombinedOutput(); err == nil {
				t.Errorf("the schema accepted it:\n%s", out)
			}
		})
	}
}

func TestWriteJUnitValidates(t *testing.T) {
	report, run, r := richRun(t)
	for _, strict := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "junit.xml")
		run.Settings.Strict = strict
		if err := reports.WriteJUnit(path, reports.Build(report, run, r)); err != nil {
			t.Fatal(err)
		}
		validateJUnit(t, path)
	}
}

func TestWriteJUnitVerdicts(t *testing.T) {
	report, run, r := richRun(t)
	read := func(strict bool) ([]byte, map[string]junitCase, junitSuites) {
		path := filepath.Join(t.TempDir(), "junit.xml")
		run.Settings.Strict = strict
		if err := reports.WriteJUnit(path, reports.Build(report, run, r)); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc junitSuites
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		byID := map[string]junitCase{}
		for _, c := range doc.Suites[0].Cases {
			byID[strings.Fields(c.Name)[0]] = c
		}
		return data, byID, doc
	}

	data, byID, doc := read(false)
	assertNoSecrets(t, "junit.xml", data)
	for _, id := range []string{"AE-02", "DSC-01", "TE-02", "AE-01"} { // waived, info, warning, pass
		c := byID[id]
		if c.Failure != nil || c.Error != nil || c.Skipped != nil {
			t.Errorf("%s must pass in JUnit: %+v", id, c)
		}
	}
	if v, _ := byID["AE-02"].property(t, "verdict"); v != "waived" {
		t.Errorf("AE-02 verdict property %q", v)
	}
	if w, _ := byID["AE-02"].property(t, "waiver"); !strings.Contains(w, "fixed in 4.2") {
		t.Errorf("AE-02 waiver property %q", w)
	}
	if byID["AE-02"].Status != "waived" {
		t.Errorf("AE-02 status %q, want the verdict", byID["AE-02"].Status)
	}
	if doc.Fails != 1 || doc.Errors != 2 {
		t.Errorf("failures=%d errors=%d, want 1 and 2", doc.Fails, doc.Errors)
	}
	// Readable system-out, and the screenshot as an attachment relative to the root.
	out := byID["PK-01"].SystemOut
	for _, want := range []string{"PK-01 " + catalog.PKCES256Accepted.Title, "verdict: error (MUST)", "spec: RFC 7636 §4.6 <https://www.rfc-editor.org/rfc/rfc7636#section-4.6>", "[[ATTACHMENT|reports/screenshots/PK-01-x.png]]"} {
		if !strings.Contains(out, want) {
			t.Errorf("PK-01 system-out lacks %q:\n%s", want, out)
		}
	}
	if out := byID["CODE-01"].SystemOut; !strings.Contains(out, "evidence:\n  POST /token") || !strings.Contains(out, "redirects:\n  302 https://as.example/authorize") {
		t.Errorf("CODE-01 system-out lacks evidence or redirects:\n%s", out)
	}

	_, strictByID, strictDoc := read(true)
	if f := strictByID["TE-02"].Failure; f == nil || !strings.Contains(f.Message, "expires_in is missing") || f.Type != "warning (strict)" {
		t.Errorf("strict: TE-02 failure = %+v, want the warning as a failure", f)
	}
	if strictByID["AE-02"].Failure != nil || strictByID["DSC-01"].Failure != nil {
		t.Error("strict: waived and info checks must still pass")
	}
	if strictDoc.Fails != 2 {
		t.Errorf("strict: failures=%d, want 2", strictDoc.Fails)
	}
	if !bytes.Contains(data, []byte(`time="1.500"`)) {
		t.Error("times are not plain decimals with milliseconds")
	}
}
