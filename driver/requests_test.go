package driver_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/driver"
)

// leakyServer is a provider whose login page loads an image from another
// origin (localhost instead of 127.0.0.1, same port) with the given
// document referrer policy ("" for none), and whose login sets one cookie
// with the given SameSite attribute.
func leakyServer(t *testing.T, policy string, site http.SameSite) (base string) {
	t.Helper()
	mux := http.NewServeMux()
	var other string
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		meta := ""
		if policy != "" {
			meta = `<meta name="referrer" content="` + policy + `">`
		}
		fmt.Fprintf(w, `<!doctype html><head>%s</head><img src="%s/pixel.gif" alt="">
<form method="post" action="/login"><input id="username" name="username"><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`, meta, other)
	})
	mux.HandleFunc("GET /pixel.gif", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "v", Path: "/", HttpOnly: true, SameSite: site})
		http.Redirect(w, r, productionRedirect+"?code=c&state=s", http.StatusFound)
	})
	srv := serve(t, mux)
	other = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	return srv.URL
}

func TestRequestsRecordSubresourcesWithTheirReferer(t *testing.T) {
	cases := []struct {
		policy      string
		wantReferer func(authURL string) string
	}{
		{"unsafe-url", func(u string) string { return u }},
		{"no-referrer", func(string) string { return "" }},
	}
	for _, tc := range cases {
		t.Run(tc.policy, func(t *testing.T) {
			base := leakyServer(t, tc.policy, http.SameSiteLaxMode)
			authURL := base + "/authorize?state=st4te&code_challenge=ch4llenge"
			res, err := session(t).Authorize(context.Background(), driver.Request{URL: authURL, RedirectURI: productionRedirect, Login: steps("pw")})
			if err != nil {
				t.Fatal(err)
			}
			var img *driver.SentRequest
			for i, r := range res.Requests {
				if r.Type == "Image" {
					img = &res.Requests[i]
				}
			}
			if img == nil {
				t.Fatalf("no image request among %+v", res.Requests)
			}
			if want := strings.Replace(base, "127.0.0.1", "localhost", 1); img.Origin() != want || img.TopLevel {
				t.Errorf("image request %+v: want origin %s, not top-level", img, want)
			}
			if want := tc.wantReferer(authURL); img.Referer != want {
				t.Errorf("Referer %q, want %q", img.Referer, want)
			}
			if first := res.Requests[0]; !first.TopLevel || first.URL != authURL {
				t.Errorf("first request %+v, want the top-level authorization request", first)
			}
			if last := res.Requests[len(res.Requests)-1]; !strings.HasPrefix(last.URL, productionRedirect) {
				t.Errorf("last request %s, want the redirect URI", last.URL)
			}
		})
	}
}

func TestCookiesCarryTheirSameSite(t *testing.T) {
	for _, site := range []http.SameSite{0, http.SameSiteLaxMode, http.SameSiteStrictMode} {
		t.Run(fmt.Sprint(site), func(t *testing.T) {
			base := leakyServer(t, "no-referrer", site)
			s := session(t)
			if _, err := s.Authorize(context.Background(), driver.Request{URL: base + "/authorize", RedirectURI: productionRedirect, Login: steps("pw")}); err != nil {
				t.Fatal(err)
			}
			cookies, err := s.Cookies(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(cookies) != 1 || cookies[0].Name != "sid" || !cookies[0].HttpOnly || cookies[0].Secure || cookies[0].SameSite != site {
				t.Fatalf("cookies %+v, want sid HttpOnly, not Secure, SameSite %v", cookies[0], site)
			}
		})
	}
}

func TestOriginOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://Example.COM:443/a?b#c": "https://example.com",
		"http://127.0.0.1:8080/x":       "http://127.0.0.1:8080",
		"http://[::1]:80/":              "http://[::1]",
		"data:image/gif;base64,R0lG":    "",
	} {
		if got := driver.OriginOf(in); got != want {
			t.Errorf("OriginOf(%q) = %q, want %q", in, got, want)
		}
	}
}
