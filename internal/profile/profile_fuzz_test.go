package profile_test

import (
	"os"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/profile"
)

// FuzzParse feeds the profile loader arbitrary YAML: it must return a
// profile or an *Error naming the file, never panic, and a profile it
// accepts must satisfy the validation it promises.
func FuzzParse(f *testing.F) {
	for _, path := range []string{"../../profiles/mock.yaml"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range []string{
		"", "name: x\n", "name: x\nissuer: https://a.example\nclients: {service: {id: s, secret: '${S}'}}\n",
		"name: x\nissuer: https://a.example\nredirect_uri: https://c.example/cb\nclients: {public: {id: p}}\nlogin: [{click: '#go'}]\n",
		"clients: [\n", "name: &a [*a]\n", "name: !!binary x\n", "login:\n  - {fill: '#u', value: '{{user.password}}'}\n",
		"name: x\nissuer: ${A}${B}\n", "\t", "---\n---\n", "name: x\ncode_lifetime: 1e9h\n",
	} {
		f.Add([]byte(seed))
	}
	lookup := func(name string) (string, bool) {
		if name == "UNSET" {
			return "", false
		}
		return "v-" + name, true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := profile.Parse("fuzz.yaml", data, lookup)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if p.Name == "" {
			t.Fatalf("accepted a profile without a name: %q", data)
		}
		if p.Issuer == "" && (p.Endpoints.Authorization == "" || p.Endpoints.Token == "") {
			t.Fatalf("accepted a profile without issuer or endpoints: %q", data)
		}
	})
}
