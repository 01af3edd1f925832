package profile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/profile"
)

// anyVar resolves every ${VAR} to a dummy value, as a user's environment would.
func anyVar(name string) (string, bool) {
	if strings.HasSuffix(name, "_KEY") {
		return dummyKey(), true // a private key (private_key)
	}
	if strings.HasSuffix(name, "_ISSUER") {
		return "http://127.0.0.1:9/", true
	}
	if strings.HasSuffix(name, "_URI") || strings.HasSuffix(name, "_URL") {
		return "http://127.0.0.1:9/" + strings.ToLower(name), true // a URL the run picks (a listener's port)
	}
	return "dummy-" + strings.ToLower(name), true
}

// The provider templates under docs/profiles and the interop profiles stay
// valid profiles; the templates say they were not run here.
func TestProviderProfilesLoad(t *testing.T) {
	templates, err := filepath.Glob("../../docs/profiles/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(templates) < 7 {
		t.Fatalf("found %d templates under docs/profiles, want at least 7", len(templates))
	}
	interop, err := filepath.Glob("../../interop/*/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range append(templates, interop...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := profile.Parse(path, data, anyVar)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if strings.Contains(path, "docs/profiles") && !strings.Contains(string(data), "NOT RUN HERE") {
			t.Errorf("%s does not say it was not run here", path)
		}
		if len(p.Login) > 0 && p.LoginError == "" {
			t.Errorf("%s has login steps but no login_error", path)
		}
	}
}
