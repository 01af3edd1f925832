package driver

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-rod/rod/lib/proto"
)

// Cookies returns the cookies of the session's incognito context, HttpOnly
// ones included, so that plain HTTP requests can act as the user the
// browser logged in (probes that need no page rendering stay off the browser).
func (s *Session) Cookies(ctx context.Context) ([]*http.Cookie, error) {
	res, err := proto.StorageGetCookies{BrowserContextID: s.rod.BrowserContextID}.Call(s.rod.Context(ctx))
	if err != nil {
		return nil, fmt.Errorf("driver: read session cookies: %w", err)
	}
	out := make([]*http.Cookie, 0, len(res.Cookies))
	for _, c := range res.Cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path, Secure: c.Secure, HttpOnly: c.HTTPOnly})
	}
	return out, nil
}
