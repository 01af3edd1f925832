// Package runconfig reads ginkgo.yaml, the project's run profile: which target
// to test (or the bundled mock and its faults), where reports go, how to find
// the browser, and every timeout. Ginkgo itself reads no such file; the suites do.
package runconfig

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/oauthconform/oauthconform/internal/configerr"
	"github.com/oauthconform/oauthconform/internal/verdict"
)

// Config is the run profile.
type Config struct {
	// Target is the path of a target profile; empty means the bundled mock,
	// started in-process.
	Target  string   `yaml:"target"`
	Mock    Mock     `yaml:"mock"`
	Reports Reports  `yaml:"reports"`
	Browser Browser  `yaml:"browser"`
	Timeout Timeouts `yaml:"timeouts"`
	// Waivers is the path of a waivers file (internal/waiver); empty waives nothing.
	Waivers string `yaml:"waivers"`
	// TLS says how the target's certificates are verified.
	TLS TLS `yaml:"tls"`
	// FailOn gates the run on severity instead of level (critical, high,
	// medium, low, none): a broken or undecided check of that severity or
	// graver fails the run, whatever its level. Empty: any unwaived MUST
	// failure (docs/reports.md).
	FailOn string `yaml:"fail_on"`

	// Dir is the directory of the file; relative paths resolve against it.
	Dir string `yaml:"-"`
	// Embedded is the file system of a run profile built into the program
	// (LoadEmbedded), nil for a file: the mock's profile is read from it.
	Embedded fs.FS `yaml:"-"`

	path  string         // the file read
	lines map[string]int // the line of each field path in it
}

// Source names the run profile read: its path, or "built-in ginkgo.yaml".
func (c Config) Source() string { return c.path }

// FieldError is a problem with field found after loading (a fault name the
// mock does not know, a file that is not there), located like Load's own.
func (c Config) FieldError(field, format string, args ...any) error {
	return &Error{File: c.path, Line: configerr.LineOf(c.lines, field), Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Mock configures the bundled mock authorization server.
type Mock struct {
	Profile string   `yaml:"profile"` // the target profile that describes the mock
	Faults  []string `yaml:"faults"`  // named faults to switch on
	// Variants are named secure look-alikes to switch on (mockserver
	// -list-variants); a variant may bring its own target profile.
	Variants []string `yaml:"variants"`
}

// Reports says where reports are written.
type Reports struct {
	Dir string `yaml:"dir"`
}

// Browser says which Chromium to drive.
type Browser struct {
	Bin      string `yaml:"bin"`      // executable; empty searches $OAUTHCONFORM_BROWSER, PATH and the usual paths
	Remote   string `yaml:"remote"`   // DevTools URL of a running browser; wins over Bin
	Headless *bool  `yaml:"headless"` // default true
	// Download lets rod download a Chromium when none is installed (needs
	// internet access); without it a missing browser is an error saying
	// how to install one.
	Download bool `yaml:"download"`
}

// Timeouts bound every wait. Defaults are in Default().
type Timeouts struct {
	HTTP time.Duration `yaml:"http"` // one HTTP request to the target, body included
	Step time.Duration `yaml:"step"` // one login step (element to appear, navigation)
	Flow time.Duration `yaml:"flow"` // one whole browser authorization
	Run  time.Duration `yaml:"run"`  // the whole run: after it every remaining check is undecided
}

// TLS configures certificate verification of the target (docs/robustness.md).
type TLS struct {
	// CAFile is a PEM bundle of certificate authorities trusted in addition
	// to the system's, for a target whose certificate a private CA issued.
	CAFile string `yaml:"ca_file"`
	// InsecureSkipVerify turns certificate verification off. Every report
	// then carries a banner saying so.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// Default is the configuration used when no file is given.
func Default() Config {
	return Config{
		Mock:    Mock{Profile: "profiles/mock.yaml"},
		Reports: Reports{Dir: "oauthconform-reports"},
		Timeout: Timeouts{HTTP: 10 * time.Second, Step: 10 * time.Second, Flow: 45 * time.Second, Run: 30 * time.Minute},
	}
}

// Error is a problem with the run profile, located as precisely as YAML allows.
type Error struct {
	File  string
	Line  int    // 0 when unknown
	Field string // dotted path, e.g. timeouts.http
	Msg   string
}

func (e *Error) Error() string {
	return configerr.Format("run profile", e.File, e.Line, e.Field, e.Msg)
}

// Load reads the run profile at path over the defaults. Every problem is one
// *Error naming the file, the line and the field.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Default(), &Error{File: path, Msg: err.Error()}
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return Default(), err
	}
	return Parse(path, data, abs)
}

// LoadEmbedded reads the run profile name from a file system built into the
// program (the oauthconform command's defaults). Its relative paths resolve
// against dir (the working directory), except mock.profile, which is read
// from fsys too (Config.Embedded).
func LoadEmbedded(fsys fs.FS, name, dir string) (Config, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Default(), &Error{File: name, Msg: err.Error()}
	}
	cfg, err := Parse("built-in "+name, data, dir)
	cfg.Embedded = fsys
	return cfg, err
}

// Parse decodes and validates a run profile named name (for messages) whose
// relative paths resolve against dir.
func Parse(path string, data []byte, dir string) (Config, error) {
	cfg := Default()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return cfg, locate(path, err, nil)
	}
	lines := map[string]int{}
	configerr.Walk(&root, "", lines, nil)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return cfg, locate(path, err, lines)
	}
	cfg.Dir, cfg.path, cfg.lines = dir, path, lines
	if err := cfg.validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File, e.Line = path, configerr.LineOf(lines, e.Field)
		}
		return cfg, err
	}
	return cfg, nil
}

func fieldErr(field, format string, args ...any) error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func (c Config) validate() error {
	for _, t := range []struct {
		name string
		d    time.Duration
	}{{"timeouts.http", c.Timeout.HTTP}, {"timeouts.step", c.Timeout.Step}, {"timeouts.flow", c.Timeout.Flow}, {"timeouts.run", c.Timeout.Run}} {
		if t.d <= 0 {
			return fieldErr(t.name, "must be a positive duration such as 10s, not %s", t.d)
		}
	}
	if c.Timeout.Run < c.Timeout.Flow {
		return fieldErr("timeouts.run", "%s is shorter than timeouts.flow (%s): not even one browser authorization would fit", c.Timeout.Run, c.Timeout.Flow)
	}
	if strings.TrimSpace(c.Reports.Dir) == "" {
		return fieldErr("reports.dir", "required")
	}
	if c.Target == "" && strings.TrimSpace(c.Mock.Profile) == "" {
		return fieldErr("mock.profile", "required when no target is given (the bundled mock needs its profile)")
	}
	for i, f := range c.Mock.Faults {
		if strings.TrimSpace(f) == "" {
			return fieldErr(fmt.Sprintf("mock.faults[%d]", i), "empty fault name")
		}
	}
	for i, v := range c.Mock.Variants {
		if strings.TrimSpace(v) == "" {
			return fieldErr(fmt.Sprintf("mock.variants[%d]", i), "empty variant name")
		}
	}
	if r := c.Browser.Remote; r != "" {
		u, err := url.Parse(r)
		if err != nil || u.Host == "" || (u.Scheme != "ws" && u.Scheme != "wss" && u.Scheme != "http" && u.Scheme != "https") {
			return fieldErr("browser.remote", "%q is not a DevTools URL (ws://host:port/devtools/browser/… or http://host:port)", r)
		}
	}
	if _, err := verdict.ParseFailOn(c.FailOn); err != nil {
		return fieldErr("fail_on", "%q is not a severity: one of critical, high, medium, low, none (or empty: any unwaived MUST failure)", c.FailOn)
	}
	if c.TLS.CAFile != "" {
		if c.TLS.InsecureSkipVerify {
			return fieldErr("tls.insecure_skip_verify", "true together with tls.ca_file: choose one (a CA bundle verifies; insecure verifies nothing)")
		}
		if _, err := c.CertPool(); err != nil {
			return fieldErr("tls.ca_file", "%v", err)
		}
	}
	return nil
}

// CertPool is the system's certificate pool plus the certificates of
// tls.ca_file (nil, nil without one).
func (c Config) CertPool() (*x509.CertPool, error) {
	if c.TLS.CAFile == "" {
		return nil, nil
	}
	path := c.Resolve(c.TLS.CAFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

var ()

var cannotUnmarshal = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")

// typeNames says in words what a Go type wants.
var typeNames = map[string]string{
	"time.Duration": "a duration such as 10s or 1m30s",
	"bool":          "true or false",
	"string":        "a string",
	"[]string":      "a list of strings",
	"int":           "a whole number",
}

// Readable rewrites yaml.v3's "cannot unmarshal !!str `x` into T" as what
// the field wants; other messages are returned unchanged.
func Readable(msg string) string {
	m := cannotUnmarshal.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want, ok := typeNames[m[3]]
	if !ok {
		switch {
		case strings.HasPrefix(m[3], "[]"):
			want = "a list"
		case m[1] == "seq" || m[1] == "map":
			want = "a single value"
		default:
			want = "a mapping (key: value lines)"
		}
	}
	got := m[2]
	if got == "" {
		got = "a " + map[string]string{"seq": "list", "map": "mapping"}[m[1]]
	} else {
		got = fmt.Sprintf("%q", got)
	}
	return fmt.Sprintf("%s is not %s", got, want)
}

// locate turns a YAML error into an *Error with the line and, given the
// document's field lines, the field.
func locate(path string, err error, lines map[string]int) error {
	loc := configerr.Locate(err, lines)
	if loc.Line == 0 {
		return &Error{File: path, Msg: loc.Msg}
	}
	e := &Error{File: path, Line: loc.Line, Field: loc.Field, Msg: Readable(loc.Msg)}
	if loc.Unknown != "" {
		e.Msg = fmt.Sprintf("unknown field %q (check its spelling and indentation; docs: README, The run profile)", loc.Unknown)
	}
	if loc.More > 0 {
		e.Msg += fmt.Sprintf(" (and %d more)", loc.More)
	}
	return e
}

// Resolve makes a path from the file absolute, relative to the file's directory.
func (c Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// HeadlessOrDefault is Browser.Headless, true when unset.
func (b Browser) HeadlessOrDefault() bool { return b.Headless == nil || *b.Headless }
