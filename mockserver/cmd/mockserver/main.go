// Command mockserver runs the bundled mock OAuth 2.0 authorization server,
// optionally with deliberate faults, for developing and checking the
// conformance suites.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/oauthconform/oauthconform/mockserver"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

func main() {
	if err := run(); err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "mockserver:") {
			msg = "mockserver: " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:9400", "listen address")
	issuer := flag.String("issuer", "", "issuer identifier (default https://<addr>, or http://<addr> with -http)")
	plainHTTP := flag.Bool("http", false, "serve plain HTTP instead of HTTPS (the TLS checks are then skipped)")
	caOut := flag.String("ca-out", filepath.Join(os.TempDir(), "oauthconform-mock-ca.pem"), "file to write the mock's certificate authority (PEM) to, for a run profile's tls.ca_file")
	faults := flag.String("faults", "", "comma-separated fault names to enable (see -list-faults)")
	listFaults := flag.Bool("list-faults", false, "print the available faults and exit")
	variants := flag.String("variants", "", "comma-separated secure variants to switch on (see -list-variants)")
	listVariants := flag.Bool("list-variants", false, "print the available variants (secure look-alikes) and exit")
	uiAddr := flag.String("ui-addr", "127.0.0.1:0", "listen address of the login and error UI app (variants login_other_origin, errors_other_origin)")
	allowNonLoopback := flag.Bool("allow-non-loopback", false, "allow listening on a non-loopback address")
	envOut := flag.String("env-out", "", "also write the variables it prints (export NAME=value) to this file as a JSON object, for a program that starts the mock (mode 0600: it holds secrets)")
	flag.Parse()

	if *listFaults {
		for _, f := range mockserver.AllFaults() {
			desc := f.Description
			if len(f.Implies) > 0 {
				desc += " [implies " + strings.Join(fault.Strings(f.Implies), ", ") + "]"
			}
			fmt.Printf("%-36s %s\n", f.Name, desc)
		}
		return nil
	}

	if *listVariants {
		for _, v := range mockserver.AllVariants() {
			desc := v.Description
			if v.Profile != "" {
				desc += " [profile " + v.Profile + "]"
			}
			fmt.Printf("%-36s %s\n", v.Name, desc)
		}
		return nil
	}

	if err := checkLoopback(*addr, *allowNonLoopback); err != nil {
		return err
	}
	variantList, err := mockserver.ParseVariants(strings.Split(*variants, ","))
	if err != nil {
		return err
	}
	var faultNames []string
	for _, f := range strings.Split(*faults, ",") {
		if f = strings.TrimSpace(f); f != "" {
			faultNames = append(faultNames, f)
		}
	}

	secrets := mockserver.RandomSecrets()
	if v := os.Getenv("MOCK_WEB_KEY"); v != "" {
		secrets.WebKey = v
	} else if err := secrets.WithWebKey(); err != nil {
		return err
	}
	// The mTLS clients' certificates (RFC 8705): this command serves no
	// mutual-TLS port, so the MTLS- checks skip, but the profiles load.
	if secrets.MTLS, err = mockserver.NewMTLSCredentials(); err != nil {
		return err
	}
	// web's backchannel_logout_uri (Back-Channel Logout): a free loopback
	// port, where the logout checks of a run against this mock listen.
	if secrets.BackchannelURI, err = mockserver.FreeBackchannelURI(); err != nil {
		return err
	}
	var exports []string
	exported := map[string]string{}
	export := func(name, value string) {
		exports = append(exports, fmt.Sprintf("export %s=%s", name, shellQuote(value)))
		exported[name] = value
	}
	for _, e := range []struct {
		env string
		dst *string
	}{
		{"MOCK_MTLS_CERT", &secrets.MTLS.Cert}, {"MOCK_MTLS_KEY", &secrets.MTLS.Key},
		{"MOCK_MTLS_SELF_CERT", &secrets.MTLS.SelfCert}, {"MOCK_MTLS_SELF_KEY", &secrets.MTLS.SelfKey},
		{"MOCK_WEB_SECRET", &secrets.Web},
		{"MOCK_WEB2_SECRET", &secrets.Web2},
		{"MOCK_SVC_SECRET", &secrets.Service},
		{"MOCK_ALICE_PASSWORD", &secrets.AlicePassword},
		{"MOCK_WEB_KEY", &secrets.WebKey},
		{"MOCK_BACKCHANNEL_URI", &secrets.BackchannelURI}, // web's backchannel_logout_uri: where the checks listen
	} {
		if v, ok := os.LookupEnv(e.env); ok && v != "" {
			*e.dst = v
		} else {
			export(e.env, *e.dst)
		}
	}
	// The bundled profiles read the access token profile the mock documents.
	export("MOCK_ACCESS_TOKENS", mockserver.AccessTokenProfile(variantList))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	scheme := "https"
	if *plainHTTP {
		scheme = "http"
	}
	iss := *issuer
	if iss == "" {
		iss = scheme + "://" + ln.Addr().String()
	}
	var uiLn net.Listener
	uiOrigin := ""
	if mockserver.NeedsUIOrigin(variantList) {
		if err := checkLoopback(*uiAddr, *allowNonLoopback); err != nil {
			ln.Close()
			return fmt.Errorf("-ui-addr: %w", err)
		}
		if uiLn, err = net.Listen("tcp", *uiAddr); err != nil {
			ln.Close()
			return err
		}
		defer uiLn.Close()
		uiOrigin = scheme + "://" + uiLn.Addr().String()
	}
	// No mutual-TLS port here: the profiles' mtls_resource is the issuer's.
	export("MOCK_MTLS_URL", iss)
	srv, err := mockserver.New(mockserver.Options{
		MTLSClientCA: secrets.MTLS.CA,
		Issuer:       iss,
		Faults:       fault.Names(faultNames),
		Variants:     variantList,
		UIOrigin:     uiOrigin,
		Clients:      mockserver.DefaultClients(&secrets),
		Users:        []mockserver.User{mockserver.DefaultUser(&secrets)},
	})
	if err != nil {
		ln.Close()
		return err
	}

	// Dev mock: print generated credentials once so they can be copied. This
	// is the only place secrets are ever printed.
	for _, line := range exports {
		fmt.Println(line)
	}
	if *envOut != "" {
		data, err := json.Marshal(exported)
		if err == nil {
			err = os.WriteFile(*envOut, data, 0o600)
		}
		if err != nil {
			ln.Close()
			return fmt.Errorf("-env-out: %w", err)
		}
	}

	logger := log.New(os.Stderr, "", log.LstdFlags)
	hs := &http.Server{Handler: logRequests(logger, srv), ReadHeaderTimeout: 10 * time.Second}
	if !*plainHTTP {
		// HTTPS by default, with a certificate authority made for this
		// run: a client trusts it through the file written here.
		certs, err := srv.NewCertificates()
		if err != nil {
			ln.Close()
			return err
		}
		if err := os.WriteFile(*caOut, certs.CAPEM, 0o644); err != nil {
			ln.Close()
			return fmt.Errorf("-ca-out: %w", err)
		}
		ln = srv.Listener(ln, certs)
		if uiLn != nil {
			uiCerts, err := certs.Sibling()
			if err != nil {
				ln.Close()
				return err
			}
			uiLn = srv.Listener(uiLn, uiCerts)
		}
		logger.Printf("mockserver certificate authority written to %s (valid until %s): trust it in the run profile (ginkgo.yaml, or a copy given with the suite's -config) with tls: {ca_file: %s}, or with curl --cacert %s",
			*caOut, certs.CA.NotAfter.Format(time.RFC3339), *caOut, *caOut)
	}
	var vnames []string
	for _, v := range srv.Variants() {
		vnames = append(vnames, v.String())
	}
	logger.Printf("mockserver issuer %s listening on %s (faults: %s; variants: %s)", srv.Issuer(), ln.Addr(), strings.Join(orNone(srv.Faults()), ","), strings.Join(orNone(vnames), ","))
	if uiLn != nil {
		ui := &http.Server{Handler: logRequests(logger, srv.UIApp()), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = ui.Serve(uiLn) }()
		defer ui.Close()
		logger.Printf("mockserver login and error UI app on %s", uiOrigin)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func orNone(v []string) []string {
	if len(v) == 0 {
		return []string{"none"}
	}
	return v
}

func checkLoopback(addr string, allow bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -addr %q: %w", addr, err)
	}
	if allow {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to listen on non-loopback address %q (use -allow-non-loopback)", addr)
	}
	return nil
}

// shellQuote single-quotes v for POSIX shells.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logRequests logs method, path and status only: query strings and bodies
// carry codes, tokens and secrets and are never logged.
func logRequests(l *log.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		l.Printf("%s %s %d", r.Method, r.URL.Path, sw.status)
	})
}
