package profile_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/profile"
	"github.com/oauthconform/oauthconform/mockserver"
)

// env is a fake environment for ${VAR} lookups.
type env map[string]string

func (e env) lookup(name string) (string, bool) {
	v, ok := e[name]
	return v, ok
}

func fullEnv() env {
	return env{
		"WEB_SECRET":     "web-secret-123",
		"WEB2_SECRET":    "web2-secret-456",
		"SVC_SECRET":     "svc-secret-789",
		"ALICE_PASSWORD": "alice-pw-000",
	}
}

const fileName = "profiles/target.yaml"

// base is a complete, valid profile. The broken cases below are single edits
// of it, so the line numbers in the comments are the ones the tests expect.
const base = `name: target
issuer: https://as.example.test
resource: https://as.example.test/api/me
redirect_uri: https://client.example.test/callback
endpoints:
  token: https://as.example.test/token
clients:
  confidential:  {id: web,  secret: "${WEB_SECRET}", auth_method: client_secret_basic, scopes: [openid, profile]}
  confidential2: {id: web2, secret: "${WEB2_SECRET}"}
  public:        {id: spa, scopes: [openid]}
  implicit:      {id: legacy-spa, response_type: token}
  service:       {id: svc, secret: "${SVC_SECRET}", scopes: [api.read]}
user: {username: alice, password: "${ALICE_PASSWORD}"}
login:
  - {fill: "#username", value: "{{user.username}}"}
  - {fill: "#password", value: "{{user.password}}"}
  - {click: "button[type=submit]"}
  - {click: "#approve", optional: true}
`

// edit returns base with old replaced by new; old must occur exactly once.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(base, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times in base, want 1", old, n)
	}
	return strings.Replace(base, old, new, 1)
}

func TestParseValidFullProfile(t *testing.T) {
	p, err := profile.Parse(fileName, []byte(base), fullEnv().lookup)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Path != fileName {
		t.Errorf("Path = %q, want %q", p.Path, fileName)
	}
	if p.Name != "target" || p.Issuer != "https://as.example.test" || p.Endpoints.Token != "https://as.example.test/token" {
		t.Errorf("name/issuer/token = %q/%q/%q", p.Name, p.Issuer, p.Endpoints.Token)
	}
	if c := p.Clients.Confidential; c == nil || c.ID != "web" || c.Secret != "web-secret-123" || c.UsesPost() || !slices.Equal(c.Scopes, []string{"openid", "profile"}) {
		t.Errorf("confidential client = %+v", c)
	}
	if c := p.Clients.Service; c == nil || c.Secret != "svc-secret-789" {
		t.Errorf("service client = %+v", c)
	}
	if c := p.Clients.Public; c == nil || c.Secret != "" {
		t.Errorf("public client = %+v", c)
	}
	if got := p.Clients.Implicit.ImplicitResponseType(); got != "token" {
		t.Errorf("implicit response type = %q", got)
	}
	if p.User.Password != "alice-pw-000" {
		t.Errorf("password = %q, want the expanded variable", p.User.Password)
	}
	if len(p.Login) != 4 {
		t.Fatalf("login has %d steps, want 4", len(p.Login))
	}
	if p.Login[0].Value != "alice" || p.Login[1].Value != "alice-pw-000" {
		t.Errorf("login values = %q, %q; want the user's username and password", p.Login[0].Value, p.Login[1].Value)
	}
	if !p.Login[3].Optional || p.Login[3].Click != "#approve" {
		t.Errorf("step 4 = %+v", p.Login[3])
	}
	if got := p.Login[3].Describe(); got != "click #approve (optional)" {
		t.Errorf("Describe = %q", got)
	}

	got := p.Secrets()
	want := []string{"web-secret-123", "web2-secret-456", "svc-secret-789", "alice-pw-000"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Secrets() = %q, want %q", got, want)
	}
}

func TestParseRepositoryMockProfile(t *testing.T) {
	for _, name := range []string{"mock.yaml", "mock-two-pages.yaml", "mock-nologin.yaml"} {
		t.Run(name, func(t *testing.T) { testMockProfile(t, name) })
	}
}

func testMockProfile(t *testing.T, name string) {
	data, err := os.ReadFile(filepath.Join("..", "..", "profiles", name))
	if err != nil {
		t.Fatal(err)
	}
	key := testKeyPEM(t)
	mtls, err := mockserver.NewMTLSCredentials()
	if err != nil {
		t.Fatal(err)
	}
	e := env{
		"MOCK_ISSUER":          "http://127.0.0.1:41234",
		"MOCK_WEB_SECRET":      "s3cret-web",
		"MOCK_WEB2_SECRET":     "s3cret-web2",
		"MOCK_SVC_SECRET":      "s3cret-svc",
		"MOCK_ALICE_PASSWORD":  "s3cret-alice",
		"MOCK_ACCESS_TOKENS":   "rfc9068",
		"MOCK_WEB_KEY":         key,
		"MOCK_MTLS_URL":        "http://127.0.0.1:41235",
		"MOCK_BACKCHANNEL_URI": "http://127.0.0.1:41236/backchannel-logout",
		"MOCK_MTLS_CERT":       mtls.Cert, "MOCK_MTLS_KEY": mtls.Key,
		"MOCK_MTLS_SELF_CERT": mtls.SelfCert, "MOCK_MTLS_SELF_KEY": mtls.SelfKey,
	}
	p, err := profile.Parse("mock.yaml", data, e.lookup)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Issuer != "http://127.0.0.1:41234" || p.Resource != "http://127.0.0.1:41234/api/me" {
		t.Errorf("issuer/resource = %q/%q", p.Issuer, p.Resource)
	}
	for _, st := range p.Login {
		if st.Fill == "#username" && st.Value != "alice" || st.Fill == "#password" && st.Value != "s3cret-alice" {
			t.Errorf("login values not expanded: %+v", p.Login)
		}
	}
	if name == "mock-nologin.yaml" && len(p.Login) != 0 {
		t.Errorf("%s has login steps: %+v", name, p.Login)
	}
	got := p.Secrets()
	slices.Sort(got)
	want := []string{"s3cret-alice", "s3cret-svc", "s3cret-web", "s3cret-web2"}
	for _, k := range []string{key, mtls.Key, mtls.SelfKey} {
		for _, line := range strings.Split(k, "\n") {
			if line != "" && !strings.HasPrefix(line, "-----") {
				want = append(want, line) // the keys' PEM bodies, line by line
			}
		}
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Secrets() = %q, want %q", got, want)
	}
}

func TestParseAcceptsVariants(t *testing.T) {
	serviceOnly := `name: machines
issuer: https://as.example.test
clients:
  service: {id: svc, secret: "${SVC_SECRET}", auth_method: client_secret_post}
`
	endpointsOnly := strings.Replace(edit(t, "issuer: https://as.example.test\n", ""),
		"endpoints:\n", "endpoints:\n  authorization: https://as.example.test/authorize\n", 1)
	tests := []struct {
		name  string
		data  string
		check func(t *testing.T, p *profile.Profile)
	}{
		{"service-only profile needs no redirect_uri and no login", serviceOnly, func(t *testing.T, p *profile.Profile) {
			if p.RedirectURI != "" || len(p.Login) != 0 {
				t.Errorf("redirect_uri/login = %q/%v", p.RedirectURI, p.Login)
			}
			if !p.Clients.Service.UsesPost() {
				t.Error("service client should use client_secret_post")
			}
			if got := p.Secrets(); !slices.Equal(got, []string{"svc-secret-789"}) {
				t.Errorf("Secrets() = %q", got)
			}
		}},
		{"no issuer but authorization and token endpoints", endpointsOnly, func(t *testing.T, p *profile.Profile) {
			if p.Issuer != "" || p.Endpoints.Authorization == "" || p.Endpoints.Token == "" {
				t.Errorf("issuer/endpoints = %q/%+v", p.Issuer, p.Endpoints)
			}
		}},
		{"short-lived client with a declared token lifetime", edit(t, "  service:       {id: svc, secret: \"${SVC_SECRET}\", scopes: [api.read]}", "  service:       {id: svc, secret: \"${SVC_SECRET}\", scopes: [api.read]}\n  short_lived:   {id: svc-short, secret: \"${SVC_SECRET}\", token_lifetime: 5s}"), func(t *testing.T, p *profile.Profile) {
			if c := p.Clients.ShortLived; c == nil || c.ID != "svc-short" || c.TokenLifetime != 5*time.Second {
				t.Errorf("short_lived = %+v", c)
			}
		}},
		{"implicit role with id_token token", edit(t, "response_type: token}", `response_type: "id_token token"}`), func(t *testing.T, p *profile.Profile) {
			if got := p.Clients.Implicit.ImplicitResponseType(); got != "id_token token" {
				t.Errorf("ImplicitResponseType = %q", got)
			}
		}},
		{"login: [] for a provider without any login page", strings.Split(base, "\nlogin:")[0] + "\nlogin: []\n", func(t *testing.T, p *profile.Profile) {
			if len(p.Login) != 0 {
				t.Errorf("login = %v, want no step", p.Login)
			}
		}},
		{"wait steps", edit(t, `  - {click: "#approve", optional: true}`, "  - {wait_url: /consent}\n  - {wait_for: \"#done\", optional: true}"), func(t *testing.T, p *profile.Profile) {
			if n := len(p.Login); n != 5 || p.Login[3].Describe() != "wait_url /consent" || p.Login[4].Describe() != "wait_for #done (optional)" {
				t.Errorf("steps = %+v", p.Login)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := profile.Parse(fileName, []byte(tt.data), fullEnv().lookup)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, p)
		})
	}
}

func TestParseRejectsBrokenProfiles(t *testing.T) {
	tests := []struct {
		name string
		data string
		env  env // nil: fullEnv()
		// field is the dotted field the error must carry in Error.Field and
		// name in its message; empty for errors YAML itself reports.
		field string
		// line is the expected line: Error.Line for validation errors, the
		// "line N:" of the message for YAML errors; 0 means do not check.
		line int
		// contains are further fragments the message must contain.
		contains []string
	}{
		{
			name: "YAML syntax error",
			data: edit(t, "name: target\n", "name: [target\n"),
			line: 1, contains: []string{"did not find expected"},
		},
		{
			name: "unknown top-level field",
			data: edit(t, "name: target\n", "name: target\nbogus: 1\n"),
			line: 2, contains: []string{"bogus", "unknown field"},
		},
		{
			name: "unknown field inside a client",
			data: edit(t, `{id: svc, secret:`, `{id: svc, colour: blue, secret:`),
			line: 12, contains: []string{"colour", "unknown field"},
		},
		{
			name: "wrong type: login is a string",
			data: strings.SplitAfter(base, "login:")[0] + ` "x"` + "\n",
			line: 14, contains: []string{`"x" is not a list`},
		},
		{
			name: "wrong type: optional is not a boolean",
			data: edit(t, "optional: true", "optional: maybe"),
			line: 18, contains: []string{`"maybe" is not true or false`},
		},
		{
			name:  "missing name",
			data:  edit(t, "name: target\n", ""),
			field: "name", contains: []string{"required"},
		},
		{
			name:  "missing issuer and no endpoints",
			data:  edit(t, "issuer: https://as.example.test\n", ""),
			field: "issuer", contains: []string{"required unless"},
		},
		{
			name:  "issuer is not a URL",
			data:  edit(t, "issuer: https://as.example.test\n", "issuer: as.example.test\n"),
			field: "issuer", line: 2, contains: []string{"as.example.test", "not an absolute http(s) URL"},
		},
		{
			name:  "issuer with ftp scheme",
			data:  edit(t, "issuer: https://as.example.test\n", "issuer: ftp://as.example.test\n"),
			field: "issuer", line: 2, contains: []string{"ftp://as.example.test", "not an absolute http(s) URL"},
		},
		{
			name:  "issuer without host",
			data:  edit(t, "issuer: https://as.example.test\n", "issuer: https:///path\n"),
			field: "issuer", line: 2, contains: []string{"not an absolute http(s) URL"},
		},
		{
			name:  "redirect_uri is relative",
			data:  edit(t, "redirect_uri: https://client.example.test/callback", "redirect_uri: /callback"),
			field: "redirect_uri", line: 4, contains: []string{"/callback", "not an absolute http(s) URL"},
		},
		{
			name:  "redirect_uri with a fragment",
			data:  edit(t, "redirect_uri: https://client.example.test/callback", "redirect_uri: https://client.example.test/callback#frag"),
			field: "redirect_uri", line: 4, contains: []string{"must not have a fragment"},
		},
		{
			name:  "endpoints.token is not a URL",
			data:  edit(t, "  token: https://as.example.test/token", "  token: \"http://bad host/token\""),
			field: "endpoints.token", line: 6, contains: []string{"not an absolute http(s) URL"},
		},
		{
			name:  "resource is not a URL",
			data:  edit(t, "resource: https://as.example.test/api/me", "resource: api/me"),
			field: "resource", line: 3, contains: []string{"not an absolute http(s) URL"},
		},
		{
			name:  "resource with ftp scheme",
			data:  edit(t, "resource: https://as.example.test/api/me", "resource: ftp://as.example.test/api/me"),
			field: "resource", line: 3, contains: []string{"not an absolute http(s) URL"},
		},
		{
			name:  "unset variable in a secret",
			data:  base,
			env:   env{"WEB_SECRET": "web-secret-123", "WEB2_SECRET": "web2-secret-456", "ALICE_PASSWORD": "alice-pw-000"},
			field: "clients.service.secret", line: 12, contains: []string{"SVC_SECRET", "not set"},
		},
		{
			name:  "variable set to the empty string",
			data:  base,
			env:   env{"WEB_SECRET": "web-secret-123", "WEB2_SECRET": "web2-secret-456", "SVC_SECRET": "svc-secret-789", "ALICE_PASSWORD": ""},
			field: "user.password", line: 13, contains: []string{"ALICE_PASSWORD", "not set"},
		},
		{
			name:  "confidential client without a secret",
			data:  edit(t, `{id: web2, secret: "${WEB2_SECRET}"}`, `{id: web2}`),
			field: "clients.confidential2.secret", line: 9, contains: []string{"required for the confidential2 role"},
		},
		{
			name:  "service client without a secret",
			data:  edit(t, `{id: svc, secret: "${SVC_SECRET}", scopes: [api.read]}`, `{id: svc, scopes: [api.read]}`),
			field: "clients.service.secret", line: 12, contains: []string{"required for the service role"},
		},
		{
			name:  "client without an id",
			data:  edit(t, "{id: spa, scopes: [openid]}", "{scopes: [openid]}"),
			field: "clients.public.id", line: 10, contains: []string{"required"},
		},
		{
			name:  "unknown auth_method",
			data:  edit(t, "auth_method: client_secret_basic", "auth_method: private_key_jwt"),
			field: "clients.confidential.auth_method", line: 8, contains: []string{`"private_key_jwt"`, "client_secret_basic, client_secret_post"},
		},
		{
			name:  "response_type on a non-implicit role",
			data:  edit(t, "{id: spa, scopes: [openid]}", "{id: spa, response_type: token}"),
			field: "clients.public.response_type", line: 10, contains: []string{"only the implicit role"},
		},
		{
			name:  "token_lifetime on a role other than short_lived",
			data:  edit(t, "{id: spa, scopes: [openid]}", "{id: spa, token_lifetime: 5s}"),
			field: "clients.public.token_lifetime", line: 10, contains: []string{"only the short_lived role"},
		},
		{
			name:  "short_lived without a secret",
			data:  edit(t, "  service:       {id: svc, secret: \"${SVC_SECRET}\", scopes: [api.read]}", "  service:       {id: svc, secret: \"${SVC_SECRET}\", scopes: [api.read]}\n  short_lived:   {id: svc-short}"),
			field: "clients.short_lived.secret", line: 13, contains: []string{"required"},
		},
		{
			name:  "implicit response_type that is not token",
			data:  edit(t, "response_type: token}", "response_type: code}"),
			field: "clients.implicit.response_type", line: 11, contains: []string{`"code"`},
		},
		{
			name: "no client roles",
			data: strings.SplitAfter(base, "clients:")[0] + " {}\nuser: {username: alice}\n",
			// clients: {} on line 7
			field: "clients", line: 7, contains: []string{"at least one client role"},
		},
		{
			name:  "browser role without redirect_uri",
			data:  edit(t, "redirect_uri: https://client.example.test/callback\n", ""),
			field: "redirect_uri", contains: []string{"required when a browser client role"},
		},
		{
			name:  "browser role without login",
			data:  strings.Split(base, "\nlogin:")[0] + "\n",
			field: "login", contains: []string{"required when a browser client role", "login: []"},
		},
		{
			name:  "step with two actions",
			data:  edit(t, `{click: "button[type=submit]"}`, `{click: "button[type=submit]", wait_for: "#done"}`),
			field: "login[2]", line: 17, contains: []string{"exactly one of fill, click, wait_url, wait_for"},
		},
		{
			name:  "step with no action",
			data:  edit(t, `{click: "button[type=submit]"}`, `{optional: true}`),
			field: "login[2]", line: 17, contains: []string{"exactly one of"},
		},
		{
			name:  "step with an empty selector",
			data:  edit(t, `{click: "button[type=submit]"}`, `{click: ""}`),
			field: "login[2]", line: 17, contains: []string{"exactly one of"},
		},
		{
			name:  "step with a blank selector",
			data:  edit(t, `{click: "button[type=submit]"}`, `{click: "   "}`),
			field: "login[2]", line: 17, contains: []string{"exactly one of"},
		},
		{
			name:  "value on a click step",
			data:  edit(t, `{click: "button[type=submit]"}`, `{click: "button[type=submit]", value: "x"}`),
			field: "login[2].value", line: 17, contains: []string{"value belongs to a fill step"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.env
			if e == nil {
				e = fullEnv()
			}
			p, err := profile.Parse(fileName, []byte(tt.data), e.lookup)
			if err == nil {
				t.Fatalf("Parse succeeded (%+v), want an error", p)
			}
			var pe *profile.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %q is not a *profile.Error", err, err)
			}
			msg := err.Error()
			if pe.File != fileName || !strings.Contains(msg, fileName) {
				t.Errorf("error %q (File %q) does not name the file %q", msg, pe.File, fileName)
			}
			if tt.field != "" {
				if pe.Field != tt.field {
					t.Errorf("Field = %q, want %q (error %q)", pe.Field, tt.field, msg)
				}
				if !strings.Contains(msg, tt.field+": ") {
					t.Errorf("error %q does not name the field %q", msg, tt.field)
				}
				if tt.line != 0 {
					if pe.Line != tt.line {
						t.Errorf("Line = %d, want %d (error %q)", pe.Line, tt.line, msg)
					}
					if want := fileName + ":" + strconv.Itoa(tt.line) + ":"; !strings.Contains(msg, want) {
						t.Errorf("error %q does not contain location %q", msg, want)
					}
				}
			} else if tt.line != 0 {
				if want := fileName + ":" + strconv.Itoa(tt.line) + ":"; pe.Line != tt.line || !strings.Contains(msg, want) {
					t.Errorf("error %q does not report line %d", msg, tt.line)
				}
			}
			for _, c := range tt.contains {
				if !strings.Contains(msg, c) {
					t.Errorf("error %q does not contain %q", msg, c)
				}
			}
			// No secret value may appear in an error message.
			for _, v := range e {
				if v != "" && strings.Contains(msg, v) {
					t.Errorf("error %q contains the secret %q", msg, v)
				}
			}
		})
	}
}

// TestParseTypeErrorsAreLocated: a value of the wrong type or an unknown key
// is reported with its dotted field path and its line, not as YAML's bare
// "line 14: cannot unmarshal ..." message.
func TestParseTypeErrorsAreLocated(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		field string
		line  int
	}{
		{"login is a string", strings.SplitAfter(base, "login:")[0] + ` "x"` + "\n", "login", 14},
		{"optional is not a boolean", edit(t, "optional: true", "optional: maybe"), "login[3].optional", 18},
		{"unknown field inside a client", edit(t, `{id: svc, secret:`, `{id: svc, colour: blue, secret:`), "clients.service.colour", 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := profile.Parse(fileName, []byte(tt.data), fullEnv().lookup)
			var pe *profile.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *profile.Error", err)
			}
			if pe.Line != tt.line {
				t.Errorf("Line = %d, want %d (error %q)", pe.Line, tt.line, err)
			}
			if pe.Field != tt.field || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("Field = %q, want %q named in the message (error %q)", pe.Field, tt.field, err)
			}
		})
	}
}

func TestParseLooksUpEachVariable(t *testing.T) {
	var asked []string
	lookup := func(name string) (string, bool) {
		asked = append(asked, name)
		return fullEnv().lookup(name)
	}
	if _, err := profile.Parse(fileName, []byte(base), lookup); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	slices.Sort(asked)
	if want := []string{"ALICE_PASSWORD", "SVC_SECRET", "WEB2_SECRET", "WEB_SECRET"}; !slices.Equal(asked, want) {
		t.Errorf("looked up %q, want %q", asked, want)
	}
}

func TestLoadMissingFileNamesThePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-profile.yaml")
	p, err := profile.Load(path)
	if err == nil {
		t.Fatalf("Load succeeded: %+v", p)
	}
	var pe *profile.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %T is not a *profile.Error", err)
	}
	if pe.File != path || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %q", err, path)
	}
	if !errors.Is(err, os.ErrNotExist) && !strings.Contains(err.Error(), "no such file") {
		t.Errorf("error %q does not say the file is missing", err)
	}
}

func TestLoadReadsFileAndEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "svc.yaml")
	data := "name: svc\nissuer: https://as.example.test\nclients:\n  service: {id: svc, secret: \"${OAUTHCONFORM_TEST_SVC_SECRET}\"}\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OAUTHCONFORM_TEST_SVC_SECRET", "from-the-env")
	p, err := profile.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if p.Path != path || p.Clients.Service.Secret != "from-the-env" {
		t.Errorf("Path/secret = %q/%q", p.Path, p.Clients.Service.Secret)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  profile.Error
		want string
	}{
		{"file only", profile.Error{File: "p.yaml", Msg: "boom"}, "profile p.yaml: boom"},
		{"file and line", profile.Error{File: "p.yaml", Line: 3, Msg: "boom"}, "profile p.yaml:3: boom"},
		{"file, line and field", profile.Error{File: "p.yaml", Line: 3, Field: "clients.service.secret", Msg: "required"}, "profile p.yaml:3: clients.service.secret: required"},
		{"field without line", profile.Error{File: "p.yaml", Field: "name", Msg: "required"}, "profile p.yaml: name: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoginErrorReachesEveryStep(t *testing.T) {
	src := edit(t, "login:\n", "login_error: \"#error, .alert-danger\"\nlogin:\n")
	p, err := profile.Parse(fileName, []byte(src), fullEnv().lookup)
	if err != nil {
		t.Fatal(err)
	}
	if p.LoginError != "#error, .alert-danger" {
		t.Errorf("LoginError = %q", p.LoginError)
	}
	for i, s := range p.Login {
		if s.LoginError != p.LoginError {
			t.Errorf("login[%d].LoginError = %q, want the profile's", i, s.LoginError)
		}
	}
	// It is a profile field, not a step field.
	_, err = profile.Parse(fileName, []byte(edit(t, `- {click: "button[type=submit]"}`, `- {click: "button[type=submit]", login_error: "#e"}`)), fullEnv().lookup)
	var pe *profile.Error
	if !errors.As(err, &pe) || pe.Field != "login[2].login_error" {
		t.Errorf("a step's login_error: got %v, want an unknown-field error at login[2].login_error", err)
	}
}
