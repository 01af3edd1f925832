package catalog_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver"
)

func TestValidate(t *testing.T) {
	if err := catalog.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestAllIsSortedAndIDsAreUnique(t *testing.T) {
	all := catalog.All()
	ids := make([]string, len(all))
	seen := map[string]bool{}
	for i, c := range all {
		ids[i] = c.ID
		if seen[c.ID] {
			t.Errorf("duplicate ID %s", c.ID)
		}
		seen[c.ID] = true
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("All() is not sorted by ID: %v", ids)
	}
	// All returns a copy: changing it does not change the catalog.
	all[0].ID = "CHANGED"
	if catalog.All()[0].ID == "CHANGED" {
		t.Error("All() exposes the registry")
	}
}

var idRE = regexp.MustCompile(`^[A-Z]+-\d{2}$`)

func TestEveryCheckIsComplete(t *testing.T) {
	for _, c := range catalog.All() {
		t.Run(c.ID, func(t *testing.T) {
			if !idRE.MatchString(c.ID) {
				t.Errorf("ID %q is not of the form AREA-NN", c.ID)
			}
			if c.Title == "" || c.Area == "" || len(c.Flows) == 0 || len(c.Spec) == 0 || c.Fault == "" {
				t.Errorf("incomplete check: %+v", c)
			}
			if !slices.Contains(verdict.Levels, c.Level) {
				t.Errorf("level %q", c.Level)
			}
		})
	}
}

func TestEveryFaultIsAMockFault(t *testing.T) {
	faults := map[string]bool{}
	for _, f := range mockserver.AllFaults() {
		faults[string(f.Name)] = true
	}
	used := map[string]bool{}
	for _, c := range catalog.All() {
		used[string(c.Fault)] = true
		if !faults[string(c.Fault)] {
			t.Errorf("%s: fault %q is not in mockserver.AllFaults()", c.ID, c.Fault)
		}
	}
	// And the other way round: every fault proves at least one check.
	for name := range faults {
		if !used[name] {
			t.Errorf("mock fault %q is not the fault of any check", name)
		}
	}
}

var specURLRE = regexp.MustCompile(`^https://www\.rfc-editor\.org/rfc/rfc\d{4}(#section-\d+(\.\d+)*|#appendix-[A-Z](\.\d+)*)?$`)

// openIDSpecURL is the link of a reference to one of catalog.OpenIDSpecs,
// "" for another reference.
func openIDSpecURL(ref string) string {
	for _, o := range catalog.OpenIDSpecs {
		if rest, ok := strings.CutPrefix(ref, o.Name+" §"); ok {
			return o.URL + "#rfc.section." + rest
		}
	}
	return ""
}

func TestEverySpecReferenceResolves(t *testing.T) {
	for _, c := range catalog.All() {
		urls := c.SpecURLs()
		if len(urls) != len(c.Spec) {
			t.Errorf("%s: %d URLs for %d references", c.ID, len(urls), len(c.Spec))
			continue
		}
		for i, ref := range c.Spec {
			if strings.HasPrefix(ref, "OIDC Core §") {
				if want := "https://openid.net/specs/openid-connect-core-1_0.html#rfc.section." + strings.TrimPrefix(ref, "OIDC Core §"); urls[i] != want {
					t.Errorf("%s: %q resolves to %q, want %q", c.ID, ref, urls[i], want)
				}
				continue
			}
			if strings.HasPrefix(ref, "OIDC Discovery §") {
				if want := "https://openid.net/specs/openid-connect-discovery-1_0.html#rfc.section." + strings.TrimPrefix(ref, "OIDC Discovery §"); urls[i] != want {
					t.Errorf("%s: %q resolves to %q, want %q", c.ID, ref, urls[i], want)
				}
				continue
			}
			if other := openIDSpecURL(ref); other != "" {
				if urls[i] != other {
					t.Errorf("%s: %q resolves to %q, want %q", c.ID, ref, urls[i], other)
				}
				continue
			}
			if !specURLRE.MatchString(urls[i]) {
				t.Errorf("%s: %q resolves to %q", c.ID, ref, urls[i])
			}
			// The link points at the referenced RFC and section.
			var num, section string
			if f := strings.Fields(ref); len(f) >= 2 {
				num = f[1]
			}
			if _, s, ok := strings.Cut(ref, "§"); ok {
				section = "#section-" + s
				if s[0] >= 'A' && s[0] <= 'Z' {
					section = "#appendix-" + s // "RFC 6749 §A.12"
				}
			}
			if want := "https://www.rfc-editor.org/rfc/rfc" + num + section; urls[i] != want {
				t.Errorf("%s: %q resolves to %q, want %q", c.ID, ref, urls[i], want)
			}
		}
	}
}

func TestSpecURL(t *testing.T) {
	tests := []struct {
		ref, want string
	}{
		{"RFC 6749 §4.1.2", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2"},
		{"RFC 8414 §3.3", "https://www.rfc-editor.org/rfc/rfc8414#section-3.3"},
		{"RFC 9207 §2", "https://www.rfc-editor.org/rfc/rfc9207#section-2"},
		{"RFC 9207", "https://www.rfc-editor.org/rfc/rfc9207"},
		{"RFC 6749 §A.12", "https://www.rfc-editor.org/rfc/rfc6749#appendix-A.12"},
		{"OIDC Core §3.1.3.7", "https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.3.7"},
		{"nonsense", ""},
		{"", ""},
		{"RFC", ""},
		{"rfc6749", ""},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			if got := catalog.SpecURL(tt.ref); got != tt.want {
				t.Errorf("SpecURL(%q) = %q, want %q", tt.ref, got, tt.want)
			}
		})
	}
}

func TestLabelsAndSpecText(t *testing.T) {
	for _, c := range catalog.All() {
		t.Run(c.ID, func(t *testing.T) {
			labels := c.Labels()
			if len(labels) < 3 || labels[0] != c.ID || labels[1] != string(c.Level) {
				t.Errorf("Labels() = %q, want ID, level, flows", labels)
			}
			for _, f := range c.Flows {
				if !slices.Contains(labels, "flow:"+string(f)) {
					t.Errorf("Labels() = %q lack flow:%s", labels, f)
				}
			}
			if got := c.SpecText(); !strings.HasPrefix(got, c.ID+" ") || !strings.HasSuffix(got, c.Title) {
				t.Errorf("SpecText() = %q", got)
			}
		})
	}
	if got, want := catalog.CodeInQuery.Labels(), []string{"AE-01", "MUST", "flow:authorization_code"}; !slices.Equal(got, want) {
		t.Errorf("AE-01 labels = %q, want %q", got, want)
	}
	if got := catalog.TokenResponseExpiresIn.Labels(); !slices.Contains(got, "SHOULD") {
		t.Errorf("TE-02 labels = %q, want SHOULD", got)
	}
}

func TestByID(t *testing.T) {
	tests := []struct {
		name, id string
		found    bool
		want     catalog.Check
	}{
		{"known ID", "AE-01", true, catalog.CodeInQuery},
		{"another known ID", "CC-04", true, catalog.ClientCredentialsNoRefreshToken},
		{"unknown ID", "ZZ-99", false, catalog.Check{}},
		{"case matters", "ae-01", false, catalog.Check{}},
		{"empty", "", false, catalog.Check{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := catalog.ByID(tt.id)
			if ok != tt.found || got.ID != tt.want.ID || got.Title != tt.want.Title {
				t.Errorf("ByID(%q) = %+v, %v; want %+v, %v", tt.id, got, ok, tt.want, tt.found)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	all := catalog.All()
	if len(all) < 15 {
		t.Errorf("%d checks, want at least 15", len(all))
	}
	perFlow := map[catalog.Flow]int{}
	levels := map[catalog.Level]int{}
	for _, c := range all {
		levels[c.Level]++
		for _, f := range c.Flows {
			perFlow[f]++
		}
	}
	for _, f := range []catalog.Flow{catalog.FlowDiscovery, catalog.FlowAuthorizationCode, catalog.FlowImplicit, catalog.FlowClientCredentials} {
		if perFlow[f] == 0 {
			t.Errorf("no check for flow %s", f)
		}
	}
	if levels[catalog.Must] == 0 || levels[catalog.Should] == 0 {
		t.Errorf("levels = %v, want both MUST and SHOULD checks", levels)
	}
}

// Each check is declared in the area file of the suite that runs it:
// internal/catalog/<Suite>.go declares the variable, suites/<Suite>.go
// uses it.
func TestChecksAreFiledByArea(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	varOf := map[string]string{}  // ID -> Go variable
	fileOf := map[string]string{} // ID -> file declaring it
	for _, path := range pkgs {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				ast.Inspect(vs, func(n ast.Node) bool {
					kv, ok := n.(*ast.KeyValueExpr)
					if !ok {
						return true
					}
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							id, _ := strconv.Unquote(lit.Value)
							varOf[id] = vs.Names[0].Name
							fileOf[id] = strings.TrimSuffix(path, ".go")
						}
					}
					return true
				})
			}
		}
	}
	suites := map[string]string{}
	for _, c := range catalog.All() {
		if c.Suite == "" || fileOf[c.ID] != c.Suite {
			t.Errorf("%s: Suite %q, declared in %q.go", c.ID, c.Suite, fileOf[c.ID])
			continue
		}
		src, ok := suites[c.Suite]
		if !ok {
			b, err := os.ReadFile(filepath.Join("..", "..", "suites", c.Suite+".go"))
			if err != nil {
				t.Errorf("%s: declared in %s.go, but there is no suite of that area: %v", c.ID, c.Suite, err)
				continue
			}
			src = string(b)
			suites[c.Suite] = src
		}
		if !regexp.MustCompile(`\bcatalog\.` + varOf[c.ID] + `\b`).MatchString(src) {
			t.Errorf("%s (%s) is declared in internal/catalog/%s.go but suites/%s.go does not run it", c.ID, varOf[c.ID], c.Suite, c.Suite)
		}
	}
}

// A check's level is the key word of the sentence it quotes, for the
// party that sentence binds; its threat and severity are set.
func TestLevelsFollowTheQuotedSentence(t *testing.T) {
	for _, c := range catalog.All() {
		t.Run(c.ID, func(t *testing.T) {
			if c.Quote == "" {
				t.Fatal("no quoted sentence")
			}
			if src := catalog.QuoteSource(c.Quote); !slices.Contains(c.Spec, src) {
				t.Errorf("quote source %q is not one of the check's references %q", src, c.Spec)
			}
			words, level, err := catalog.QuoteKeywords(c.Quote)
			switch c.Binds {
			case catalog.BindsServer:
				if err != nil {
					t.Fatalf("%v: %s", err, c.Quote)
				}
				if level != c.Level {
					t.Errorf("level %s, but the quoted sentence says %s (%s) of the server: %s", c.Level, level, strings.Join(words, ", "), c.Quote)
				}
			case catalog.BindsClient, catalog.BindsPractice:
				// The client's sentence (its key word, or its grammar), or a
				// protection no key word requires: hardening.
				if c.Level != catalog.Should {
					t.Errorf("level %s for a check that binds %s: want SHOULD (hardening)", c.Level, c.Binds)
				}
			case catalog.BindsSyntax:
				if c.Level != catalog.Must || !strings.Contains(c.Quote, " = ") {
					t.Errorf("a syntax check is MUST and quotes its ABNF rule: level %s, quote %s", c.Level, c.Quote)
				}
			default:
				t.Errorf("unknown binding %q", c.Binds)
			}
			if c.Binds != catalog.BindsServer && len(c.Why) < 20 {
				t.Errorf("binds %s without a justification (Why)", c.Binds)
			}
			if len(c.Threat) < 10 {
				t.Errorf("threat %q", c.Threat)
			}
			if c.Severity.Rank() < 0 {
				t.Errorf("severity %q", c.Severity)
			}
		})
	}
}

func TestQuoteKeywords(t *testing.T) {
	tests := []struct {
		quote string
		words []string
		level catalog.Level
		err   bool
	}{
		{"RFC 1 §1: the server MUST NOT do it", []string{"MUST NOT"}, catalog.Must, false},
		{"RFC 1 §1: the server SHOULD NOT do it, and MUST NOT", nil, "", true},
		{"RFC 1 §1: it is NOT RECOMMENDED and SHOULD be avoided", []string{"NOT RECOMMENDED", "SHOULD"}, catalog.Should, false},
		{"RFC 1 §1: code REQUIRED. The authorization code", []string{"REQUIRED"}, catalog.Must, false},
		{"RFC 1 §1: kid OPTIONAL. The \"kid\" (key ID) parameter", []string{"OPTIONAL"}, catalog.May, false},
		{"RFC 1 §1: the server must deny it", nil, "", true},
		{"no source", nil, "", true},
	}
	for _, tt := range tests {
		words, level, err := catalog.QuoteKeywords(tt.quote)
		if (err != nil) != tt.err || level != tt.level || (!tt.err && !slices.Equal(words, tt.words)) {
			t.Errorf("QuoteKeywords(%q) = %q, %q, %v", tt.quote, words, level, err)
		}
	}
}
