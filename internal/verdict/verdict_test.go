package verdict_test

import (
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

func TestOf(t *testing.T) {
	v := func(vs ...verdict.Verdict) []verdict.Verdict { return vs }
	tests := []struct {
		name     string
		o        verdict.Outcome
		recorded []verdict.Verdict
		want     verdict.Verdict
	}{
		{"passed is pass", verdict.SpecPassed, nil, verdict.Pass},
		{"passed with a warning is warning", verdict.SpecPassed, v(verdict.Warning), verdict.Warning},
		{"passed with an info is info", verdict.SpecPassed, v(verdict.Info), verdict.Info},
		{"a warning outranks an info", verdict.SpecPassed, v(verdict.Info, verdict.Warning), verdict.Warning},
		{"waived outranks a warning", verdict.SpecPassed, v(verdict.Warning, verdict.Waived), verdict.Waived},
		{"skipped is skipped", verdict.SpecSkipped, v(verdict.Info), verdict.Skipped},
		{"failed is fail", verdict.SpecFailed, nil, verdict.Fail},
		{"a failure outranks a warning", verdict.SpecFailed, v(verdict.Warning, verdict.Info), verdict.Fail},
		{"failed with error recorded is error", verdict.SpecFailed, v(verdict.Error), verdict.Error},
		{"aborted is error, never pass or fail", verdict.SpecAborted, nil, verdict.Error},
	}
	for _, tt := range tests {
		if got := verdict.Of(tt.o, tt.recorded); got != tt.want {
			t.Errorf("%s: Of = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestBroken(t *testing.T) {
	for _, tt := range []struct {
		l      verdict.Level
		waived bool
		want   verdict.Verdict
	}{
		{verdict.Must, false, verdict.Fail}, {verdict.Should, false, verdict.Warning}, {verdict.May, false, verdict.Info},
		{verdict.Must, true, verdict.Waived}, {verdict.Should, true, verdict.Waived},
	} {
		if got := verdict.Broken(tt.l, tt.waived); got != tt.want {
			t.Errorf("Broken(%s, %v) = %s, want %s", tt.l, tt.waived, got, tt.want)
		}
	}
}

func TestExit(t *testing.T) {
	row := func(id string, v verdict.Verdict, s verdict.Severity) verdict.Row {
		return verdict.Row{ID: id, Level: verdict.Must, Verdict: v, Severity: s}
	}
	rows := func(rs ...verdict.Row) []verdict.Row { return rs }
	strict := verdict.Policy{Strict: true}
	high := verdict.Policy{FailOn: verdict.High}
	tests := []struct {
		name   string
		rows   []verdict.Row
		p      verdict.Policy
		want   verdict.Status
		reason string
	}{
		{"nothing ran", nil, verdict.Policy{}, 2, "no check ran"},
		{"every check undecided", rows(row("A", verdict.Error, ""), row("B", verdict.Error, "")), verdict.Policy{}, 2, "could not decide any check"},
		{"all pass", rows(row("A", verdict.Pass, ""), row("B", verdict.Skipped, ""), row("C", verdict.Info, "")), verdict.Policy{}, 0, "no unwaived MUST failure"},
		{"a MUST failure", rows(row("A", verdict.Pass, ""), row("B", verdict.Fail, "")), verdict.Policy{}, 1, "1 MUST failure(s): B"},
		{"waived does not fail", rows(row("A", verdict.Pass, ""), row("B", verdict.Waived, "")), verdict.Policy{}, 0, "1 waived"},
		{"a warning does not fail", rows(row("A", verdict.Pass, ""), row("B", verdict.Warning, "")), verdict.Policy{}, 0, "1 warning(s) do not fail the run without --strict"},
		{"a warning fails under strict", rows(row("A", verdict.Pass, ""), row("B", verdict.Warning, "")), strict, 1, "1 warning(s) under --strict: B"},
		{"one undecided among decided", rows(row("A", verdict.Pass, ""), row("B", verdict.Error, "")), verdict.Policy{}, 1, "1 undecided (error): B"},
		{"skipped only", rows(row("A", verdict.Skipped, "")), verdict.Policy{}, 0, "no unwaived MUST failure"},
		// --fail-on gates on severity instead of level.
		{"fail-on high: a low failure passes", rows(row("A", verdict.Pass, ""), row("B", verdict.Fail, verdict.Low)), high, 0, "1 fail, warning or error below it"},
		{"fail-on high: a high failure fails", rows(row("A", verdict.Fail, verdict.High)), high, 1, "A fail (high)"},
		{"fail-on high: a critical warning fails", rows(row("A", verdict.Warning, verdict.Critical)), high, 1, "A warning (critical)"},
		{"fail-on high: a medium warning passes", rows(row("A", verdict.Warning, verdict.Medium), row("B", verdict.Pass, "")), high, 0, "no check at or above --fail-on=high"},
		{"fail-on high: an unrated failure counts", rows(row("A", verdict.Fail, "")), high, 1, "A fail (severity unknown)"},
		{"fail-on high: a high error counts", rows(row("A", verdict.Error, verdict.High), row("B", verdict.Pass, "")), high, 1, "A error (high)"},
		{"fail-on high: waived never counts", rows(row("A", verdict.Waived, verdict.Critical)), high, 0, "no check at or above"},
		{"fail-on high and strict: any warning counts", rows(row("A", verdict.Warning, verdict.Low)), verdict.Policy{Strict: true, FailOn: verdict.High}, 1, "A warning (low)"},
		{"fail-on none: every broken check counts", rows(row("A", verdict.Fail, verdict.None)), verdict.Policy{FailOn: verdict.None}, 1, "A fail (none)"},
	}
	for _, tt := range tests {
		got, reason := verdict.Exit(tt.rows, tt.p)
		if got != tt.want || !strings.Contains(reason, tt.reason) {
			t.Errorf("%s: Exit = %d %q, want %d and %q", tt.name, got, reason, tt.want, tt.reason)
		}
	}
}

func TestParseFailOn(t *testing.T) {
	if s, err := verdict.ParseFailOn(" High "); err != nil || s != verdict.High {
		t.Errorf("ParseFailOn(High) = %q, %v", s, err)
	}
	if s, err := verdict.ParseFailOn(""); err != nil || s != "" {
		t.Errorf("ParseFailOn('') = %q, %v", s, err)
	}
	if _, err := verdict.ParseFailOn("severe"); err == nil {
		t.Error("ParseFailOn(severe): no error")
	}
}

func TestRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "results.json")
	want := []verdict.Row{{ID: "AE-01", Level: verdict.Must, Severity: verdict.High, Verdict: verdict.Fail, Reason: "r", Seconds: 0.5}}
	if err := verdict.WriteRows(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := verdict.ReadRows(path)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ReadRows = %+v, %v; want %+v", got, err, want)
	}
	for name, data := range map[string]string{
		"no verdict":      `[{"id":"AE-01","level":"MUST"}]`,
		"unknown verdict": `[{"id":"AE-01","level":"MUST","verdict":"passed"}]`,
		"not a list":      `{"id":"AE-01"}`,
	} {
		bad := filepath.Join(t.TempDir(), "bad.json")
		if err := os.WriteFile(bad, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := verdict.ReadRows(bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if c := verdict.CountRows(want); c[verdict.Fail] != 1 || len(c) != len(verdict.All) {
		t.Errorf("CountRows = %v", c)
	}
}

// TestNoVerdictLiteralsOutside: the verdict model is spelled here only.
// A Go string literal that is a verdict's name ("pass", "fail", "warning",
// "skipped", "waived") in any other non-test source is a second copy of the
// model. ("error" and "info" are left out: OAuth's error parameter and other
// words share them.)
func TestNoVerdictLiteralsOutside(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, v := range []verdict.Verdict{verdict.Pass, verdict.Fail, verdict.Warning, verdict.Skipped, verdict.Waived} {
		names[string(v)] = true
	}
	// JUnit's own vocabulary, not a verdict.
	allowed := map[string]bool{"internal/cmd/multi/junit.go:skipped": true}
	var found []string
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || rel == filepath.Join("internal", "verdict") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING {
				continue
			}
			if v, err := strconv.Unquote(lit); err == nil && names[v] && !allowed[filepath.ToSlash(rel)+":"+v] {
				found = append(found, fset.Position(pos).String()+": "+lit)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("verdict names spelled outside internal/verdict (use its constants):\n  %s", strings.Join(found, "\n  "))
	}
}
