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

// Stats counts what the browser did in this process: every authorization,
// the incognito sessions opened and the framing probes (FrameRenders). The
// suites write it to the reports directory at the end of a run, one file
// per Ginkgo process, and `make bench` adds the files up.
type Stats struct {
	Authorizations []Authorization `json:"authorizations"`
	Sessions       int             `json:"sessions"`
	FramePages     int             `json:"frame_pages"`
}

var stats struct {
	mu sync.Mutex
	s  Stats
}

// Snapshot returns a copy of the process's browser statistics so far.
// It is safe for concurrent use.
func Snapshot() Stats {
	stats.mu.Lock()
	defer stats.mu.Unlock()
	s := stats.s
	s.Authorizations = slices.Clone(s.Authorizations)
	return s
}

// ResetStats forgets everything counted so far.
func ResetStats() {
	stats.mu.Lock()
	stats.s = Stats{}
	stats.mu.Unlock()
}

// countAuthorization is deferred by Authorize with its start time and the
// addresses of its results.
func countAuthorization(start time.Time, res **Result, err *error) {
	a := Authorization{Duration: time.Since(start), OK: *err == nil && *res != nil}
	if *res != nil {
		a.LoginSteps = (*res).LoginSteps
	}
	stats.mu.Lock()
	stats.s.Authorizations = append(stats.s.Authorizations, a)
	stats.mu.Unlock()
}

func countSession() {
	stats.mu.Lock()
	stats.s.Sessions++
	stats.mu.Unlock()
}

func countFramePage() {
	stats.mu.Lock()
	stats.s.FramePages++
	stats.mu.Unlock()
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
