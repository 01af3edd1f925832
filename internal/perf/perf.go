// Package perf measures conformance runs for `make bench` and `make multi`:
// the memory of a process tree (the harness and every Chromium it started,
// read from /proc), the browser statistics each Ginkgo process writes
// (driver-stats-<process>.json, see suites/suite.go) and the run's
// results. It measures only: nothing here decides a pass or a fail on time.
package perf

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oauthconform/oauthconform/driver"
)

// Memory is one reading of a process tree.
type Memory struct {
	Processes int
	RSS       int64 // bytes: the sum of every process's resident set (shared pages counted in each)
	PSS       int64 // bytes: the sum of proportional set sizes (shared pages divided among their users); 0 when unreadable
}

// Tree reads the memory of root and all its descendants from proc (/proc).
// withPSS also reads smaps_rollup, which costs the kernel more.
func Tree(proc string, root int, withPSS bool) (Memory, error) {
	pids, err := descendants(proc, root)
	if err != nil {
		return Memory{}, err
	}
	var m Memory
	for _, pid := range pids {
		rss, ok := statusKB(filepath.Join(proc, strconv.Itoa(pid), "status"), "VmRSS:")
		if !ok {
			continue // gone meanwhile, or a kernel thread
		}
		m.Processes++
		m.RSS += rss * 1024
		if withPSS {
			if pss, ok := statusKB(filepath.Join(proc, strconv.Itoa(pid), "smaps_rollup"), "Pss:"); ok {
				m.PSS += pss * 1024
			}
		}
	}
	if m.Processes == 0 {
		return m, fmt.Errorf("perf: process %d is gone", root)
	}
	return m, nil
}

// descendants lists root and every process below it, from the parent
// field of each /proc/<pid>/stat.
func descendants(proc string, root int) ([]int, error) {
	entries, err := os.ReadDir(proc)
	if err != nil {
		return nil, err
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(proc, e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		ppid, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		children[ppid] = append(children[ppid], pid)
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out, nil
}

// statusKB reads a "Key:   123 kB" line.
func statusKB(path, key string) (int64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			n, err := strconv.ParseInt(f[0], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// Sampler reads a process tree's memory on a ticker and keeps the peaks.
type Sampler struct {
	mu       sync.Mutex
	peak     Memory // peak RSS sum, with the reading's process count
	peakPSS  int64
	samples  int
	stop     chan struct{}
	stopped  chan struct{}
	proc     string
	root     int
	interval time.Duration
}

// StartSampler samples root's tree (RSS and PSS) every interval until Stop.
func StartSampler(root int, interval time.Duration) *Sampler {
	s := &Sampler{stop: make(chan struct{}), stopped: make(chan struct{}), proc: "/proc", root: root, interval: interval}
	go s.loop()
	return s
}

func (s *Sampler) loop() {
	defer close(s.stopped)
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.sample(true)
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

func (s *Sampler) sample(withPSS bool) {
	m, err := Tree(s.proc, s.root, withPSS)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples++
	if m.RSS > s.peak.RSS {
		s.peak = m
	}
	if m.PSS > s.peakPSS {
		s.peakPSS = m.PSS
	}
}

// Stop ends the sampling and returns the peaks: RSS (with the process count
// of that reading) and PSS, and how many readings were taken.
func (s *Sampler) Stop() (peak Memory, samples int) {
	close(s.stop)
	<-s.stopped
	s.mu.Lock()
	defer s.mu.Unlock()
	peak = s.peak
	peak.PSS = s.peakPSS
	return peak, s.samples
}

// StatsFile is what each Ginkgo process writes at the end of a run.
type StatsFile struct {
	Process   int          `json:"process"`
	Processes int          `json:"processes"`
	Seed      int64        `json:"seed"`
	Stats     driver.Stats `json:"stats"`
}

// LoadDriverStats adds up the driver-stats-<process>.json files of one run
// in dir: all of them must carry the same seed and process count, and there
// must be one per process.
func LoadDriverStats(dir string) (driver.Stats, int, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "driver-stats-*.json"))
	if err != nil {
		return driver.Stats{}, 0, err
	}
	if len(paths) == 0 {
		return driver.Stats{}, 0, fmt.Errorf("perf: no driver-stats-*.json in %s", dir)
	}
	sort.Strings(paths)
	var total driver.Stats
	var first *StatsFile
	seen := map[int]bool{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return driver.Stats{}, 0, err
		}
		var f StatsFile
		if err := json.Unmarshal(data, &f); err != nil {
			return driver.Stats{}, 0, fmt.Errorf("%s: %w", p, err)
		}
		if first == nil {
			first = &f
		} else if f.Seed != first.Seed || f.Processes != first.Processes {
			return driver.Stats{}, 0, fmt.Errorf("perf: %s is from another run (seed %d, %d processes; %s: seed %d, %d processes)", p, f.Seed, f.Processes, paths[0], first.Seed, first.Processes)
		}
		seen[f.Process] = true
		total.Merge(f.Stats)
	}
	if len(seen) != max(first.Processes, 1) {
		return driver.Stats{}, 0, errors.New("perf: driver statistics of some Ginkgo processes are missing in " + dir)
	}
	return total, len(seen), nil
}
