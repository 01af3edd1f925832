package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// The helpers of the logout checks that watch how the provider tells the
// RPs of a logout: OpenID Connect Session Management 1.0 (the OP iframe),
// Front-Channel Logout 1.0 (the iframes of the logout page) and
// Back-Channel Logout 1.0 (a logout_token POSTed to a listener of the
// harness).

// backchannelWait bounds the wait for a provider's back-channel logout
// request after the logout: a provider sends it while or right after it
// answers the logout.
const backchannelWait = 3 * time.Second

// checkSessionWait bounds the wait for the OP iframe's answer.
const checkSessionWait = 5 * time.Second

// advertisedTrue is whether the metadata advertise name as JSON true.
func advertisedTrue(name string) bool {
	v, ok := env.Metadata[name].(bool)
	return ok && v
}

// backchannelPost is one request the provider sent to the back-channel
// logout URI.
type backchannelPost struct {
	method, contentType string
	form                url.Values
}

func (p *backchannelPost) String() string {
	names := make([]string, 0, len(p.form))
	for k := range p.form {
		names = append(names, k)
	}
	sort.Strings(names)
	return fmt.Sprintf("%s with Content-Type %q, parameters [%s]", p.method, p.contentType, strings.Join(names, ", "))
}

// backchannelListener listens at the profile's backchannel_logout_uri (a
// loopback http URL) for the provider's logout requests, answering 200.
type backchannelListener struct {
	srv  *http.Server
	got  chan *backchannelPost
	done chan struct{}
}

// listenBackchannel starts listening at uri. The listener is closed by
// close, and at the latest when ctx ends.
func listenBackchannel(ctx context.Context, uri string) (*backchannelListener, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, err
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if u.Scheme != "http" || !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
		return nil, fmt.Errorf("the profile's backchannel_logout_uri %s is not a loopback http URL the harness can listen at", uri)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("listen at the backchannel_logout_uri %s: %w", uri, err)
	}
	l := &backchannelListener{got: make(chan *backchannelPost, 8), done: make(chan struct{})}
	path := u.Path
	l.srv = &http.Server{ReadHeaderTimeout: backchannelWait, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		p := &backchannelPost{method: r.Method, contentType: r.Header.Get("Content-Type")}
		if err := r.ParseForm(); err == nil {
			p.form = r.PostForm
		}
		for _, t := range p.form["logout_token"] {
			env.Redactor.Add(t)
		}
		select {
		case l.got <- p:
		default:
		}
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
	})}
	go func() { _ = l.srv.Serve(ln) }()
	stop := context.AfterFunc(ctx, l.close)
	go func() { <-l.done; stop() }()
	return l, nil
}

// wait returns the first request, or nil when none came within
// backchannelWait.
func (l *backchannelListener) wait(ctx context.Context) *backchannelPost {
	t := time.NewTimer(backchannelWait)
	defer t.Stop()
	select {
	case p := <-l.got:
		return p
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}

func (l *backchannelListener) close() {
	select {
	case <-l.done:
		return
	default:
	}
	close(l.done)
	_ = l.srv.Close()
}

// formEncoded is whether a Content-Type is application/x-www-form-urlencoded.
func formEncoded(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// askCheckSession asks the OP iframe about sessionState in the session's
// browser, from a page of the redirect URI's origin (the origin the
// provider computed the session state for).
func askCheckSession(ctx context.Context, sess *driver.Session, iframe, clientID, sessionState string) (*driver.FrameAnswer, error) {
	page := driver.OriginOf(env.Profile.RedirectURI) + "/" + probeMarker + "-check-session"
	return sess.AskFrame(ctx, page, iframe, clientID+" "+sessionState, checkSessionWait)
}

// answerOf is the OP iframe's answer ("" for none).
func answerOf(a *driver.FrameAnswer) string {
	if a == nil {
		return ""
	}
	return a.Answer
}

// skipWithoutStorageAccess skips a check of an OP iframe's answer other
// than want when the frame did not have its cookies: Chromium withholds
// them from a frame in another site's page unless it asks with the
// Storage Access API, and then its answer tells nothing of the session.
func skipWithoutStorageAccess(a *driver.FrameAnswer, want string) {
	GinkgoHelper()
	harness.SkipUnless(a == nil || a.Answer == want || a.StorageAccess, "the OP iframe answered %q without access to its cookies: it did not ask for them with the Storage Access API, and Chromium withholds third-party cookies from a frame in the RP's page, so the answer says nothing of the session", answerOf(a))
}

// frontchannelLoads are the frame requests of a logout's browser run to
// the frontchannel_logout_uri (its query aside).
func frontchannelLoads(res *driver.Result, uri string) []driver.SentRequest {
	if res == nil || uri == "" {
		return nil
	}
	base := strings.SplitN(uri, "?", 2)[0]
	var out []driver.SentRequest
	for _, r := range res.Requests {
		if !r.TopLevel && strings.HasPrefix(r.URL, base) {
			out = append(out, r)
		}
	}
	return out
}

// logoutTokenProblems verifies a Logout Token (Back-Channel Logout §2.4)
// with the provider's keys: the signature, iss, aud, iat, jti, sub or sid
// (sid equal to the ID Token's when both have one) and the events claim.
func logoutTokenProblems(ctx context.Context, raw, clientID, idTokenSID string) ([]string, map[string]any, error) {
	jws, err := jose.ParseSigned(raw, harness.SignatureAlgorithms)
	if err != nil {
		return []string{"the logout_token does not parse as a signed JWT: " + err.Error()}, nil, nil
	}
	jwks, err := env.FetchJWKS(ctx)
	if err != nil {
		return nil, nil, err
	}
	keys := jwks.Set.Keys
	if kid := jws.Signatures[0].Header.KeyID; kid != "" {
		keys = jwks.Set.Key(kid)
	}
	var payload []byte
	for _, k := range keys {
		if payload, err = jws.Verify(k.Key); err == nil {
			break
		}
	}
	if payload == nil {
		return []string{fmt.Sprintf("the logout_token's signature verifies with no key of %s", jwks.From)}, nil, nil
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return []string{"the logout_token's payload is not a JSON object: " + err.Error()}, nil, nil
	}
	var problems []string
	if iss, _ := claims["iss"].(string); iss != env.Endpoints.Issuer {
		problems = append(problems, fmt.Sprintf("iss %q is not the issuer %q", iss, env.Endpoints.Issuer))
	}
	if !audienceHas(claims["aud"], clientID) {
		problems = append(problems, fmt.Sprintf("aud %v does not name the client %q", claims["aud"], clientID))
	}
	if _, ok := claims["iat"].(float64); !ok {
		problems = append(problems, "no numeric iat")
	}
	if jti, _ := claims["jti"].(string); jti == "" {
		problems = append(problems, "no jti")
	}
	sub, _ := claims["sub"].(string)
	sid, _ := claims["sid"].(string)
	if sub == "" && sid == "" {
		problems = append(problems, "neither sub nor sid")
	}
	if sid != "" && idTokenSID != "" && sid != idTokenSID {
		problems = append(problems, fmt.Sprintf("sid %q is not the ID Token's %q", sid, idTokenSID))
	}
	events, _ := claims["events"].(map[string]any)
	if ev, ok := events[backchannelLogoutEvent]; !ok {
		problems = append(problems, fmt.Sprintf("events %v has no member %s", claims["events"], backchannelLogoutEvent))
	} else if _, ok := ev.(map[string]any); !ok {
		problems = append(problems, fmt.Sprintf("the events member %s is %v, not a JSON object", backchannelLogoutEvent, ev))
	}
	return problems, claims, nil
}

// backchannelLogoutEvent is the events member of a Logout Token.
const backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// audienceHas is whether an aud claim (a string or an array) names id.
func audienceHas(aud any, id string) bool {
	switch a := aud.(type) {
	case string:
		return a == id
	case []any:
		for _, v := range a {
			if s, _ := v.(string); s == id {
				return true
			}
		}
	}
	return false
}
