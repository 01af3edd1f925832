package driver_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/mockserver"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// httpsMockAuthorization starts the bundled mock (HTTPS, its own CA) with
// faults and returns it with a code authorization request for its web client.
func httpsMockAuthorization(t *testing.T, faults ...fault.Name) (*mockserver.Running, driver.Request) {
	t.Helper()
	sec := mockserver.RandomSecrets()
	mock, err := mockserver.Start(mockserver.Options{Faults: faults, Clients: mockserver.DefaultClients(&sec), Users: []mockserver.User{mockserver.DefaultUser(&sec)}}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mock.Close() })
	authz := mock.URL + "/authorize?" + url.Values{
		"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {mockserver.DefaultRedirectURI}, "state": {"s"},
	}.Encode()
	return mock, driver.Request{URL: authz, RedirectURI: mockserver.DefaultRedirectURI, Login: steps(sec.AlicePassword)}
}

// The bundled mock serves HTTPS with a certificate of a CA made for it
// alone: Chromium refuses it, unless told to trust its public key
// (--ignore-certificate-errors-spki-list). Trusting the server
// certificate's key accepts it even when it names another host.
func TestTrustSPKIAcceptsExactlyTheGivenCertificates(t *testing.T) {
	for _, f := range []fault.Name{"", fault.TLSCertWrongHost} {
		t.Run("fault="+string(f), func(t *testing.T) {
			var faults []fault.Name
			if f != "" {
				faults = []fault.Name{f}
			}
			mock, req := httpsMockAuthorization(t, faults...)

			// The package's browser trusts nothing extra: the page does not load.
			if _, err := session(t).Authorize(context.Background(), req); err == nil {
				t.Fatal("a browser without the mock's key reached the redirect URI")
			} else if !strings.Contains(err.Error(), "ERR_CERT") {
				t.Errorf("refused for another reason than the certificate: %v", err)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			trusting, err := driver.Launch(ctx, driver.Options{Headless: true, StepTimeout: 5 * time.Second, FlowTimeout: 10 * time.Second,
				TrustSPKI: []string{driver.SPKIHash(mock.Certificate)}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = trusting.Close() })
			sess, err := trusting.NewSession(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = sess.Close() })
			res, err := sess.Authorize(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Query.Get("code") == "" {
				t.Errorf("no code at the redirect URI: %s", res.Callback)
			}
		})
	}
}

// A remote browser takes no flags: it ignores certificate errors instead
// while connected, when the harness asks it to trust certificates, and no
// longer once the run disconnects.
func TestRemoteBrowserPagesAcceptTheMock(t *testing.T) {
	controlURL := startRemoteBrowser(t)
	mock, req := httpsMockAuthorization(t)
	for _, trust := range []bool{false, true, false} {
		opts := driver.Options{Remote: controlURL, StepTimeout: 5 * time.Second, FlowTimeout: 10 * time.Second}
		if trust {
			opts.TrustSPKI = []string{driver.SPKIHash(mock.Certificate)}
		}
		remote, err := driver.Launch(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := remote.NewSession(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		res, err := sess.Authorize(context.Background(), req)
		_ = sess.Close()
		_ = remote.Close()
		switch {
		case trust && (err != nil || res.Query.Get("code") == ""):
			t.Errorf("trusting: %v", err)
		case !trust && err == nil:
			t.Error("a remote browser not told to trust the mock reached the redirect URI")
		}
	}
}
