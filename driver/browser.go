// Package driver runs OAuth 2.0 authorization requests in a real Chromium
// through go-rod: it opens the authorization URL in a fresh incognito
// context, performs the profile's login steps on the provider's own pages,
// records every redirect hop and captures the navigation to the redirect URI
// (query and fragment) by intercepting it in the browser, so that nothing
// needs to listen at the redirect URI.
//
// Every call takes a context and returns errors; nothing here panics or sleeps.
package driver

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
)

// Options says which browser to drive.
type Options struct {
	// Bin is the Chromium executable. Empty: $OAUTHCONFORM_BROWSER, then
	// chromium / google-chrome on PATH, then rod's list of usual paths, and
	// only then rod's download (which needs internet access).
	Bin string
	// Remote is the DevTools URL (ws://… or http://host:port) of a running
	// browser; when set nothing is launched.
	Remote string
	// Headless runs without a window (the default in ginkgo.yaml).
	Headless bool
	// StepTimeout bounds each login step; FlowTimeout each whole authorization.
	StepTimeout time.Duration
	FlowTimeout time.Duration
	// TrustSPKI are base64(SHA-256(SubjectPublicKeyInfo)) hashes (see
	// SPKIHash) of certificates whose chains Chromium accepts despite
	// certificate errors: a private CA's (the run profile's tls.ca_file)
	// or the bundled mock's own. Chromium's
	// --ignore-certificate-errors-spki-list, which needs a --user-data-dir
	// (the launcher always gives one). A remote browser takes no flags:
	// there certificate errors are ignored instead while the run is
	// connected (CDP Security.setIgnoreCertificateErrors on the browser,
	// which covers out-of-process frames too; Close turns it off again),
	// and the harness's own connections to the same target verify it.
	TrustSPKI []string
	// IgnoreCertErrors accepts every certificate (the run profile's
	// tls.insecure_skip_verify): --ignore-certificate-errors, or as above
	// in a remote browser.
	IgnoreCertErrors bool
	// Download lets rod download a Chromium when none is installed (it
	// needs internet access); without it a missing browser is an error
	// that says how to install one. Never silently.
	Download bool
}

// SPKIHash is the form Chromium's --ignore-certificate-errors-spki-list
// takes: base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo.
func SPKIHash(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Browser is one Chromium, shared by every flow of a process.
type Browser struct {
	rod      *rod.Browser
	launcher *launcher.Launcher // nil for a remote browser
	opts     Options
	// disconnect ends the DevTools connection; rod binds its event stream
	// to the context it connects with, so that context lives until Close.
	disconnect context.CancelFunc
	// certErrorsIgnored: a remote browser was told to ignore certificate
	// errors, and is told to stop at Close.
	certErrorsIgnored bool
	// stats counts what this browser did (stats.go).
	stats counter
}

// systemBrowsers are the executables looked up on PATH, in order.
var systemBrowsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// FindBrowser returns the Chromium executable Launch would use, or an error
// that says what to install.
func FindBrowser(bin string) (string, error) {
	if bin == "" {
		bin = os.Getenv("OAUTHCONFORM_BROWSER")
	}
	if bin != "" {
		path, err := exec.LookPath(bin)
		if err != nil {
			return "", fmt.Errorf("driver: browser %q: %w", bin, err)
		}
		return path, nil
	}
	for _, name := range systemBrowsers {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	if path, ok := launcher.LookPath(); ok {
		return path, nil
	}
	return "", errNoBrowser
}

var errNoBrowser = errors.New(`driver: no Chromium found (looked for chromium, chromium-browser, google-chrome, chrome on PATH and the usual install paths). Install one:
  Debian:  sudo apt-get install -y chromium
  Ubuntu:  its chromium package is a snap, which does not run headless in CI; install Google Chrome
           (the .deb from Google) or Chrome for Testing: npx @puppeteer/browsers install chrome-headless-shell@stable
  Fedora:  sudo dnf install -y chromium
  macOS:   brew install --cask chromium   (or Google Chrome)
  Windows: winget install Google.Chrome
then run again, or name it with $OAUTHCONFORM_BROWSER or browser.bin in the run profile; or use a browser
elsewhere with --browser-remote; or let rod download one with --download-browser (needs internet access)`)

// Launch starts (or connects to) the browser.
func Launch(ctx context.Context, opts Options) (*Browser, error) {
	if opts.StepTimeout <= 0 {
		opts.StepTimeout = 10 * time.Second
	}
	if opts.FlowTimeout <= 0 {
		opts.FlowTimeout = 45 * time.Second
	}
	if opts.Remote != "" {
		u, err := launcher.ResolveURL(opts.Remote)
		if err != nil {
			return nil, fmt.Errorf("driver: remote browser %s: %w", opts.Remote, err)
		}
		connCtx, disconnect := context.WithCancel(context.Background())
		b := rod.New().Context(connCtx).ControlURL(u)
		if err := b.Connect(); err != nil {
			disconnect()
			return nil, fmt.Errorf("driver: connect to remote browser %s: %w", opts.Remote, err)
		}
		rb := &Browser{rod: b, opts: opts, disconnect: disconnect}
		if len(opts.TrustSPKI) > 0 || opts.IgnoreCertErrors {
			if err := (proto.SecuritySetIgnoreCertificateErrors{Ignore: true}).Call(b); err != nil {
				disconnect()
				return nil, fmt.Errorf("driver: remote browser %s: ignore certificate errors: %w", opts.Remote, err)
			}
			rb.certErrorsIgnored = true
		}
		return rb, nil
	}

	l := launcher.New().Context(ctx).Headless(opts.Headless).
		// Chromium as root refuses to start without this.
		NoSandbox(os.Geteuid() == 0).
		// Without these Chromium keeps calling home, which a closed network refuses.
		Set("disable-background-networking").
		Set("disable-component-update").
		Set("no-first-run").
		Set("disable-gpu").
		Set("disable-sync")
	if len(opts.TrustSPKI) > 0 {
		l = l.Set("ignore-certificate-errors-spki-list", strings.Join(opts.TrustSPKI, ","))
	}
	if opts.IgnoreCertErrors {
		l = l.Set("ignore-certificate-errors")
	}
	bin, err := FindBrowser(opts.Bin)
	switch {
	case err == nil:
		l = l.Bin(bin)
	case opts.Bin != "" || os.Getenv("OAUTHCONFORM_BROWSER") != "":
		return nil, err
	case !opts.Download:
		return nil, err
	default:
		// Asked for: rod downloads a Chromium, which works only with internet access.
	}
	controlURL, err := l.Launch()
	if err != nil {
		if bin == "" {
			return nil, fmt.Errorf("driver: no Chromium installed, and rod's download (--download-browser) failed: %v", err)
		}
		return nil, fmt.Errorf("driver: launch %s: %w", bin, err)
	}
	// The connection outlives ctx (which bounds start-up only); later calls
	// bring their own contexts.
	connCtx, disconnect := context.WithCancel(context.Background())
	b := rod.New().Context(connCtx).ControlURL(controlURL)
	if err := b.Connect(); err != nil {
		disconnect()
		l.Kill()
		return nil, fmt.Errorf("driver: connect to %s: %w", bin, err)
	}
	return &Browser{rod: b, launcher: l, opts: opts, disconnect: disconnect}, nil
}

// Close ends a launched browser; a remote one is only disconnected from,
// since others may share it.
func (b *Browser) Close() error {
	var err error
	if b.launcher != nil {
		err = b.rod.Close()
	}
	if b.certErrorsIgnored {
		err = (proto.SecuritySetIgnoreCertificateErrors{Ignore: false}).Call(b.rod)
	}
	b.disconnect()
	if b.launcher != nil {
		b.launcher.Kill()
		b.launcher.Cleanup()
	}
	return err
}

// Session is one incognito browser context: its cookies (the provider's
// login session) are shared by the authorizations run in it and by no other.
type Session struct {
	browser *Browser
	rod     *rod.Browser
}

// NewSession opens a fresh incognito context.
func (b *Browser) NewSession(ctx context.Context) (*Session, error) {
	inc, err := b.rod.Context(ctx).Incognito()
	if err != nil {
		return nil, fmt.Errorf("driver: open incognito context: %w", err)
	}
	b.stats.countSession()
	return &Session{browser: b, rod: inc.Context(context.Background())}, nil
}

// newPage opens a blank page in the session.
// Page opens a new page in the session's incognito context for a caller
// that inspects a provider's pages itself (oauthconform init); closing the
// session closes it.
func (s *Session) Page(ctx context.Context) (*rod.Page, error) { return s.newPage(ctx) }

func (s *Session) newPage(ctx context.Context) (*rod.Page, error) {
	return s.rod.Context(ctx).Page(proto.TargetCreateTarget{})
}

// Close discards the context and its cookies.
func (s *Session) Close() error {
	return s.rod.Close()
}
