package waiver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/waiver"
)

func known(id string) bool { return id == "CODE-01" || id == "AE-02" }

func TestParse(t *testing.T) {
	src := `# known deviations
waivers:
  - id: CODE-01
    reason: replay protection ships in 4.2
    expires: 2026-09-30
  - {id: AE-02, reason: "state echo fixed upstream"}
`
	l, err := waiver.Parse("w.yaml", []byte(src), known)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Waivers) != 2 {
		t.Fatalf("waivers = %+v", l.Waivers)
	}
	w := l.Find("CODE-01")
	if w == nil || w.Reason != "replay protection ships in 4.2" || w.ExpiresString() != "2026-09-30" || w.Line != 3 {
		t.Errorf("CODE-01 = %+v", w)
	}
	if w := l.Find("AE-02"); w == nil || !w.Expires.IsZero() || w.ExpiresString() != "" {
		t.Errorf("AE-02 = %+v", w)
	}
	if l.Find("PK-01") != nil {
		t.Error("found a waiver for PK-01")
	}
	var none *waiver.List
	if none.Find("CODE-01") != nil {
		t.Error("a nil list found a waiver")
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing\n", "waivers:\n", "waivers: []\n"} {
		l, err := waiver.Parse("w.yaml", []byte(src), known)
		if err != nil || len(l.Waivers) != 0 {
			t.Errorf("%q: %+v, %v", src, l, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown top-level key", "waiver:\n  - {id: CODE-01, reason: x}\n", "waivers w.yaml:1: waiver: unknown field"},
		{"not a mapping", "- {id: CODE-01, reason: x}\n", "waivers w.yaml:1: want a mapping"},
		{"waivers not a list", "waivers: {id: CODE-01}\n", "waivers w.yaml:1: waivers: want a list"},
		{"item not a mapping", "waivers:\n  - CODE-01\n", "waivers w.yaml:2: waivers[0]: want a mapping"},
		{"unknown field", "waivers:\n  - id: CODE-01\n    reason: x\n    expiry: 2026-01-01\n", "waivers w.yaml:4: waivers[0].expiry: unknown field"},
		{"unknown check", "waivers:\n  - id: CODE-99\n    reason: x\n", `waivers w.yaml:2: waivers[0].id: unknown check ID "CODE-99"`},
		{"missing id", "waivers:\n  - reason: x\n", "waivers w.yaml:2: waivers[0].id: required"},
		{"missing reason", "waivers:\n  - id: CODE-01\n", "waivers w.yaml:2: waivers[0].reason: required"},
		{"empty reason", "waivers:\n  - id: CODE-01\n    reason: \"  \"\n", "waivers w.yaml:3: waivers[0].reason: required"},
		{"bad date", "waivers:\n  - id: CODE-01\n    reason: x\n    expires: 2026-13-01\n", `waivers w.yaml:4: waivers[0].expires: "2026-13-01" is not a date (want YYYY-MM-DD)`},
		{"date in another format", "waivers:\n  - id: CODE-01\n    reason: x\n    expires: 30.09.2026\n", `waivers[0].expires: "30.09.2026" is not a date`},
		{"list as a value", "waivers:\n  - id: [CODE-01]\n    reason: x\n", "waivers w.yaml:2: waivers[0].id: want a single value"},
		{"duplicate", "waivers:\n  - {id: CODE-01, reason: x}\n  - {id: CODE-01, reason: y}\n", "waivers w.yaml:3: waivers[1].id: CODE-01 is already waived on line 2"},
		{"not YAML", "waivers: [\n", "waivers w.yaml: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := waiver.Parse("w.yaml", []byte(tt.src), known)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := waiver.Load(path, known)
	if err == nil || !strings.HasPrefix(err.Error(), "waivers "+path+": ") {
		t.Errorf("err = %v", err)
	}
	good := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(good, []byte("waivers:\n  - {id: AE-02, reason: x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if l, err := waiver.Load(good, known); err != nil || l.Path != good || len(l.Waivers) != 1 {
		t.Errorf("Load = %+v, %v", l, err)
	}
}

func TestExpired(t *testing.T) {
	w := waiver.Waiver{ID: "CODE-01", Expires: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, 9, 29, 12, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 9, 30, 23, 59, 0, 0, time.UTC), false}, // holds through its day
		{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 10, 1, 1, 0, 0, 0, time.FixedZone("CEST", 2*3600)), false}, // still 30 Sep in UTC
	} {
		if got := w.Expired(tt.now); got != tt.want {
			t.Errorf("Expired(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
	if (waiver.Waiver{ID: "x"}).Expired(time.Now().AddDate(100, 0, 0)) {
		t.Error("a waiver without expiry expired")
	}
}
