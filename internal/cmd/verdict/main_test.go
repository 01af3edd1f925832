package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fail := write("fail.json", `[{"id":"AE-01","level":"MUST","verdict":"pass"},{"id":"CODE-01","level":"MUST","verdict":"fail","reason":"x"}]`)
	waived := write("waived.json", `[{"id":"AE-01","level":"MUST","verdict":"pass"},{"id":"CODE-01","level":"MUST","verdict":"waived"}]`)
	warn := write("warn.json", `[{"id":"TE-02","level":"SHOULD","verdict":"warning"}]`)
	errs := write("errors.json", `[{"id":"AE-01","level":"MUST","verdict":"error"},{"id":"AE-02","level":"MUST","verdict":"error"}]`)
	bad := write("bad.json", `{"id":"AE-01"}`)
	old := write("old.json", `[{"id":"AE-01","level":"MUST","verdict":"pass"}]`)
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	cfgDir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cfgDir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "out", "results.json"), []byte(`[{"id":"AE-01","level":"MUST","verdict":"pass"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "ginkgo.yaml"), []byte("reports: {dir: out}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	since := time.Now().Add(-time.Minute).Unix()
	tests := []struct {
		name string
		args []string
		want int
		says string
	}{
		{"MUST failure", []string{"-results", fail}, 1, "1 MUST failure(s): CODE-01"},
		{"waived failure", []string{"-results", waived}, 0, "1 waived"},
		{"warning", []string{"-results", warn}, 0, "warning"},
		{"warning, strict", []string{"-results", warn, "-strict"}, 1, "under --strict"},
		{"every check undecided", []string{"-results", errs}, 2, "could not decide any check"},
		{"no results", []string{"-results", filepath.Join(dir, "missing.json")}, 2, "no " + filepath.Join(dir, "missing.json")},
		{"not a results file", []string{"-results", bad}, 2, "could not run"},
		{"results of an earlier run", []string{"-results", old, "-since", itoa(since)}, 2, "from an earlier run"},
		{"fresh results", []string{"-results", fail, "-since", itoa(since)}, 1, "MUST failure"},
		{"Ginkgo failed outside the checks", []string{"-results", waived, "-ginkgo-status", "1"}, 1, "the suite failed"},
		{"reports.dir from the run profile", []string{"-config", filepath.Join(cfgDir, "ginkgo.yaml")}, 0, "no unwaived MUST failure"},
		{"bad run profile", []string{"-config", filepath.Join(cfgDir, "nope.yaml")}, 2, "could not run"},
		{"bad flag", []string{"-nope"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if got := run(tt.args, &out); got != tt.want || !strings.Contains(out.String(), tt.says) {
				t.Errorf("run(%v) = %d, %q; want %d and %q", tt.args, got, out.String(), tt.want, tt.says)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
