package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

func TestCompare(t *testing.T) {
	f := &File{Checks: []Entry{
		{ID: "A", Verdict: "fail", Reason: "known"},
		{ID: "B", Verdict: "skipped", Reason: "no role"},
		{ID: "C", Verdict: "warning", Reason: "TODO: verify — x"},
		{ID: "GONE", Verdict: "fail", Reason: "removed check"},
	}}
	rows := []Result{
		{ID: "A", Verdict: "fail"},
		{ID: "B", Verdict: "pass"},
		{ID: "C", Verdict: "warning"},
		{ID: "D", Verdict: "error", Reason: "browser"},
		{ID: "E", Verdict: "pass"},
	}
	got := strings.Join(Compare(f, rows), "\n")
	for _, want := range []string{"B: passes, expected skipped", "C: reason not verified", "D: error, expected pass — browser", "GONE: listed as fail but not in the run"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains("\n"+got, "\nA:") || strings.Contains("\n"+got, "\nE:") {
		t.Errorf("A and E are as expected:\n%s", got)
	}
	if diffs := Compare(&File{Checks: f.Checks[:1]}, rows[:1]); len(diffs) != 0 {
		t.Errorf("an exact match: %v", diffs)
	}
}

func TestUpdateKeepsReasonsAndMarksNewEntries(t *testing.T) {
	f := &File{About: "prov", Checks: []Entry{
		{ID: "A", Verdict: "fail", Reason: "verified A"},
		{ID: "B", Verdict: "skipped", Reason: "verified B"},
		{ID: "C", Verdict: "fail", Reason: "verified C"},
	}}
	rows := []Result{
		{ID: "C", Verdict: "warning", Reason: "now a warning"},
		{ID: "A", Verdict: "fail", Reason: "whatever"},
		{ID: "B", Verdict: "pass"},
		{ID: "N", Verdict: "skipped", Reason: "new check"},
	}
	next := Update(f, rows)
	want := []Entry{
		{ID: "A", Verdict: "fail", Reason: "verified A"},
		{ID: "C", Verdict: "warning", Reason: TODO + " — the harness said: now a warning"},
		{ID: "N", Verdict: "skipped", Reason: TODO + " — the harness said: new check"},
	}
	if next.About != "prov" || len(next.Checks) != len(want) {
		t.Fatalf("got %+v", next)
	}
	for i := range want {
		if !reflect.DeepEqual(next.Checks[i], want[i]) {
			t.Errorf("entry %d = %+v, want %+v", i, next.Checks[i], want[i])
		}
	}
	// And the file round-trips, header and all.
	path := filepath.Join(t.TempDir(), "expected.yaml")
	data, err := Marshal(next)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.About != "prov" || len(back.Checks) != 3 || !reflect.DeepEqual(back.Checks[1], want[1]) {
		t.Errorf("round trip: %+v", back)
	}
	if !strings.HasPrefix(string(data), "# Expected results") {
		t.Errorf("no header:\n%s", data)
	}
}

func TestReadFileRejectsBadEntries(t *testing.T) {
	for name, body := range map[string]string{
		"pass listed": "checks:\n  - {id: A, verdict: pass, reason: x}\n",
		"no reason":   "checks:\n  - {id: A, verdict: fail}\n",
		"duplicate":   "checks:\n  - {id: A, verdict: fail, reason: x}\n  - {id: A, verdict: fail, reason: y}\n",
		"unknown key": "checks:\n  - {id: A, verdict: fail, reason: x, note: y}\n",
	} {
		path := filepath.Join(t.TempDir(), "e.yaml")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readFile(path); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

// A provider that answers one check differently from run to run is listed
// with the verdicts it gives; any of them matches, and an update keeps the entry.
func TestNondeterministicVerdicts(t *testing.T) {
	f := &File{Checks: []Entry{{ID: "RV-07", Verdict: "fail", Also: []verdict.Verdict{verdict.Pass}, Reason: "flaky, and why"}}}
	for _, v := range []verdict.Verdict{verdict.Pass, verdict.Fail} {
		rows := []Result{{ID: "RV-07", Verdict: v}}
		if diff := Compare(f, rows); len(diff) != 0 {
			t.Errorf("%s: %v", v, diff)
		}
		if next := Update(f, rows); len(next.Checks) != 1 || next.Checks[0].Reason != "flaky, and why" {
			t.Errorf("%s: update gave %+v", v, next.Checks)
		}
	}
	if diff := Compare(f, []Result{{ID: "RV-07", Verdict: "error"}}); len(diff) != 1 {
		t.Errorf("error: %v", diff)
	}
}

// A check that passes with an observation (info) is listed with its reason,
// like the verdicts that are not a pass.
func TestReadFileAcceptsInfo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.yaml")
	if err := os.WriteFile(path, []byte("checks:\n  - {id: A, verdict: info, reason: policy}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diffs := Compare(f, []Result{{ID: "A", Verdict: "info"}}); len(diffs) != 0 {
		t.Errorf("an info entry matching the run: %v", diffs)
	}
}
