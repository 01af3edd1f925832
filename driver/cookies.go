package driver

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-rod/rod/lib/proto"
)

// Cookies returns the cookies of the session's incognito context, HttpOnly
// ones included, so that plain HTTP requests can act as the user the
// browser logged in (probes that need no page rendering stay off the
// browser). Each carries the attributes the browser stored with it —
// Domain, Path, Secure, HttpOnly and SameSite — which the checks of the
// provider's session cookies judge (RFC 6265 §4.1.2); SameSite is left
// zero (unset) when the provider sent none.
func (s *Session) Cookies(ctx context.Context) ([]*http.Cookie, error) {
	res, err := proto.StorageGetCookies{BrowserContextID: s.rod.BrowserContextID}.Call(s.rod.Context(ctx))
	if err != nil {
		return nil, fmt.Errorf("driver: read session cookies: %w", err)
	}
	out := make([]*http.Cookie, 0, len(res.Cookies))
	for _, c := range res.Cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path, Secure: c.Secure, HttpOnly: c.HTTPOnly, SameSite: sameSite(c.SameSite)})
	}
	return out, nil
}

// sameSite maps the browser's SameSite value; an unset attribute (which
// Chromium reports as no value) stays the zero SameSite.
func sameSite(v proto.NetworkCookieSameSite) http.SameSite {
	switch v {
	case proto.NetworkCookieSameSiteStrict:
		return http.SameSiteStrictMode
	case proto.NetworkCookieSameSiteLax:
		return http.SameSiteLaxMode
	case proto.NetworkCookieSameSiteNone:
		return http.SameSiteNoneMode
	default:
		return 0
	}
}
