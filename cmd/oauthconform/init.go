package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/initprofile"
)

const initHelp = `Usage: oauthconform init --issuer URL [--client-id ID --redirect-uri URI] [--out profile.yaml]

Writes a first target profile from the provider itself:

  1. reads its discovery document (RFC 8414, then OpenID Connect Discovery)
     and writes the endpoints, the grant types and the client authentication
     methods it advertises, as comments to check;
  2. writes a client role for --client-id, and ${VAR} placeholders for every
     secret (OAUTHCONFORM_CLIENT_SECRET, OAUTHCONFORM_USERNAME,
     OAUTHCONFORM_PASSWORD): no secret is ever written to the file;
  3. opens the login page in headless Chromium (an authorization request for
     --client-id and --redirect-uri, which the provider must have registered)
     and finds the username, password and submit elements, and proposes the
     login: steps;
  4. when OAUTHCONFORM_USERNAME and OAUTHCONFORM_PASSWORD are set, logs in
     for real through the login and consent pages, then runs the proposed
     steps with the harness's own driver and says whether the login reached
     the redirect URI.

Then: "oauthconform validate profile.yaml", and "oauthconform run --target
profile.yaml" with the variables set.

Exit status: 0 when the profile was written (and, with credentials, the
login reached the redirect URI); 1 when the login was tried and did not;
2 when discovery failed or the file could not be written.

Flags:
`

func initCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), initHelp)
		printFlags(fs)
	}
	issuer := fs.String("issuer", "", "the provider's issuer identifier (https://...)")
	clientID := fs.String("client-id", "", "a client registered at the provider (authorization code)")
	redirectURI := fs.String("redirect-uri", "", "a redirect URI registered for that client")
	name := fs.String("name", "", "the profile's name (default: the issuer's host)")
	out := fs.String("out", "profile.yaml", "the file to write (\"-\": standard output)")
	force := fs.Bool("force", false, "overwrite --out if it exists")
	caFile := fs.String("ca-file", "", "PEM bundle of extra certificate authorities to trust (a private CA)")
	noBrowser := fs.Bool("no-browser", false, "read discovery only; do not open the login page")
	browserBin := fs.String("browser", "", "Chromium executable (default: $OAUTHCONFORM_BROWSER, then PATH)")
	remote := fs.String("browser-remote", "", "DevTools URL of a running browser to use instead of launching one")
	timeout := fs.Duration("timeout", 15*time.Second, "bound on each wait for a page")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "oauthconform init: "+format+"\n", a...)
		return exitUsage
	}
	if *issuer == "" {
		return fail("--issuer is required (oauthconform init --issuer https://auth.example.com)")
	}
	if *out != "-" && !*force {
		if _, err := os.Stat(*out); err == nil {
			return fail("%s exists (--force overwrites it, --out names another file)", *out)
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute+4**timeout)
	defer cancel()

	client := &http.Client{Timeout: *timeout}
	var pool *x509.CertPool
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return fail("--ca-file: %v", err)
		}
		pool, _ = x509.SystemCertPool()
		if pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return fail("--ca-file %s holds no PEM certificate", *caFile)
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	o := initprofile.Options{
		Issuer: *issuer, Name: *name, ClientID: *clientID, RedirectURI: *redirectURI, HTTP: client,
		Username: os.Getenv(initprofile.EnvUsername), Password: os.Getenv(initprofile.EnvPassword),
		StepTimeout: *timeout,
	}
	if !*noBrowser && *clientID != "" && *redirectURI != "" {
		var trust []string
		if pool != nil {
			pemData, _ := os.ReadFile(*caFile)
			trust = spkiOfPEM(pemData)
		}
		b, err := driver.Launch(ctx, driver.Options{Bin: *browserBin, Remote: *remote, Headless: true, StepTimeout: *timeout, FlowTimeout: 3 * *timeout, TrustSPKI: trust})
		if err != nil {
			fmt.Fprintf(stderr, "oauthconform init: no browser, so no login steps: %v\n", err)
		} else {
			defer b.Close()
			o.Browser = b
		}
	}
	res, err := initprofile.Run(ctx, o)
	if err != nil {
		return fail("%v", err)
	}
	if *out == "-" {
		_, _ = stdout.Write(res.YAML)
	} else if err := os.WriteFile(*out, res.YAML, 0o644); err != nil {
		return fail("%v", err)
	}
	report := stdout
	if *out == "-" {
		report = stderr
	}
	fmt.Fprintf(report, "discovery: %s\n", res.MetadataURL)
	for i, p := range res.Pages {
		fmt.Fprintf(report, "page %d: %s", i+1, p.URL)
		switch {
		case p.Username != "" || p.Password != "":
			fmt.Fprintf(report, " — login form: username %s, password %s, submit %s\n", orDash(p.Username), orDash(p.Password), orDash(p.Submit))
		case p.Approve != "":
			fmt.Fprintf(report, " — consent: approve %s, deny %s\n", p.Approve, orDash(p.Deny))
		default:
			fmt.Fprintln(report)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintln(report, "note:", n)
	}
	status := exitOK
	switch {
	case !res.Tried && o.Browser != nil && len(res.Login) > 0:
		fmt.Fprintf(report, "login: steps proposed, not tried (set %s and %s to try them)\n", initprofile.EnvUsername, initprofile.EnvPassword)
	case res.Tried && res.Reached:
		fmt.Fprintf(report, "login: the proposed steps reached the redirect URI (%d steps)\n", len(res.Login))
	case res.Tried:
		fmt.Fprintf(report, "login: the proposed steps did NOT reach the redirect URI: %v\n", res.LoginErr)
		status = 1
	}
	if *out != "-" {
		fmt.Fprintf(report, "wrote %s in %.1fs; next: oauthconform validate %s && oauthconform run --target %s\n", *out, time.Since(start).Seconds(), *out, *out)
	}
	return status
}
