// Package catalog is the single list of conformance checks. Each check's ID,
// title, spec references, quoted sentence, level, threat, severity and
// proving mock fault live here and nowhere else: suites refer to checks by
// their Go variable, reports and `make catalog` read this list.
//
// The catalog is filed by area, one file per suite: the checks that
// suites/<area>.go runs are declared in <area>.go, and Check.Suite
// names that area, so a check is found from its ID in one hop
// (docs/checks.md lists the file of each). A new check is a value there,
// a fault in mockserver/fault and mockserver/faults.go, and a spec in the
// suite.
package catalog

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// Level is the requirement strength of a check, after RFC 2119 (the
// verdict package owns the type).
type Level = verdict.Level

const (
	// Must: a broken requirement fails the run.
	Must = verdict.Must
	// Should: a broken requirement is reported as a warning and does not fail the run.
	Should = verdict.Should
	// May: what the server does is reported as information.
	May = verdict.May
)

// Flow names the OAuth 2.0 flow a check exercises; it is also a Ginkgo label ("flow:<name>").
type Flow string

const (
	FlowDiscovery         Flow = "discovery"
	FlowAuthorizationCode Flow = "authorization_code"
	FlowImplicit          Flow = "implicit"
	FlowClientCredentials Flow = "client_credentials"
	FlowRefresh           Flow = "refresh"
	// FlowDeviceCode is the device authorization grant (RFC 8628).
	FlowDeviceCode Flow = "device_code"
)

// Check is one externally testable requirement.
type Check struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Area  string   `json:"area"`
	Flows []Flow   `json:"flows"`
	Level Level    `json:"level"`
	Spec  []string `json:"spec"` // e.g. "RFC 6749 §4.1.2"
	// Fault is the mock fault that makes this check fail; every check has one.
	Fault fault.Name `json:"fault"`
	// Suite is the area file the check is declared in, and so its suite:
	// internal/catalog/<Suite>.go and suites/<Suite>.go. register
	// fills it in.
	Suite string `json:"suite"`
	// Quote is the normative sentence the check rests on, verbatim, with
	// its source ("RFC 6749 §4.1.2: ... MUST ..."; " … " marks words left
	// out); Level is its keyword, for the party it binds (see Binds).
	Quote string `json:"quote"`
	// Binds is the party Quote binds when that is not the server, and Why
	// says how the level follows from it (see Binding).
	Binds Binding `json:"binds,omitempty"`
	Why   string  `json:"why,omitempty"`
	// Threat is the attack the requirement prevents (RFC 9700 §4 or RFC
	// 6819), Severity what an attacker gains when it is broken.
	Threat   string           `json:"threat"`
	Severity verdict.Severity `json:"severity"`
	// OIDF names the OpenID Foundation conformance suite test modules
	// ("oidcc-prompt-login") this check covers, in whole or in part;
	// docs/oidf-parity.md is generated from it (see oidf.go).
	OIDF []string `json:"oidf,omitempty"`
}

// Binding is whom a check's quoted sentence binds, when it is not the
// server: the level then does not come from its keyword alone.
type Binding string

const (
	// BindsServer (the zero value): the sentence is a duty of the server;
	// its keyword is the level (MUST → Must, SHOULD → Should, MAY → May).
	BindsServer Binding = ""
	// BindsClient: the sentence is a duty of the client, which a server
	// may enforce by refusing a request that breaks it. Refusing is
	// hardening, so the level is Should (a warning), whatever the
	// client's keyword; Why says what the server gains by enforcing it.
	BindsClient Binding = "client"
	// BindsPractice: no RFC 2119 sentence requires what the check looks
	// for: the quoted sentence describes the protection, or names it as
	// one way to meet a requirement another check tests. Lacking it is a
	// hardening warning (Should); Why says what it protects.
	BindsPractice Binding = "practice"
	// BindsSyntax: the sentence gives the grammar (ABNF) of a value the
	// server issues. It carries no keyword, but a value outside it is not
	// a value of the protocol: Must; Why says so for the value.
	BindsSyntax Binding = "syntax"
)

// SpecText is the Ginkgo spec text: it starts with the ID so that reports
// can be read and grepped by ID.
func (c Check) SpecText() string { return c.ID + " " + c.Title }

// Labels are the Ginkgo labels of the check: its ID, its level and its flows,
// so that --label-filter selects by any of them.
func (c Check) Labels() []string {
	labels := []string{c.ID, string(c.Level)}
	for _, f := range c.Flows {
		labels = append(labels, "flow:"+string(f))
	}
	return labels
}

// SpecURLs links each spec reference to its section on rfc-editor.org.
func (c Check) SpecURLs() []string {
	urls := make([]string, 0, len(c.Spec))
	for _, s := range c.Spec {
		urls = append(urls, SpecURL(s))
	}
	return urls
}

// SpecURL turns "RFC 6749 §4.1.2" into a link to that section (and "OIDC
// Core §3.1.3.7" into one into OpenID Connect Core 1.0); a reference without
// a section links to the whole document.
func SpecURL(ref string) string {
	var num int
	var section string
	if _, err := fmt.Sscanf(ref, "RFC %d §%s", &num, &section); err == nil {
		anchor := "section-"
		if section[0] >= 'A' && section[0] <= 'Z' {
			anchor = "appendix-" // "RFC 6749 §A.12"
		}
		return fmt.Sprintf("https://www.rfc-editor.org/rfc/rfc%d#%s%s", num, anchor, section)
	}
	if _, err := fmt.Sscanf(ref, "OIDC Core §%s", &section); err == nil {
		return "https://openid.net/specs/openid-connect-core-1_0.html#rfc.section." + section
	}
	if _, err := fmt.Sscanf(ref, "OIDC Discovery §%s", &section); err == nil {
		return "https://openid.net/specs/openid-connect-discovery-1_0.html#rfc.section." + section
	}
	for _, o := range OpenIDSpecs {
		if rest, ok := strings.CutPrefix(ref, o.Name+" §"); ok && rest != "" {
			return o.URL + "#rfc.section." + rest
		}
	}
	if _, err := fmt.Sscanf(ref, "RFC %d", &num); err == nil {
		return fmt.Sprintf("https://www.rfc-editor.org/rfc/rfc%d", num)
	}
	return ""
}

// OpenIDSpecs are the OpenID Foundation specifications besides Core and
// Discovery that a reference may name ("OAuth Form Post §2"), each with
// its document's URL (a section links to #rfc.section.N).
var OpenIDSpecs = []struct{ Name, URL string }{
	{"OAuth Form Post", "https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html"},
	{"OIDC RP-Initiated Logout", "https://openid.net/specs/openid-connect-rpinitiated-1_0.html"},
	{"OIDC Session Management", "https://openid.net/specs/openid-connect-session-1_0.html"},
	{"OIDC Front-Channel Logout", "https://openid.net/specs/openid-connect-frontchannel-1_0.html"},
	{"OIDC Back-Channel Logout", "https://openid.net/specs/openid-connect-backchannel-1_0.html"},
}

// All returns every check, sorted by ID.
func All() []Check {
	out := append([]Check(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ByID finds a check.
func ByID(id string) (Check, bool) {
	for _, c := range registry {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

var registry []Check

// register adds c to the catalog, with the area file that declares it.
func register(c Check) Check {
	if _, file, _, ok := runtime.Caller(1); ok {
		c.Suite = strings.TrimSuffix(filepath.Base(file), ".go")
	}
	registry = append(registry, c)
	return c
}

// Validate reports structural problems in the catalog: duplicate IDs,
// missing fields, references that do not resolve to a link.
func Validate() error {
	var problems []string
	seen := map[string]bool{}
	for _, c := range registry {
		if seen[c.ID] {
			problems = append(problems, c.ID+": duplicate ID")
		}
		seen[c.ID] = true
		if c.ID == "" || c.Title == "" || c.Area == "" || len(c.Flows) == 0 || len(c.Spec) == 0 || c.Fault == "" {
			problems = append(problems, c.ID+": missing id, title, area, flows, spec or fault")
		}
		if c.Level != Must && c.Level != Should && c.Level != May {
			problems = append(problems, c.ID+": unknown level "+string(c.Level))
		}
		for _, s := range c.Spec {
			if SpecURL(s) == "" {
				problems = append(problems, c.ID+": spec reference does not resolve: "+s)
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("catalog: %s", strings.Join(problems, "; "))
	}
	return nil
}

// keywords are the RFC 2119 key words, longest first, with the level each
// gives a duty of the server.
var keywords = []struct {
	word  string
	level Level
}{
	{"NOT RECOMMENDED", Should}, {"MUST NOT", Must}, {"SHALL NOT", Must}, {"SHOULD NOT", Should},
	{"MUST", Must}, {"REQUIRED", Must}, {"SHALL", Must},
	{"SHOULD", Should}, {"RECOMMENDED", Should}, {"MAY", May}, {"OPTIONAL", May},
}

// QuoteKeywords returns the RFC 2119 key words of a quoted sentence, in
// order ("MUST NOT" is one key word, not "MUST"), and the level they give
// a duty of the server: an error when there is none, or when they give
// different levels (quote the clause that holds the check's key word).
func QuoteKeywords(quote string) ([]string, Level, error) {
	_, text, ok := strings.Cut(quote, ": ")
	if !ok {
		return nil, "", fmt.Errorf("quote %q does not start with its source and a colon", quote)
	}
	var found []string
	var level Level
	words := strings.FieldsFunc(text, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '_') })
	for i := 0; i < len(words); i++ {
		for _, k := range keywords {
			parts := strings.Fields(k.word)
			if i+len(parts) > len(words) || strings.Join(words[i:i+len(parts)], " ") != k.word {
				continue
			}
			found = append(found, k.word)
			if level != "" && level != k.level {
				return found, "", fmt.Errorf("quote mixes key words of levels %s and %s (%s): quote the clause of the check's key word", level, k.level, strings.Join(found, ", "))
			}
			level = k.level
			i += len(parts) - 1
			break
		}
	}
	if len(found) == 0 {
		return nil, "", fmt.Errorf("quote has no RFC 2119 key word")
	}
	return found, level, nil
}

// QuoteSource is the reference a quote starts with ("RFC 6749 §4.1.2").
func QuoteSource(quote string) string {
	src, _, _ := strings.Cut(quote, ": ")
	return src
}
