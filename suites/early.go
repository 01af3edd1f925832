package suites

import (
	"context"
	"regexp"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/oauthconform/oauthconform/internal/catalog"
)

// Early runs: the work of the checks whose evidence is mostly waiting (a
// session that must age, a code or device code that must expire, a
// consent page in two sessions) starts in the background when the suite
// starts, so that its waits overlap the other checks instead of adding to
// them. Each
// is a run the checks already share, or a check's evidence made by a
// function the check calls itself when no early run made it first: a
// check waits for its run (its lock) and judges what the run recorded.
// Nothing here judges: an early run records answers and errors, and calls
// no Skip, Fail or assertion (those would land on whatever check runs at
// that moment); the check that reads them decides.
//
// Early runs start only in a serial run (under ginkgo -p the checks are
// spread over processes, and each process would do every run), and only
// for the runs a check of the run's selection (its label filter) reads.
type earlyRuns struct {
	wg     sync.WaitGroup
	cancel context.CancelFunc
}

// runsLate puts a container after the others (Ginkgo still shuffles
// within each priority): the containers whose checks read an early run,
// or wait for something the suite's start asked for (a request_uri or a
// device code to expire), so that the run has done its waiting meanwhile.
var runsLate = SpecPriority(-1)

// early is this process's early runs (started by BeforeSuite, waited for
// by AfterSuite).
var early earlyRuns

// earlyRun is one background run: the checks that read it (by ID
// pattern), whether the target can have it, the run, and its lane: the
// runs of a lane run one after another, the lanes side by side (two
// lanes of browser work: each run holds a page or two, and the other
// checks go on meanwhile; more at once costs memory and slows them; a
// third for a run that only waits and sends one request).
type earlyRun struct {
	readers *regexp.Regexp
	applies func() bool
	run     func(ctx context.Context)
	lane    int
}

// earlyRunList is every early run.
func earlyRunList() []earlyRun {
	return []earlyRun{{
		// The reauthentication session (OP-01..OP-08, the families' 10..12)
		// and the RP-initiated logout that ends it (LO-*).
		readers: regexp.MustCompile(`^(OP|LO)-\d+$|^(IM|HB|FP|FI|FH)-1[0-2]$`),
		applies: func() bool {
			c := env.Profile.Clients.Confidential
			return c != nil && containsString(c.Scopes, "openid")
		},
		run: func(ctx context.Context) {
			if done, _ := reauth.advance(ctx, 6); done < 6 {
				return
			}
			ep, _ := env.Metadata["end_session_endpoint"].(string)
			if ep == "" || env.Profile.PostLogoutRedirectURI == "" {
				return
			}
			logoutChecks.advance(ctx, ep, &reauth, 6)
		},
		lane: 0,
	}, {
		// The code that must expire (CODE-05), asked for at once.
		readers: regexp.MustCompile(`^CODE-05$`),
		applies: func() bool {
			lifetime := env.Profile.CodeLifetime
			return env.Profile.Clients.Confidential != nil && lifetime > 0 && lifetime <= maxCodeLifetimeWait
		},
		run:  func(ctx context.Context) { expiringCodes.get(ctx) },
		lane: 1,
	}, {
		// The consent page of two sessions, one form forged (AE-15).
		readers: regexp.MustCompile(`^AE-15$`),
		applies: func() bool { return env.Profile.Clients.Confidential != nil && consentStep() != nil },
		run:     func(ctx context.Context) { consentForgery.gather(ctx) },
		lane:    1,
	}, {
		// The poll with the short-lived device code once it has expired
		// (DEV-04), on time: a wait and one request, beside the others.
		readers: regexp.MustCompile(`^DEV-04$`),
		applies: func() bool { return expiringDevice.skip == "" && expiringDevice.err == nil && expiringDevice.d != nil },
		run:     expiredPoll,
		lane:    2,
	}}
}

// start starts the early runs that apply, bounded by the run's timeout.
func (e *earlyRuns) start(ctx context.Context) {
	cfg, _ := GinkgoConfiguration()
	if cfg.ParallelTotal > 1 || env.Metadata == nil {
		return
	}
	selected := selection(cfg)
	ctx, e.cancel = context.WithTimeout(context.WithoutCancel(ctx), env.Config.Timeout.Run)
	lanes := map[int][]earlyRun{}
	for _, r := range earlyRunList() {
		if r.applies() && selected(r.readers) {
			lanes[r.lane] = append(lanes[r.lane], r)
		}
	}
	for _, runs := range lanes {
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			for _, r := range runs {
				r.run(ctx)
			}
		}()
	}
}

// stop ends the early runs still going (the suite is over) and waits for
// them.
func (e *earlyRuns) stop() {
	if e.cancel != nil {
		e.cancel()
	}
	e.wg.Wait()
}

// selection reports whether some check whose ID matches may run in this
// suite, by the label filter (a run that also focuses or skips by text may
// waste an early run, never get a verdict wrong).
func selection(cfg types.SuiteConfig) func(*regexp.Regexp) bool {
	filter, err := types.ParseLabelFilter(cfg.LabelFilter)
	if err != nil {
		return func(*regexp.Regexp) bool { return false }
	}
	return func(readers *regexp.Regexp) bool {
		for _, c := range catalog.All() {
			if readers.MatchString(c.ID) && filter(c.Labels()) {
				return true
			}
		}
		return false
	}
}
