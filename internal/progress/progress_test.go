package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestStatusNamesTheSlowestCheckInFlight(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	d := New(&out, false)
	d.now = func() time.Time { return clock }
	d.Begin(163)
	for i := 0; i < 56; i++ {
		d.Start("X", "x")
		d.Finish("X", "PASS X")
	}
	d.Start("RU-12", "the redirect URI is compared exactly, character for character, with the registered one")
	clock = clock.Add(2 * time.Second)
	d.Start("AE-01", "state")
	clock = clock.Add(100 * time.Millisecond)
	got := d.Status()
	want := "[57/163] RU-12 the redirect URI is compared exactly, character… · 2.1s (+1 in flight) · run 2.1s"
	if got != want {
		t.Errorf("status\n got %q\nwant %q", got, want)
	}
}

// Where the output is no terminal, only the plain lines are written.
func TestPlainLinesWithoutATerminal(t *testing.T) {
	var out bytes.Buffer
	d := New(&out, false)
	d.Begin(2)
	d.Start("A", "a")
	d.Finish("A", "PASS A")
	d.Start("B", "b")
	d.Finish("B", "FAIL B")
	d.Close()
	if out.String() != "PASS A\nFAIL B\n" {
		t.Errorf("output %q", out.String())
	}
}

// On a terminal the status line is redrawn in place and cleared before each line.
func TestTerminalRedrawsInPlace(t *testing.T) {
	var out bytes.Buffer
	d := New(&out, true)
	d.every = time.Hour
	d.Begin(2)
	d.Start("A", "a")
	d.Finish("A", "PASS A")
	d.Close()
	s := out.String()
	if !strings.Contains(s, "\r\033[K[1/2] A a") || !strings.Contains(s, "\r\033[KPASS A\n") || !strings.HasSuffix(s, "\r\033[K") {
		t.Errorf("output %q", s)
	}
}
