package mockserver

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Running is a Server listening on a local address.
type Running struct {
	*Server
	URL string // the issuer, e.g. http://127.0.0.1:43123

	srv  *http.Server
	done chan struct{}
}

// Start listens on 127.0.0.1:0 (or addr if non-empty), sets Issuer to
// http://<that addr> when opts.Issuer is empty, serves in a goroutine, and
// returns the running server. Close shuts it down.
func Start(opts Options, addr string) (*Running, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if opts.Issuer == "" {
		opts.Issuer = "http://" + ln.Addr().String()
	}
	s, err := New(opts)
	if err != nil {
		ln.Close()
		return nil, err
	}
	rs := &Running{
		Server: s,
		URL:    s.Issuer(),
		srv:    &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		done:   make(chan struct{}),
	}
	go func() {
		defer close(rs.done)
		_ = rs.srv.Serve(ln)
	}()
	return rs, nil
}

// Close shuts the server down. In-flight requests get a short grace period;
// connections still open after it (e.g. idle client connections that never
// sent a request) are closed forcibly.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = r.srv.Close()
	}
	<-r.done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
