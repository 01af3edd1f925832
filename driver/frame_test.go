package driver_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A provider on another site than the framing page (localhost against
// 127.0.0.1) is framed cross-site, which Chromium's site isolation puts in
// another renderer process: FrameRenders must still see into the frame.
func TestFrameRendersCrossSite(t *testing.T) {
	for _, frameable := range []bool{true, false} {
		t.Run(fmt.Sprintf("frameable=%t", frameable), func(t *testing.T) {
			provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !frameable {
					w.Header().Set("X-Frame-Options", "DENY")
				}
				fmt.Fprint(w, `<html><body><form><input id="username"></form></body></html>`)
			}))
			defer provider.Close()
			target := strings.Replace(provider.URL, "127.0.0.1", "localhost", 1)
			framer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `<html><body><iframe id="target" src="%s/authorize"></iframe></body></html>`, target)
			}))
			defer framer.Close()

			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			sess, err := browser.NewSession(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer sess.Close()
			rendered, err := sess.FrameRenders(ctx, framer.URL, "#username", time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if rendered != frameable {
				t.Errorf("rendered = %t, want %t", rendered, frameable)
			}
		})
	}
}

// PageShows is FrameRenders' control: the page loads top-level (framing
// protection does not apply there), and a host that does not answer is an
// error, not "not shown".
func TestPageShowsTopLevelAndErrsOnADeadHost(t *testing.T) {
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "DENY")
		fmt.Fprint(w, `<html><body><form><input id="username"></form></body></html>`)
	}))
	defer provider.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sess, err := browser.NewSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if shown, err := sess.PageShows(ctx, provider.URL, "#username", time.Second); err != nil || !shown {
		t.Errorf("top-level: shown %t, err %v", shown, err)
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	if _, err := sess.PageShows(ctx, deadURL, "#username", time.Second); err == nil {
		t.Error("a host that does not answer gave no error")
	}
}
