package driver_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/driver"
)

func TestStatsCountAuthorizationsAndSessions(t *testing.T) {
	browser.ResetStats()
	srv := loginServer(t, false, "?code=counted")
	s := session(t)
	for range 2 {
		if _, err := s.Authorize(context.Background(), driver.Request{URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("pw")}); err != nil {
			t.Fatal(err)
		}
	}
	// A failed login counts too, as not OK.
	bad := session(t)
	if _, err := bad.Authorize(context.Background(), driver.Request{URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("wrong"), LoginError: "#error"}); err == nil {
		t.Fatal("wrong password: no error")
	}
	st := browser.Stats()
	if st.Sessions != 2 {
		t.Errorf("sessions = %d, want 2", st.Sessions)
	}
	if len(st.Authorizations) != 3 {
		t.Fatalf("authorizations = %+v, want 3", st.Authorizations)
	}
	a0, a1, a2 := st.Authorizations[0], st.Authorizations[1], st.Authorizations[2]
	if !a0.OK || a0.LoginSteps != 3 || !a1.OK || a1.LoginSteps != 0 || a2.OK {
		t.Errorf("authorizations = %+v, want a fresh login, a reused one, a failure", st.Authorizations)
	}
	if d := st.Durations(false); len(d) != 2 || d[0] > d[1] || d[0] <= 0 {
		t.Errorf("durations of the successful ones = %v", d)
	}
	if d := st.Durations(true); len(d) != 1 || d[0] != a0.Duration {
		t.Errorf("durations of the authorizations with login steps = %v, want [%v]", d, a0.Duration)
	}
}

func TestStatsAreSafeForConcurrentUseAndMerge(t *testing.T) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = browser.Stats()
		}()
	}
	wg.Wait()
	a := driver.Stats{Authorizations: []driver.Authorization{{Duration: 3 * time.Second, OK: true}}, Sessions: 1}
	a.Merge(driver.Stats{Authorizations: []driver.Authorization{{Duration: time.Second, OK: true, LoginSteps: 2}, {Duration: 2 * time.Second, OK: true}}, Sessions: 2, FramePages: 1})
	if a.Sessions != 3 || a.FramePages != 1 || len(a.Authorizations) != 3 {
		t.Errorf("merged = %+v", a)
	}
	if m := driver.Median(a.Durations(false)); m != 2*time.Second {
		t.Errorf("median = %v, want 2s", m)
	}
	if m := driver.Median([]time.Duration{time.Second, 3 * time.Second}); m != 2*time.Second {
		t.Errorf("even median = %v, want 2s", m)
	}
	if m := driver.Median(nil); m != 0 {
		t.Errorf("median of none = %v", m)
	}
}
