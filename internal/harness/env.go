// Package harness is what the suites stand on: the run profile, the target
// profile (or the bundled mock started in-process), discovery, the browser,
// HTTP clients that record evidence, the redactor, and the It wrapper that
// turns a catalog check into a Ginkgo spec with an honest verdict.
package harness

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/discovery"
	"github.com/oauthconform/oauthconform/internal/profile"
	"github.com/oauthconform/oauthconform/internal/redact"
	"github.com/oauthconform/oauthconform/internal/runconfig"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/internal/waiver"
	"github.com/oauthconform/oauthconform/mockserver"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// Flags are the suite's command-line settings; they override ginkgo.yaml.
type Flags struct {
	Config     string
	Target     string
	Faults     string
	faultsSet  bool
	Variants   string
	variantSet bool
	ReportsDir string
	Waivers    string
	Strict     bool
	FailOn     string
	// Defaults, when not nil, holds the run profile used without -config
	// (ginkgo.yaml) and the mock's target profile it names: the oauthconform
	// command builds them in, so that it runs from any directory. Its
	// relative paths (reports.dir) resolve against the working directory.
	// Nil: ginkgo.yaml at the repository root.
	Defaults fs.FS
	// CAFile overrides the run profile's tls.ca_file; DownloadBrowser lets
	// rod download a Chromium when none is installed (browser.download).
	CAFile          string
	DownloadBrowser bool
}

// RegisterFlags adds the suite's flags to fs (call from init, before flag parsing).
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.Config, "config", "", "run profile (default: ginkgo.yaml at the repository root)")
	fs.StringVar(&f.Target, "target", "", "target profile to test instead of the bundled mock")
	fs.Func("faults", "comma-separated mock faults to switch on (overrides ginkgo.yaml)", func(s string) error {
		f.Faults, f.faultsSet = s, true
		return nil
	})
	fs.Func("variants", "comma-separated mock variants (secure look-alikes) to switch on (overrides ginkgo.yaml)", func(s string) error {
		f.Variants, f.variantSet = s, true
		return nil
	})
	fs.StringVar(&f.ReportsDir, "reports-dir", "", "directory for reports (overrides ginkgo.yaml)")
	fs.StringVar(&f.Waivers, "waivers", "", "waivers file: known deviations that do not fail the run (overrides ginkgo.yaml)")
	fs.BoolVar(&f.Strict, "strict", false, "warnings fail the run and the JUnit file")
	fs.StringVar(&f.FailOn, "fail-on", "", "gate the run on severity instead of level: critical, high, medium, low or none (overrides ginkgo.yaml fail_on)")
	return f
}

// SetFaults switches the mock faults on as the -faults flag does (an empty
// list switches the run profile's off).
func (f *Flags) SetFaults(list string) { f.Faults, f.faultsSet = list, true }

// SetVariants switches the mock's secure variants on as the -variants flag does.
func (f *Flags) SetVariants(list string) { f.Variants, f.variantSet = list, true }

// Env is everything a check needs about the run.
type Env struct {
	Config    runconfig.Config
	Profile   *profile.Profile
	Endpoints Endpoints
	// Metadata is the discovery document as served (nil when none was found);
	// MetadataURL where it came from, MetadataErr why there is none.
	Metadata    map[string]any
	MetadataURL string
	MetadataErr error
	Browser     *driver.Browser
	Redactor    *redact.Redactor
	Mock        *mockserver.Running // nil for an external target
	Faults      []string
	// Variants are the bundled mock's secure variants in force.
	Variants   []mockserver.Variant
	ReportsDir string
	// Waivers are the run's accepted deviations (nil: none); Strict makes
	// warnings fail the run.
	Waivers *waiver.List
	Strict  bool
	// FailOn gates the run on severity instead of level (verdict.Policy);
	// empty: any unwaived MUST failure.
	FailOn verdict.Severity
	// Clock is the time waivers expire by (nil: the time of day).
	Clock func() time.Time

	// undecided is the first check to report each harness error (check.go).
	undecided firstReports

	tap *mockTap // test-only record of what the mock issued (OAUTHCONFORM_TEST_SECRETS_OUT)

	// guard is the transport every request to the target goes through (tls.go).
	guard     *guard
	guardOnce sync.Once
}

// Endpoints are the target's endpoints after discovery and profile overrides.
type Endpoints struct {
	Issuer, Authorization, Token, Revocation, Introspection, JWKS string
}

// Load reads the run profile and the target profile, starting the bundled
// mock first when no target is given. It starts no browser: every
// configuration error surfaces before one would.
func Load(f *Flags) (*Env, error) {
	cfg, err := loadConfig(f)
	if err != nil {
		return nil, err
	}
	cfgPath := cfg.Source()
	if f.CAFile != "" {
		if cfg.TLS.CAFile, err = filepath.Abs(f.CAFile); err != nil {
			return nil, err
		}
		cfg.TLS.InsecureSkipVerify = false
		if _, err := cfg.CertPool(); err != nil {
			return nil, fmt.Errorf("--ca-file: %w", err)
		}
	}
	if f.DownloadBrowser {
		cfg.Browser.Download = true
	}
	env := &Env{Config: cfg, Redactor: &redact.Redactor{}}
	if env.guard, err = newGuard(env); err != nil {
		return nil, err
	}
	if env.TLSVerificationDisabled() {
		fmt.Fprintf(os.Stderr, "oauthconform: WARNING: TLS certificate verification is OFF (tls.insecure_skip_verify in %s): the harness cannot tell the target from an impostor; every report says so\n", cfgPath)
	}
	backstopGinkgoTimeout(cfg.Timeout.Run)
	target := cfg.Resolve(cfg.Target)
	if f.Target != "" {
		target = f.Target
	}
	env.Faults = cfg.Mock.Faults
	known := map[string]bool{}
	for _, mf := range mockserver.AllFaults() {
		known[string(mf.Name)] = true
	}
	for i, name := range env.Faults {
		if !known[name] {
			return nil, cfg.FieldError(fmt.Sprintf("mock.faults[%d]", i), "unknown fault %q (oauthconform mock --list-faults lists them)", name)
		}
	}
	if f.faultsSet {
		env.Faults = splitList(f.Faults)
		for _, name := range env.Faults {
			if !known[name] {
				return nil, fmt.Errorf("-faults: unknown fault %q (oauthconform mock --list-faults lists them)", name)
			}
		}
	}
	for i, name := range cfg.Mock.Variants {
		v, err := mockserver.ParseVariant(name)
		if err != nil {
			return nil, cfg.FieldError(fmt.Sprintf("mock.variants[%d]", i), "unknown variant %q (oauthconform mock --list-variants lists them)", name)
		}
		env.Variants = append(env.Variants, v)
	}
	if f.variantSet {
		env.Variants = nil
		for _, name := range splitList(f.Variants) {
			v, err := mockserver.ParseVariant(name)
			if err != nil {
				return nil, fmt.Errorf("-variants: unknown variant %q (oauthconform mock --list-variants lists them)", name)
			}
			env.Variants = append(env.Variants, v)
		}
	}
	if f.Target == "" && cfg.Target != "" {
		if _, err := os.Stat(target); err != nil {
			return nil, cfg.FieldError("target", "target profile %s: %v", target, errors.Unwrap(err))
		}
	}
	env.ReportsDir = cfg.Resolve(cfg.Reports.Dir)
	if f.ReportsDir != "" {
		env.ReportsDir = f.ReportsDir
	}
	env.Strict = f.Strict
	failOn := cfg.FailOn
	if f.FailOn != "" {
		failOn = f.FailOn
	}
	if env.FailOn, err = verdict.ParseFailOn(failOn); err != nil {
		return nil, fmt.Errorf("-fail-on: %q is not a severity: one of critical, high, medium, low, none", failOn)
	}
	waivers := cfg.Resolve(cfg.Waivers)
	if f.Waivers != "" {
		waivers = f.Waivers
	}
	if f.Waivers == "" && waivers != "" {
		if _, err := os.Stat(waivers); err != nil {
			return nil, cfg.FieldError("waivers", "waivers file %s: %v", waivers, errors.Unwrap(err))
		}
	}
	if waivers != "" {
		list, err := waiver.Load(waivers, func(id string) bool { _, ok := catalog.ByID(id); return ok })
		if err != nil {
			return nil, err
		}
		env.Waivers = list
	}

	profilePath := target
	embeddedName := "" // the mock's profile, when it is built in
	if target == "" {
		if err := env.startMock(); err != nil {
			return nil, err
		}
		profilePath = cfg.Resolve(cfg.Mock.Profile)
		// A variant whose login pages the default profile cannot drive
		// names its own, unless the run profile names one other than the
		// default.
		vp, err := mockserver.VariantsProfile(env.Variants)
		if err != nil {
			env.Close()
			return nil, err
		}
		isDefault := cfg.Mock.Profile == runconfig.Default().Mock.Profile
		switch {
		case cfg.Embedded != nil && vp != "" && isDefault:
			embeddedName = vp // built in beside the default
		case cfg.Embedded != nil:
			embeddedName = cfg.Mock.Profile
		case vp != "" && isDefault:
			root, err := RepoRoot()
			if err != nil {
				env.Close()
				return nil, err
			}
			profilePath = filepath.Join(root, filepath.FromSlash(vp))
		}
	} else if len(env.Faults) > 0 {
		return nil, fmt.Errorf("faults %v apply to the bundled mock only, and a target (%s) was given", env.Faults, target)
	} else if len(env.Variants) > 0 {
		return nil, fmt.Errorf("variants %v apply to the bundled mock only, and a target (%s) was given", env.Variants, target)
	}
	var p *profile.Profile
	if embeddedName != "" {
		p, err = embeddedProfile(cfg.Embedded, embeddedName)
	} else {
		p, err = profile.Load(profilePath)
	}
	if err != nil {
		env.Close()
		return nil, err
	}
	env.Profile = p
	env.Redactor.Add(p.Secrets()...)
	return env, nil
}

// loadConfig reads the run profile: -config, else the built-in defaults,
// else ginkgo.yaml at the repository root.
func loadConfig(f *Flags) (runconfig.Config, error) {
	switch {
	case f.Config != "":
		return runconfig.Load(f.Config)
	case f.Defaults != nil:
		wd, err := os.Getwd()
		if err != nil {
			return runconfig.Default(), err
		}
		return runconfig.LoadEmbedded(f.Defaults, "ginkgo.yaml", wd)
	}
	root, err := RepoRoot()
	if err != nil {
		return runconfig.Default(), fmt.Errorf("no ginkgo.yaml given (-config) and %w", err)
	}
	return runconfig.Load(filepath.Join(root, "ginkgo.yaml"))
}

// embeddedProfile reads the mock's target profile from the built-in defaults.
func embeddedProfile(fsys fs.FS, name string) (*profile.Profile, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &profile.Error{File: "built-in " + name, Msg: err.Error()}
	}
	return profile.Parse("built-in "+name, data, os.LookupEnv)
}

// startMock runs the bundled mock on a loopback port and exports its
// secrets as the environment variables profiles/mock.yaml reads. The secrets
// are fresh, except those already set in the environment (MOCK_WEB_SECRET,
// MOCK_WEB2_SECRET, MOCK_SVC_SECRET, MOCK_ALICE_PASSWORD), which are used
// as given: a test that runs the suite binary knows them that way.
// MockCodeLifetime is the bundled mock's authorization code lifetime.
const MockCodeLifetime = 10 * time.Second

// MockPushedRequestLifetime is how long a request_uri of the bundled mock's
// PAR endpoint lives (its expires_in).
const MockPushedRequestLifetime = 5 * time.Second

func (env *Env) startMock() error {
	secrets := mockserver.RandomSecrets()
	for name, field := range map[string]*string{
		"MOCK_WEB_SECRET": &secrets.Web, "MOCK_WEB2_SECRET": &secrets.Web2,
		"MOCK_SVC_SECRET": &secrets.Service, "MOCK_ALICE_PASSWORD": &secrets.AlicePassword,
		"MOCK_WEB_KEY": &secrets.WebKey,
	} {
		if v := os.Getenv(name); v != "" {
			*field = v
		}
	}
	// web's private key (private_key_jwt, request objects): the profile
	// reads it from MOCK_WEB_KEY.
	if err := secrets.WithWebKey(); err != nil {
		return err
	}
	user := mockserver.DefaultUser(&secrets)
	if _, err := mockserver.VariantsProfile(env.Variants); err != nil {
		return err
	}
	// The mTLS clients' certificates (RFC 8705): the profile reads them
	// from MOCK_MTLS_CERT, MOCK_MTLS_KEY, MOCK_MTLS_SELF_CERT and MOCK_MTLS_SELF_KEY.
	mtlsCreds, err := mockserver.NewMTLSCredentials()
	if err != nil {
		return err
	}
	secrets.MTLS = mtlsCreds
	// web's backchannel_logout_uri: a free loopback port, where the logout
	// checks listen (the profile reads it from MOCK_BACKCHANNEL_URI).
	if secrets.BackchannelURI = os.Getenv("MOCK_BACKCHANNEL_URI"); secrets.BackchannelURI == "" {
		if secrets.BackchannelURI, err = mockserver.FreeBackchannelURI(); err != nil {
			return err
		}
	}
	opts := mockserver.Options{
		MTLSClientCA: mtlsCreds.CA,
		Faults:       fault.Names(env.Faults),
		Variants:     env.Variants,
		Clients:      mockserver.DefaultClients(&secrets),
		Users:        []mockserver.User{user},
		// Short, so that the expiry check (CODE-05) waits seconds, not a
		// minute; profiles/mock.yaml declares the same value.
		CodeLifetime: MockCodeLifetime,
		// Short, so that the expired request_uri check (PAR-06) waits
		// seconds while the other PAR checks run.
		PushedRequestLifetime: MockPushedRequestLifetime,
	}
	tap, err := newMockTap(os.Getenv(SecretsOutEnv), env.ReportsDir)
	if err != nil {
		return err
	}
	if tap != nil {
		opts.Issuer = tap.url
	}
	running, err := mockserver.Start(opts, "127.0.0.1:0")
	if err != nil {
		if tap != nil {
			tap.close()
		}
		return fmt.Errorf("bundled mock: %w", err)
	}
	env.Mock = running
	if len(env.Faults) > 0 {
		// With the faults they imply (the implicit grant's flaws switch the
		// grant on), so that reports name every fault in force.
		env.Faults = running.Faults()
	}
	// The harness trusts exactly the mock's own certificate (tls.go).
	env.transport().pin(running.Certificate, running.UICertificate)
	if tap != nil {
		tap.serve(running)
		env.tap = tap
	}
	for k, v := range map[string]string{
		"MOCK_ISSUER": running.URL, "MOCK_WEB_SECRET": secrets.Web, "MOCK_WEB2_SECRET": secrets.Web2,
		"MOCK_SVC_SECRET": secrets.Service, "MOCK_ALICE_PASSWORD": secrets.AlicePassword,
		"MOCK_ACCESS_TOKENS":   mockserver.AccessTokenProfile(env.Variants),
		"MOCK_WEB_KEY":         secrets.WebKey,
		"MOCK_MTLS_URL":        running.MTLSURL,
		"MOCK_BACKCHANNEL_URI": secrets.BackchannelURI,
		"MOCK_MTLS_CERT":       mtlsCreds.Cert, "MOCK_MTLS_KEY": mtlsCreds.Key,
		"MOCK_MTLS_SELF_CERT": mtlsCreds.SelfCert, "MOCK_MTLS_SELF_KEY": mtlsCreds.SelfKey,
	} {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// Start discovers the endpoints, makes sure the authorization and token
// endpoints answer at all, and launches the browser. A target that cannot be
// reached is one set-up error, said once: every check is then undecided
// with it as the reason.
func (env *Env) Start(ctx context.Context) error {
	env.discover(ctx)
	if env.Endpoints.Authorization == "" || env.Endpoints.Token == "" {
		var te *TargetError
		if errors.As(env.MetadataErr, &te) {
			return fmt.Errorf("target %s: %v; and the profile names no authorization or token endpoint", env.Profile.Name, te)
		}
		return fmt.Errorf("target %s: no authorization or token endpoint: discovery failed (%v) and the profile names none", env.Profile.Name, env.MetadataErr)
	}
	for _, ep := range []string{env.Endpoints.Authorization, env.Endpoints.Token} {
		if err := env.preflight(ctx, ep); err != nil {
			return fmt.Errorf("target %s unreachable: %w", env.Profile.Name, err)
		}
	}
	trust, err := env.browserTrust()
	if err != nil {
		return err
	}
	b, err := driver.Launch(ctx, driver.Options{
		Bin:         env.Config.Browser.Bin,
		Remote:      env.Config.Browser.Remote,
		Headless:    env.Config.Browser.HeadlessOrDefault(),
		StepTimeout: env.Config.Timeout.Step,
		FlowTimeout: env.Config.Timeout.Flow,
		TrustSPKI:   trust,
		// tls.insecure_skip_verify: the browser verifies nothing either.
		IgnoreCertErrors: env.Config.TLS.InsecureSkipVerify,
		Download:         env.Config.Browser.Download,
	})
	if err != nil {
		return err
	}
	env.Browser = b
	return nil
}

// Close stops the browser and the mock.
func (env *Env) Close() {
	if env.Browser != nil {
		_ = env.Browser.Close()
	}
	if env.Mock != nil {
		_ = env.Mock.Close()
	}
	if env.tap != nil {
		env.tap.close()
		var secrets []string
		if env.Profile != nil {
			secrets = env.Profile.Secrets()
		}
		if err := env.tap.write(secrets); err != nil {
			fmt.Fprintln(os.Stderr, "oauthconform:", err)
		}
	}
}

// discover reads the target's metadata (internal/discovery: RFC 8414, then
// OpenID Discovery, each URL form for an issuer with a path); endpoints
// given in the profile win over discovered ones.
func (env *Env) discover(ctx context.Context) {
	p := env.Profile
	if p.Issuer != "" {
		doc, err := discovery.Fetch(ctx, env.HTTPClient(nil), p.Issuer)
		if err == nil {
			env.Metadata, env.MetadataURL = doc.Metadata, doc.URL
		} else {
			env.MetadataErr = err
		}
	} else {
		env.MetadataErr = errors.New("the profile names no issuer")
	}
	env.Endpoints = Endpoints{
		Issuer:        p.Issuer,
		Authorization: discovery.Endpoint(p.Endpoints.Authorization, env.Metadata, "authorization_endpoint"),
		Token:         discovery.Endpoint(p.Endpoints.Token, env.Metadata, "token_endpoint"),
		Revocation:    discovery.Endpoint(p.Endpoints.Revocation, env.Metadata, "revocation_endpoint"),
		Introspection: discovery.Endpoint(p.Endpoints.Introspection, env.Metadata, "introspection_endpoint"),
		JWKS:          discovery.Endpoint(p.Endpoints.JWKS, env.Metadata, "jwks_uri"),
	}
}

// maxBody bounds every response body the harness reads.
const maxBody = 1 << 20

// HTTPClient is a client bounded by the run's HTTP timeout that does not
// follow redirects (each hop is evidence) and records into rec when given.
// It goes through the run's guarded transport (tls.go): TLS settings, body
// and header limits, and fail-fast on an endpoint known to be down.
func (env *Env) HTTPClient(rec *Recorder) *http.Client {
	var rt http.RoundTripper = http.DefaultTransport
	if g := env.transport(); g != nil {
		rt = g
	}
	if rec != nil {
		rec.next = rt
		rt = rec
	}
	return &http.Client{
		Transport: rt,
		// The guarded transport ends each exchange at timeouts.http and
		// says so; this is a backstop for a transport without one.
		Timeout:       env.Config.Timeout.HTTP + time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// NewSession opens a fresh incognito browser context for one flow; it fails
// at once when the authorization endpoint is known to be down or the run's
// deadline has passed, instead of letting the browser wait for it.
func (env *Env) NewSession(ctx context.Context) (*driver.Session, error) {
	if err := env.reachable(env.Endpoints.Authorization); err != nil {
		return nil, err
	}
	return env.Browser.NewSession(ctx)
}

// preflight sends one GET to an endpoint: any HTTP answer (a 400 or 405
// included) shows it is there; a transport failure is returned.
func (env *Env) preflight(ctx context.Context, endpoint string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return err
	}
	resp, err := env.HTTPClient(nil).Do(req)
	if err != nil {
		var te *TargetError
		if errors.As(err, &te) {
			if strings.HasPrefix(te.Cause, "answered") {
				return nil // it answers; what it answers to a bare GET is no check's business
			}
			return te
		}
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// backstopGinkgoTimeout sets Ginkgo's suite timeout a minute past the run's
// deadline, unless it was given on the command line: the harness stops
// sending at the deadline, and Ginkgo interrupts whatever still waits.
func backstopGinkgoTimeout(run time.Duration) {
	f := flag.CommandLine.Lookup("ginkgo.timeout")
	if f == nil || run <= 0 {
		return
	}
	given := false
	flag.CommandLine.Visit(func(v *flag.Flag) {
		if v.Name == "ginkgo.timeout" || v.Name == "test.timeout" {
			given = true
		}
	})
	if !given {
		_ = f.Value.Set((run + time.Minute).String())
	}
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no repository root (go.mod) above the working directory")
		}
		dir = parent
	}
}

// Timeout is the per-request deadline for raw HTTP checks.
func (env *Env) Timeout() time.Duration { return env.Config.Timeout.HTTP }

// ReportsDirFor is where a run with these flags writes its reports, found
// without loading the target: the -reports-dir flag, else the run profile's
// reports.dir, else reports/ at the repository root. It serves the case
// where Load failed, so that the failure still reaches the reports.
func ReportsDirFor(f *Flags) string {
	if f.ReportsDir != "" {
		return f.ReportsDir
	}
	if cfg, err := loadConfig(f); err == nil {
		return cfg.Resolve(cfg.Reports.Dir)
	}
	switch {
	case f.Config != "":
		return filepath.Join(filepath.Dir(f.Config), runconfig.Default().Reports.Dir)
	case f.Defaults == nil:
		if root, err := RepoRoot(); err == nil {
			return filepath.Join(root, runconfig.Default().Reports.Dir)
		}
	}
	return runconfig.Default().Reports.Dir
}
