package discovery

import (
	"strings"
	"testing"
)

// FuzzCandidates: any issuer string gives well-known URLs on the issuer's
// own origin, or an error; never a panic.
func FuzzCandidates(f *testing.F) {
	for _, s := range []string{"https://a.example", "https://a.example/tenant/", "http://127.0.0.1:9/x?y", "https://a.example#f", "a.example", "https://[::1]:8/%2F", "https://a.example/../b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, issuer string) {
		urls, err := Candidates(issuer)
		if err != nil {
			return
		}
		if len(urls) == 0 || len(urls) > 4 {
			t.Fatalf("%d candidates for %q", len(urls), issuer)
		}
		for _, u := range urls {
			if !strings.Contains(u, "/.well-known/") {
				t.Fatalf("candidate %q for %q is not a well-known URL", u, issuer)
			}
		}
	})
}
