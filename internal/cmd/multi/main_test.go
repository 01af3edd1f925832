package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

func TestLoadTargets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "targets.yaml")
	t.Setenv("TENANT_A_SECRET", "s3cret-a")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("targets:\n  - profile: profiles/a.yaml\n    env: {A_SECRET: \"x-${TENANT_A_SECRET}\"}\n  - {name: b, profile: /abs/b.yaml, args: [-strict]}\n")
	got, err := loadTargets(path)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Name != "a" || got[0].Profile != filepath.Join(dir, "profiles/a.yaml") || got[0].Env["A_SECRET"] != "x-s3cret-a" {
		t.Errorf("first target = %+v", got[0])
	}
	if got[1].Name != "b" || got[1].Profile != "/abs/b.yaml" || len(got[1].Args) != 1 {
		t.Errorf("second target = %+v", got[1])
	}
	write("targets:\n  - {name: a, profile: a.yaml, env: {S: \"${NOT_SET_ANYWHERE_9}\"}}\n")
	if _, err := loadTargets(path); err == nil || !strings.Contains(err.Error(), "NOT_SET_ANYWHERE_9 is not set") {
		t.Errorf("unset variable: err = %v", err)
	}
	write("targets:\n  - {name: a, profile: a.yaml, secret: x}\n")
	if _, err := loadTargets(path); err == nil {
		t.Error("unknown field: no error")
	}
	if err := checkNames([]Target{{Name: "a"}, {Name: "a"}}); err == nil {
		t.Error("duplicate names: no error")
	}
	if err := checkNames([]Target{{Name: "../x"}}); err == nil {
		t.Error("a name that escapes the reports directory: no error")
	}
}

const junitA = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="2" failures="1" errors="0" disabled="0" time="1.5">
  <testsuite name="OAuth 2.0 conformance: a" tests="2" failures="1" errors="0" time="1.5">
    <properties><property name="target" value="a"></property></properties>
    <testcase name="AE-01 x" classname="c" status="passed" time="0.1"></testcase>
    <testcase name="AE-02 y" classname="c" status="failed" time="0.1"><failure message="m" type="failed">detail &amp; more</failure></testcase>
  </testsuite>
</testsuites>`

func TestMergeJUnit(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.xml")
	if err := os.WriteFile(a, []byte(junitA), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "merged.xml")
	if err := mergeJUnit(out, []junitFile{{"tenant-a", a}, {"tenant-b", a}}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	var doc struct {
		Tests    int     `xml:"tests,attr"`
		Failures int     `xml:"failures,attr"`
		Time     float64 `xml:"time,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Text string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if doc.Tests != 4 || doc.Failures != 2 || doc.Time != 3 || len(doc.Suites) != 2 {
		t.Fatalf("merged = %+v", doc)
	}
	if doc.Suites[1].Name != "tenant-b: OAuth 2.0 conformance: a" || len(doc.Suites[1].Cases) != 2 || doc.Suites[1].Cases[1].Failure.Text != "detail & more" {
		t.Errorf("second suite = %+v", doc.Suites[1])
	}
	if code := run([]string{"-merge-junit", filepath.Join(dir, "cli.xml"), "x=" + a}, &strings.Builder{}); code != 0 {
		t.Errorf("-merge-junit exit %d", code)
	}
}

func TestSummaryPutsTheWorstFirst(t *testing.T) {
	md := summary([]outcome{
		{Target: Target{Name: "ok"}, exit: 0, counts: map[verdict.Verdict]int{verdict.Pass: 3}, wall: time.Second},
		{Target: Target{Name: "bad"}, exit: 1, reason: "1 MUST failure(s): AE-02", counts: map[verdict.Verdict]int{verdict.Pass: 2, verdict.Fail: 1}},
		{Target: Target{Name: "down"}, exit: 2, reason: "the harness could not run"},
	}, 3*time.Second, 2, 2)
	iDown, iBad, iOK := strings.Index(md, "| down |"), strings.Index(md, "| bad |"), strings.Index(md, "| ok |")
	if iDown < 0 || iBad < iDown || iOK < iBad {
		t.Errorf("order: down %d, bad %d, ok %d\n%s", iDown, iBad, iOK, md)
	}
	for _, want := range []string{"Exit status **2**", "- **bad** (exit 1): 1 MUST failure(s): AE-02", "| bad | 1 | 2 | 1 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "- **ok**") {
		t.Errorf("a passing target has a note:\n%s", md)
	}
}
