package perf

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/driver"
)

// The tree of this test process includes a child it starts.
func TestTreeCountsDescendants(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep command:", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	m, err := Tree("/proc", os.Getpid(), true)
	if err != nil {
		t.Fatal(err)
	}
	if m.Processes < 2 || m.RSS <= 0 || m.PSS <= 0 || m.PSS > m.RSS {
		t.Errorf("tree of the test process = %+v, want 2+ processes, 0 < PSS <= RSS", m)
	}
	s := StartSampler(os.Getpid(), 5*time.Millisecond)
	peak, n := s.Stop()
	if n < 1 || peak.RSS <= 0 {
		t.Errorf("sampler: %d samples, peak %+v", n, peak)
	}
	if _, err := Tree("/proc", 1<<30, false); err == nil {
		t.Error("a process that does not exist has a tree")
	}
}

func writeStats(t *testing.T, dir string, f StatsFile) {
	t.Helper()
	data, _ := json.Marshal(f)
	if err := os.WriteFile(filepath.Join(dir, "driver-stats-"+string(rune('0'+f.Process))+".json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDriverStatsAddsUpOneRun(t *testing.T) {
	dir := t.TempDir()
	a := driver.Stats{Authorizations: []driver.Authorization{{Duration: time.Second, OK: true, LoginSteps: 4}}, Sessions: 1}
	writeStats(t, dir, StatsFile{Process: 1, Processes: 2, Seed: 7, Stats: a})
	if _, _, err := LoadDriverStats(dir); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("one of two processes: err = %v, want missing", err)
	}
	writeStats(t, dir, StatsFile{Process: 2, Processes: 2, Seed: 7, Stats: a})
	s, n, err := LoadDriverStats(dir)
	if err != nil || n != 2 || len(s.Authorizations) != 2 || s.Sessions != 2 {
		t.Errorf("two processes: %+v, %d, %v", s, n, err)
	}
	writeStats(t, dir, StatsFile{Process: 3, Processes: 3, Seed: 8, Stats: a})
	if _, _, err := LoadDriverStats(dir); err == nil || !strings.Contains(err.Error(), "another run") {
		t.Errorf("a stale file of another run: err = %v", err)
	}
	if _, _, err := LoadDriverStats(t.TempDir()); err == nil {
		t.Error("no files: no error")
	}
}
