package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/oauthconform/oauthconform"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/runconfig"
	"github.com/oauthconform/oauthconform/mockserver"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

const mockHelp = `Usage: oauthconform mock [--addr 127.0.0.1:9400] [--faults a,b] [--variants x,y]

Serves the bundled mock authorization server over HTTPS until interrupted:
the same secure provider "oauthconform run" tests when given no --target.
Switch faults on to see checks fail (each fault breaks one requirement the
way real servers do), or variants for secure look-alikes (another login
page, consent every time, ...).

It writes two files and prints what to do with them:
  --profile-out  the mock's target profile, its secrets as ${MOCK_...}
                 variables (printed as export lines: this dev mock's secrets
                 are made fresh for each start, unless already set in the
                 environment, and are the only secrets oauthconform prints)
  --ca-out       the certificate authority made for this start (PEM), for
                 "oauthconform run --ca-file" or curl --cacert

In another shell, after the export lines it prints:
  oauthconform run --target oauthconform-mock.yaml --ca-file oauthconform-mock-ca.pem

Flags:
`

func mockCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), mockHelp)
		printFlags(fs)
	}
	addr := fs.String("addr", "127.0.0.1:9400", "listen address (loopback only; port 0 picks a free one)")
	faults := fs.String("faults", "", "comma-separated faults to switch on (--list-faults)")
	variants := fs.String("variants", "", "comma-separated secure variants to switch on (--list-variants)")
	listFaults := fs.Bool("list-faults", false, "print the faults and exit")
	listVariants := fs.Bool("list-variants", false, "print the variants and exit")
	caOut := fs.String("ca-out", "oauthconform-mock-ca.pem", "where to write the certificate authority (PEM)")
	profileOut := fs.String("profile-out", "oauthconform-mock.yaml", "where to write the mock's target profile")
	envOut := fs.String("env-out", "", "also write the variables it prints (export NAME=value) to this file as a JSON object, for a program that starts the mock (mode 0600: it holds secrets)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *listFaults {
		for _, f := range mockserver.AllFaults() {
			desc := f.Description
			if len(f.Implies) > 0 {
				desc += " [implies " + strings.Join(fault.Strings(f.Implies), ", ") + "]"
			}
			fmt.Fprintf(stdout, "%-36s %s\n", f.Name, desc)
		}
		return exitOK
	}
	if *listVariants {
		for _, v := range mockserver.AllVariants() {
			fmt.Fprintf(stdout, "%-36s %s\n", v.Name, v.Description)
		}
		return exitOK
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "oauthconform mock:", err)
		return exitUsage
	}
	if err := loopbackOnly(*addr); err != nil {
		return fail(err)
	}
	variantList, err := mockserver.ParseVariants(splitComma(*variants))
	if err != nil {
		return fail(err)
	}
	known := map[string]bool{}
	for _, f := range mockserver.AllFaults() {
		known[string(f.Name)] = true
	}
	faultNames := splitComma(*faults)
	for _, name := range faultNames {
		if !known[name] {
			return fail(fmt.Errorf("unknown fault %q (oauthconform mock --list-faults lists them)", name))
		}
	}
	profileName := runconfig.Default().Mock.Profile
	vp, err := mockserver.VariantsProfile(variantList)
	if err != nil {
		return fail(err)
	}
	if vp != "" {
		profileName = vp
	}
	profileYAML, err := oauthconform.Defaults.ReadFile(profileName)
	if err != nil {
		return fail(err)
	}

	secrets := mockserver.RandomSecrets()
	if v := os.Getenv("MOCK_WEB_KEY"); v != "" {
		secrets.WebKey = v
	} else if err := secrets.WithWebKey(); err != nil {
		return fail(err)
	}
	// The mTLS clients' certificates (RFC 8705), fresh unless all are given.
	if secrets.MTLS, err = mockserver.NewMTLSCredentials(); err != nil {
		return fail(err)
	}
	// web's backchannel_logout_uri (Back-Channel Logout): a free loopback
	// port, where the logout checks of a run against this mock listen.
	if secrets.BackchannelURI, err = mockserver.FreeBackchannelURI(); err != nil {
		return fail(err)
	}
	var exports []string
	exported := map[string]string{}
	for _, e := range []struct {
		env string
		dst *string
	}{
		{"MOCK_WEB_SECRET", &secrets.Web}, {"MOCK_WEB2_SECRET", &secrets.Web2},
		{"MOCK_SVC_SECRET", &secrets.Service}, {"MOCK_ALICE_PASSWORD", &secrets.AlicePassword},
		{"MOCK_WEB_KEY", &secrets.WebKey},
		{"MOCK_BACKCHANNEL_URI", &secrets.BackchannelURI}, // web's backchannel_logout_uri: where the checks listen
		{"MOCK_MTLS_CERT", &secrets.MTLS.Cert}, {"MOCK_MTLS_KEY", &secrets.MTLS.Key},
		{"MOCK_MTLS_SELF_CERT", &secrets.MTLS.SelfCert}, {"MOCK_MTLS_SELF_KEY", &secrets.MTLS.SelfKey},
	} {
		if v := os.Getenv(e.env); v != "" {
			*e.dst = v
		} else {
			exports = append(exports, fmt.Sprintf("export %s=%s", e.env, shellQuote(*e.dst)))
			exported[e.env] = *e.dst
		}
	}
	if *envOut != "" {
		data, err := json.Marshal(exported)
		if err == nil {
			err = os.WriteFile(*envOut, data, 0o600)
		}
		if err != nil {
			return fail(fmt.Errorf("--env-out: %w", err))
		}
	}
	running, err := mockserver.Start(mockserver.Options{
		Faults:       fault.Names(faultNames),
		Variants:     variantList,
		Clients:      mockserver.DefaultClients(&secrets),
		Users:        []mockserver.User{mockserver.DefaultUser(&secrets)},
		CodeLifetime: harness.MockCodeLifetime, // the profile declares it (CODE-05)
		MTLSClientCA: secrets.MTLS.CA,
	}, *addr)
	if err != nil {
		return fail(err)
	}
	defer running.Close()
	if err := os.WriteFile(*caOut, running.CACertPEM, 0o644); err != nil {
		return fail(fmt.Errorf("--ca-out: %w", err))
	}
	// The profile with the issuer filled in; the secrets stay variables.
	profileText := "# Target profile of the bundled mock served by \"oauthconform mock\" at " + running.URL + ".\n" +
		strings.NewReplacer("${MOCK_ISSUER}", running.URL, "${MOCK_MTLS_URL}", running.MTLSURL, "${MOCK_ACCESS_TOKENS}", mockserver.AccessTokenProfile(variantList)).Replace(string(profileYAML))
	if err := os.WriteFile(*profileOut, []byte(profileText), 0o644); err != nil {
		return fail(fmt.Errorf("--profile-out: %w", err))
	}
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	for _, line := range exports {
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintf(stdout, "# oauthconform mock: issuer %s (faults: %s; variants: %s)\n", running.URL, orNone(running.Faults()), orNone(splitComma(*variants)))
	fmt.Fprintf(stdout, "# target profile: %s\n# certificate authority: %s\n", abs(*profileOut), abs(*caOut))
	fmt.Fprintf(stdout, "# in another shell, with the export lines above:\n#   oauthconform run --target %s --ca-file %s\n", abs(*profileOut), abs(*caOut))
	fmt.Fprintln(stdout, "# serving until interrupted (Ctrl-C)")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return exitOK
}

func orNone(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, ",")
}

func splitComma(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// loopbackOnly refuses to serve a mock with deliberate faults anywhere but loopback.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q: the mock listens on loopback only (127.0.0.1, ::1 or localhost)", addr)
	}
	return nil
}

// shellQuote single-quotes v for POSIX shells.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
