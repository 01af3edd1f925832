package driver

import (
	"slices"
	"sync"
	"time"
)

// Authorization is one browser authorization as Authorize ran it: how long
// it took (page opened to redirect captured, or to the error), how many
// login steps ran (0: the session's login was reused) and whether it
// reached the redirect URI.
type Authorization struct {
	Duration   time.Duration `json:"duration_ns"`
	LoginSteps int           `json:"login_steps"`
	OK         bool          `json:"ok"`
}

// Stats counts what one Browser did: every authorization, the incognito
// sessions opened and the framing probes (FrameRenders). The suites write
// it to the reports directory at the end of a run, one file per Ginkgo
// process (each has its browser), and `make bench` adds the files up.
type Stats struct {
	Authorizations []Authorization `json:"authorizations"`
	Sessions       int             `json:"sessions"`
	FramePages     int             `json:"frame_pages"`
}

// counter is a browser's running Stats.
type counter struct {
	mu sync.Mutex
	s  Stats
}

// Stats returns a copy of what the browser did so far. It is safe for
// concurrent use.
func (b *Browser) Stats() Stats {
	b.stats.mu.Lock()
	defer b.stats.mu.Unlock()
	s := b.stats.s
	s.Authorizations = slices.Clone(s.Authorizations)
	return s
}

// ResetStats forgets everything the browser counted so far.
func (b *Browser) ResetStats() {
	b.stats.mu.Lock()
	b.stats.s = Stats{}
	b.stats.mu.Unlock()
}

// countAuthorization is deferred by Authorize with its start time and the
// addresses of its results.
func (c *counter) countAuthorization(start time.Time, res **Result, err *error) {
	a := Authorization{Duration: time.Since(start), OK: *err == nil && *res != nil}
	if *res != nil {
		a.LoginSteps = (*res).LoginSteps
	}
	c.mu.Lock()
	c.s.Authorizations = append(c.s.Authorizations, a)
	c.mu.Unlock()
}

func (c *counter) countSession() {
	c.mu.Lock()
	c.s.Sessions++
	c.mu.Unlock()
}

func (c *counter) countFramePage() {
	c.mu.Lock()
	c.s.FramePages++
	c.mu.Unlock()
}

// Merge adds other's counts to s (the files of several processes).
func (s *Stats) Merge(other Stats) {
	s.Authorizations = append(s.Authorizations, other.Authorizations...)
	s.Sessions += other.Sessions
	s.FramePages += other.FramePages
}

// Durations returns the durations of the authorizations that reached the
// redirect URI, sorted; with withLogin set, only those that ran at least
// one login step (not a reused session), otherwise all of them.
func (s Stats) Durations(withLogin bool) []time.Duration {
	var d []time.Duration
	for _, a := range s.Authorizations {
		if a.OK && (!withLogin || a.LoginSteps > 0) {
			d = append(d, a.Duration)
		}
	}
	slices.Sort(d)
	return d
}

// Median is the middle of sorted durations (0 for none).
func Median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	default:
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
}
