// Package progress shows a run's progress on a terminal: one line per
// finished check, and below them a status line redrawn in place,
//
//	[57/163] RU-12 the redirect URI is compared exactly · 2.1s · run 14.3s
//
// naming the check that has been in flight longest (the slowest step) and
// the time it has taken. Where the output is no terminal (CI logs) the
// status line is never drawn and only the plain lines are written.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Display is one run's progress.
type Display struct {
	out   io.Writer
	tty   bool
	every time.Duration
	now   func() time.Time

	mu       sync.Mutex
	total    int
	done     int
	start    time.Time
	inflight map[string]flight
	drawn    bool
	stop     chan struct{}
	stopped  chan struct{}
}

type flight struct {
	title string
	since time.Time
}

// New returns a display writing to out; tty says whether out is a terminal
// (IsTerminal), where the status line is drawn and redrawn every 500ms.
func New(out io.Writer, tty bool) *Display {
	return &Display{out: out, tty: tty, every: 500 * time.Millisecond, now: time.Now, inflight: map[string]flight{}}
}

// IsTerminal says whether f is a character device (a terminal), not a file
// or a pipe.
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Begin starts the run of total checks.
func (d *Display) Begin(total int) {
	d.mu.Lock()
	d.total, d.start = total, d.now()
	d.mu.Unlock()
	if d.tty && d.stop == nil {
		d.stop, d.stopped = make(chan struct{}), make(chan struct{})
		go d.tick()
	}
}

// Start says a check began.
func (d *Display) Start(id, title string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inflight[id] = flight{title: title, since: d.now()}
	d.draw()
}

// Finish says a check ended and writes its line; a check that was never
// started (not selected) writes nothing.
func (d *Display) Finish(id, line string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.inflight[id]; !ok {
		return
	}
	delete(d.inflight, id)
	d.done++
	d.clear()
	fmt.Fprintln(d.out, line)
	d.draw()
}

// Close stops redrawing and removes the status line.
func (d *Display) Close() {
	if d.stop != nil {
		close(d.stop)
		<-d.stopped
		d.stop = nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clear()
}

func (d *Display) tick() {
	defer close(d.stopped)
	t := time.NewTicker(d.every)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
			d.mu.Lock()
			d.draw()
			d.mu.Unlock()
		}
	}
}

// Status is the status line: the count, the check in flight longest and
// its time, and the run's time.
func (d *Display) Status() string {
	now := d.now()
	var slow string
	var since time.Time
	for id, f := range d.inflight {
		if slow == "" || f.since.Before(since) || (f.since.Equal(since) && id < slow) {
			slow, since = id, f.since
		}
	}
	s := fmt.Sprintf("[%d/%d]", d.done+1, d.total)
	if d.done >= d.total {
		s = fmt.Sprintf("[%d/%d]", d.done, d.total)
	}
	if slow != "" {
		s += " " + slow + " " + shorten(d.inflight[slow].title, 48) + fmt.Sprintf(" · %.1fs", now.Sub(since).Seconds())
		if n := len(d.inflight); n > 1 {
			s += fmt.Sprintf(" (+%d in flight)", n-1)
		}
	}
	return s + fmt.Sprintf(" · run %.1fs", now.Sub(d.start).Seconds())
}

func (d *Display) draw() {
	if !d.tty || d.total == 0 {
		return
	}
	fmt.Fprint(d.out, "\r\033[K"+d.Status())
	d.drawn = true
}

func (d *Display) clear() {
	if d.drawn {
		fmt.Fprint(d.out, "\r\033[K")
		d.drawn = false
	}
}

func shorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
