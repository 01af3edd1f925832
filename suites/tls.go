package suites

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

var _ = Describe("TLS", Label("flow:discovery"), func() {
	// needHTTPS skips a check on a target served over plain http and
	// returns the https origins to probe: the issuer's and those of the
	// authorization and token endpoints, each once.
	needHTTPS := func() []string {
		GinkgoHelper()
		base := env.Endpoints.Issuer
		if base == "" {
			base = env.Endpoints.Authorization
		}
		harness.SkipUnless(strings.HasPrefix(strings.ToLower(base), "https://"), "target is served over plain http (issuer %s)", base)
		seen := map[string]bool{}
		var origins []string
		for _, raw := range []string{env.Endpoints.Issuer, env.Endpoints.Authorization, env.Endpoints.Token} {
			u, err := url.Parse(raw)
			if err != nil || raw == "" || u.Scheme != "https" || seen[u.Host] {
				continue
			}
			seen[u.Host] = true
			origins = append(origins, "https://"+u.Host)
		}
		return origins
	}

	harness.It(env, catalog.TLSLegacyVersionsRefused, func(ctx SpecContext) {
		var accepted, evidence []string
		for _, origin := range needHTTPS() {
			for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11} {
				st, err := env.Handshake(ctx, origin, harness.LegacyTLSConfig(v))
				var te *harness.TargetError
				switch {
				case errors.As(err, &te):
					harness.Undecided(env, err)
				case err == nil:
					line := fmt.Sprintf("%s: %s handshake completed (%s, cipher suite %s)", origin, tls.VersionName(v), tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
					accepted, evidence = append(accepted, line), append(evidence, line)
				default:
					evidence = append(evidence, fmt.Sprintf("%s: %s refused: %v", origin, tls.VersionName(v), err))
				}
			}
		}
		env.Attach(strings.Join(evidence, "\n"))
		Expect(accepted).To(BeEmpty(), "legacy TLS versions accepted")
	})

	harness.It(env, catalog.TLS13Supported, func(ctx SpecContext) {
		var refused, evidence []string
		for _, origin := range needHTTPS() {
			st, err := env.Handshake(ctx, origin, &tls.Config{MinVersion: tls.VersionTLS13})
			var te *harness.TargetError
			switch {
			case errors.As(err, &te):
				harness.Undecided(env, err)
			case err != nil:
				line := fmt.Sprintf("%s: TLS 1.3 handshake refused: %v", origin, err)
				refused, evidence = append(refused, line), append(evidence, line)
			default:
				evidence = append(evidence, fmt.Sprintf("%s: %s, cipher suite %s", origin, tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite)))
			}
		}
		env.Attach(strings.Join(evidence, "\n"))
		Expect(refused).To(BeEmpty(), "TLS 1.3 not supported")
	})

	harness.It(env, catalog.TLSCertificateValid, func(ctx SpecContext) {
		origins := needHTTPS()
		roots, err := env.TLSRoots()
		harness.Require(env, err)
		trusted := "the system's roots"
		switch {
		case env.Mock != nil:
			trusted = "the bundled mock's own CA"
		case env.Config.TLS.CAFile != "":
			trusted += " and tls.ca_file"
		}
		var invalid, evidence []string
		for _, origin := range origins {
			st, err := env.Handshake(ctx, origin, &tls.Config{})
			harness.Require(env, err)
			harness.SkipUnless(len(st.PeerCertificates) > 0, "%s presented no certificate", origin)
			leaf := st.PeerCertificates[0]
			host := strings.TrimPrefix(origin, "https://")
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			inter := x509.NewCertPool()
			for _, c := range st.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			// Strict, whatever the run's tls.insecure_skip_verify: the
			// chain, the validity period and the host name (RFC 6125 §6).
			_, verr := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: host})
			result := "verified against " + trusted + " for " + host
			if verr != nil {
				result = "NOT valid (verified against " + trusted + " for " + host + "): " + verr.Error()
				invalid = append(invalid, origin+": "+verr.Error())
			}
			evidence = append(evidence, origin+"\n"+harness.DescribeCertificate(leaf)+"\n"+result)
		}
		env.Attach(strings.Join(evidence, "\n\n"))
		Expect(invalid).To(BeEmpty(), "certificate verification")
	})

	harness.It(env, catalog.PlainHTTPRefused, func(ctx SpecContext) {
		var answered, evidence []string
		// The control: each host answers over https, so that no answer over
		// plain http is the refusal, not a host that is down.
		for _, origin := range needHTTPS() {
			st, err := env.Handshake(ctx, origin, &tls.Config{})
			if err != nil {
				harness.Undecided(env, fmt.Errorf("the control failed: %s does not answer over https either (%w), so no answer over plain http would prove nothing", origin, err))
			}
			evidence = append(evidence, fmt.Sprintf("control: %s answers over https (%s)", origin, tls.VersionName(st.Version)))
		}
		// The token endpoint: a made-up client and no secret, so that
		// nothing real travels without TLS.
		for _, target := range plainVariants(env.Endpoints.Token) {
			rec := &harness.Recorder{}
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"oauthconform-plain-http-probe-" + harness.Random()}}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
			harness.Require(env, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := env.PlainHTTPClient(rec).Do(req)
			if err != nil {
				evidence = append(evidence, fmt.Sprintf("POST %s: no answer (%v)", target, err))
				continue
			}
			_ = resp.Body.Close()
			x := rec.Last()
			m := x.JSON()
			if m != nil && (m["error"] != nil || m["access_token"] != nil) {
				answered = append(answered, fmt.Sprintf("the token endpoint answered an OAuth response over plain http (%s, HTTP %d)", target, x.Status))
			}
			evidence = append(evidence, env.Evidence(x))
		}
		// The authorization endpoint: a well-formed request of a
		// registered client (its id is no secret); a login page, or a
		// redirect to the client, is an OAuth answer.
		client := env.Profile.Clients.Public
		if client == nil {
			client = env.Profile.Clients.Confidential
		}
		if client != nil {
			params := url.Values{"response_type": {"code"}, "client_id": {client.ID}, "redirect_uri": {env.Profile.RedirectURI},
				"state": {harness.Random()}, "code_challenge": {harness.Random() + harness.Random()}, "code_challenge_method": {"S256"}}
			for _, target := range plainVariants(env.Endpoints.Authorization) {
				verdict, hops := plainAuthorize(ctx, harness.AuthorizationURL(target, params))
				evidence = append(evidence, hops...)
				if verdict != "" {
					answered = append(answered, fmt.Sprintf("the authorization endpoint %s over plain http (%s)", verdict, target))
				}
			}
		}
		env.Attach(strings.Join(evidence, "\n"))
		Expect(answered).To(BeEmpty(), "OAuth answered over plain http")
	})

	harness.It(env, catalog.MetadataEndpointsHTTPS, func(ctx SpecContext) {
		needHTTPS()
		needMetadata()
		plain := httpEndpoints(env.Metadata, "")
		sort.Strings(plain)
		env.Attach("metadata: " + env.MetadataURL)
		Expect(plain).To(BeEmpty(), "endpoints without TLS in %s", env.MetadataURL)
	})
})

// plainVariants are the http:// URLs of an https endpoint: the same host and
// port, and, when the port is the default one, port 80 too.
func plainVariants(endpoint string) []string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "https" {
		return nil
	}
	same := *u
	same.Scheme = "http"
	if u.Port() == "" {
		same.Host = net.JoinHostPort(u.Hostname(), "443")
		port80 := *u
		port80.Scheme = "http"
		return []string{same.String(), port80.String()}
	}
	return []string{same.String()}
}

// plainAuthorize sends an authorization request over plain http, follows
// redirects that stay on plain http at the same host (a login page
// elsewhere on the provider), and says what OAuth answer it got ("" for
// none: no answer, a redirect to https, an error page), with the hops.
func plainAuthorize(ctx SpecContext, target string) (verdict string, hops []string) {
	redirect, _ := url.Parse(env.Profile.RedirectURI)
	start, _ := url.Parse(target)
	for hop := 0; hop < 5; hop++ {
		rec := &harness.Recorder{}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		harness.Require(env, err)
		resp, err := env.PlainHTTPClient(rec).Do(req)
		if err != nil {
			return "", append(hops, fmt.Sprintf("GET %s: no answer (%v)", env.Redactor.String(target), err))
		}
		_ = resp.Body.Close()
		x := rec.Last()
		hops = append(hops, fmt.Sprintf("GET %s → %d %s", env.Redactor.String(target), x.Status, env.Redactor.String(x.Header.Get("Location"))))
		loc := x.Header.Get("Location")
		if x.Status < 300 || x.Status > 399 || loc == "" {
			if strings.Contains(strings.ToLower(string(x.Body)), `type="password"`) {
				return "showed its login page", hops
			}
			return "", hops
		}
		next, err := resp.Request.URL.Parse(loc)
		if err != nil {
			return "", hops
		}
		switch {
		case redirect != nil && next.Scheme == redirect.Scheme && next.Host == redirect.Host && next.Path == redirect.Path:
			return "redirected to the client's redirect URI", hops
		case next.Scheme == "http" && next.Host == start.Host:
			target = next.String()
		default:
			return "", hops // to https, or elsewhere: no OAuth answer over plain http
		}
	}
	return "", hops
}

// httpEndpoints lists the metadata's endpoint URLs (every *_endpoint and
// jwks_uri, and those of nested objects such as RFC 8705's
// mtls_endpoint_aliases) that are not https.
func httpEndpoints(md map[string]any, prefix string) []string {
	var out []string
	for k, v := range md {
		switch val := v.(type) {
		case string:
			if (strings.HasSuffix(k, "_endpoint") || k == "jwks_uri") && !strings.HasPrefix(strings.ToLower(val), "https://") {
				out = append(out, prefix+k+": "+val)
			}
		case map[string]any:
			out = append(out, httpEndpoints(val, prefix+k+".")...)
		}
	}
	return out
}
