// Package discovery finds an authorization server's metadata from its issuer
// identifier: OAuth 2.0 Authorization Server Metadata (RFC 8414) first, then
// OpenID Connect Discovery 1.0.
//
// The two specifications build the document's URL differently when the
// issuer has a path. RFC 8414 §3.1: "any terminating "/" MUST be removed
// before inserting "/.well-known/" and the well-known URI suffix between the
// host component and the path component"; OpenID Connect Discovery §4:
// "concatenating the string /.well-known/openid-configuration to the Issuer"
// (after removing a terminating "/"). RFC 8414 §5 notes that OpenID
// providers may also be found by the inserted form. Each form is tried.
package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Well-known URI suffixes (RFC 8414 §3, OpenID Connect Discovery §4).
const (
	OAuthSuffix  = "oauth-authorization-server"
	OpenIDSuffix = "openid-configuration"
)

// maxBody bounds the metadata document read.
const maxBody = 1 << 20

// Document is a metadata document as served, and where it came from.
type Document struct {
	URL      string
	Metadata map[string]any
}

// Candidates lists the metadata URLs for issuer in the order they are tried:
//
//  1. RFC 8414: /.well-known/oauth-authorization-server inserted before the path;
//  2. OpenID Connect Discovery: /.well-known/openid-configuration appended;
//  3. /.well-known/openid-configuration inserted before the path (RFC 8414 §5);
//  4. /.well-known/oauth-authorization-server appended, which some servers
//     with a path in their issuer serve despite RFC 8414.
//
// Without a path the inserted and appended forms coincide and are listed once.
func Candidates(issuer string) ([]string, error) {
	u, err := url.Parse(issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discovery: issuer %q is not an absolute http(s) URL", issuer)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		// RFC 8414 §2: the issuer has "no query or fragment components".
		return nil, fmt.Errorf("discovery: issuer %q has a query or fragment", issuer)
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	origin := u.Scheme + "://" + u.Host
	inserted := func(suffix string) string { return origin + "/.well-known/" + suffix + path }
	appended := func(suffix string) string { return origin + path + "/.well-known/" + suffix }
	var out []string
	for _, c := range []string{inserted(OAuthSuffix), appended(OpenIDSuffix), inserted(OpenIDSuffix), appended(OAuthSuffix)} {
		if !contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Fetch GETs each candidate URL in order with client and returns the first
// that answers 200 with a JSON object. The error, when none does, names
// every URL tried and what it answered.
func Fetch(ctx context.Context, client *http.Client, issuer string) (*Document, error) {
	urls, err := Candidates(issuer)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, u := range urls {
		doc, err := getJSON(ctx, client, u)
		if err == nil {
			return &Document{URL: u, Metadata: doc}, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// StatusError is a candidate URL that answered a status other than 200.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string { return fmt.Sprintf("GET %s: status %d", e.URL, e.Status) }

// NotPublished reports whether err, from Fetch, says only that the issuer
// publishes no metadata: every candidate URL answered 404 or 410. A
// timeout, a 5xx, an HTML or malformed answer is not that: the document
// may exist and the harness could not read it.
func NotPublished(err error) bool {
	if err == nil {
		return false
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var se *StatusError
		if !errors.As(e, &se) || (se.Status != http.StatusNotFound && se.Status != http.StatusGone) {
			return false
		}
	}
	return len(errs) > 0
}

func getJSON(ctx context.Context, client *http.Client, u string) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{URL: u, Status: resp.StatusCode}
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || doc == nil {
		return nil, fmt.Errorf("GET %s: not a JSON object", u)
	}
	return doc, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Endpoint is the endpoint given in the profile when there is one (it wins),
// else the metadata's value for key (e.g. "token_endpoint"), else "".
func Endpoint(given string, metadata map[string]any, key string) string {
	if given != "" {
		return given
	}
	s, _ := metadata[key].(string)
	return s
}
