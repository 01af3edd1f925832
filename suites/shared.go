package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// loggedIn is one browser login shared by every check that needs a user who
// has signed in and consented: its first authorization (confidential client,
// PKCE S256) and the session's cookies, which let plain HTTP probes act as
// that user without another trip through the browser.
type loggedIn struct {
	sess    *driver.Session
	first   *codeGrant
	cookies []*http.Cookie
	// The first code is redeemed at once (codes are short-lived) with the
	// correct verifier; the token endpoint checks judge this exchange.
	token    *oauth2.Token
	tokenX   *harness.Exchange
	tokenErr error
	// controls are the positive controls' answers (landing.go).
	controlMu sync.Mutex
	controls  map[string]*landing
	// codes are the confidential client's codes seen so far in the run
	// (CODE-06 samples them instead of asking for new ones).
	codes codePool
	// refreshTokens are the confidential client's refresh tokens from the
	// grants made so far (RT-08 samples them first).
	refreshTokens codePool
}

// codePool collects distinct authorization codes.
type codePool struct {
	mu   sync.Mutex
	seen map[string]bool
	list []string
}

func (p *codePool) add(code string) {
	if code == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if !p.seen[code] {
		p.seen[code] = true
		p.list = append(p.list, code)
	}
}

func (p *codePool) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.list...)
}

var shared struct {
	mu    sync.Mutex
	login *loggedIn
	err   error
}

// errNoConfidential is the reason checks that need the shared login skip.
var errNoConfidential = errors.New("the profile has no confidential client")

// sharedLogin logs in once per process (top-level containers run in random
// order, so whoever comes first does it) and returns the same login after.
// The session lives until the browser closes.
func sharedLogin(ctx context.Context) (*loggedIn, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.login != nil || shared.err != nil {
		return shared.login, shared.err
	}
	client := env.Profile.Clients.Confidential
	if client == nil {
		shared.err = errNoConfidential
		return nil, shared.err
	}
	sess, err := env.NewSession(ctx)
	if err != nil {
		shared.err = err
		return nil, err
	}
	// The first grant is kept even when it carries no usable code: the
	// checks of the authorization response judge what came back.
	first, err := authorizeCode(ctx, sess, client, true)
	shared.login = &loggedIn{sess: sess, first: first}
	if err != nil {
		shared.err = err
		return shared.login, err
	}
	l := shared.login
	l.codes.add(first.code)
	l.token, l.tokenX, l.tokenErr = exchange(ctx, client, first.code, oauth2.VerifierOption(first.verifier))
	// The public client's consent is given once in the browser too, so that
	// its later requests can go over plain HTTP. The login steps skip ahead
	// to whatever page the provider shows a signed-in user.
	if public := env.Profile.Clients.Public; public != nil {
		if _, err := authorizeCode(ctx, sess, public, true); err != nil {
			shared.err = fmt.Errorf("the public client's first authorization: %w", err)
			return shared.login, shared.err
		}
	}
	if shared.login.cookies, err = sess.Cookies(ctx); err != nil {
		shared.err = err
	}
	return shared.login, shared.err
}

// isolatedLogin is a login of the confidential client in a session of its
// own, for a check that makes the provider revoke what a session holds (a
// replayed code revokes its grant, RFC 6749 §4.1.2 — some providers take the
// user's consent with it), so that the shared login stays usable. Its first
// code is already redeemed; the session closes when the check ends.
func isolatedLogin(ctx context.Context) (*loggedIn, error) {
	client := env.Profile.Clients.Confidential
	if client == nil {
		return nil, errNoConfidential
	}
	sess, err := env.NewSession(ctx)
	if err != nil {
		return nil, err
	}
	DeferCleanup(func() { _ = sess.Close() })
	first, err := authorizeCode(ctx, sess, client, true)
	if err != nil {
		return nil, err
	}
	l := &loggedIn{sess: sess, first: first}
	l.token, l.tokenX, l.tokenErr = exchange(ctx, client, first.code, oauth2.VerifierOption(first.verifier))
	if l.tokenErr == nil {
		if raw, _ := l.token.Extra("id_token").(string); raw != "" {
			if _, claims, ok := harness.JWTParts(raw); ok {
				loginSubs.add(stringField(claims, "sub"))
			}
		}
	}
	return l, nil
}

// loginSubs are the ID Tokens' subs of the isolated logins so far: each a
// sign-in of the user apart from the shared login's (TF-16 compares them).
var loginSubs subPool

// subPool collects subject identifiers, in order, repeats included.
type subPool struct {
	mu   sync.Mutex
	subs []string
}

func (p *subPool) add(sub string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.subs = append(p.subs, sub)
}

func (p *subPool) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.subs...)
}

// attempt is a request that a property check and its error-code check both
// judge (RFC 6749 §5.2: a refusal is the property; which error it carries is
// a separate, interoperability check). The first check of a container to
// ask sends it; the other reads the same answer. A skip inside try leaves it
// unsent, so the next check tries (and skips) again.
type attempt struct {
	done bool
	x    *harness.Exchange
	err  error
}

func (a *attempt) get(try func() (*harness.Exchange, error)) (*harness.Exchange, error) {
	GinkgoHelper()
	if !a.done {
		a.x, a.err = try()
		a.done = true
	}
	return a.x, a.err
}
