package driver

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-rod/rod/lib/proto"
)

// SentRequest is one HTTP request the browser sent while an authorization
// ran (Result.Requests): the page's own navigations and everything its
// documents loaded — images, scripts, styles, frames, XHR — each redirect
// hop a request of its own.
//
// It is the evidence RFC 9700 §4.2.2 asks for: a page of the authorization
// server that loads a resource from another origin hands it the page's URL
// — the authorization request, state and PKCE challenge included — in the
// Referer header, unless a referrer policy suppresses it (§4.2.4).
type SentRequest struct {
	// URL is the request URL; a fragment the page named is appended,
	// although Chromium never sends it.
	URL    string `json:"url"`
	Method string `json:"method"`
	// Type is Chromium's resource type: "Document", "Image", "Script",
	// "Stylesheet", "XHR", "Fetch", ...
	Type string `json:"type"`
	// TopLevel marks a navigation of the page itself; a frame's document or
	// a subresource is not top-level.
	TopLevel bool `json:"top_level"`
	// Referer is the Referer header the browser sent ("" when the referrer
	// policy suppressed it); ReferrerPolicy the policy it applied.
	Referer        string `json:"referer,omitempty"`
	ReferrerPolicy string `json:"referrer_policy,omitempty"`
	// DocumentURL is the URL of the document the request was made for.
	DocumentURL string `json:"document_url,omitempty"`
}

// Origin is the origin (scheme://host[:port], RFC 6454) of the request URL,
// or "" when the URL does not parse or has none (data:, blob:).
func (r SentRequest) Origin() string { return OriginOf(r.URL) }

// OriginOf returns the origin (scheme://host[:port]) of rawURL, lower-cased,
// with a default port left out; "" when rawURL has no host.
func OriginOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname())
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// sentRequest converts a Network.requestWillBeSent event of the page whose
// main frame is mainFrame.
func sentRequest(e *proto.NetworkRequestWillBeSent, mainFrame proto.PageFrameID) SentRequest {
	r := SentRequest{
		URL:            e.Request.URL + e.Request.URLFragment,
		Method:         e.Request.Method,
		Type:           string(e.Type),
		TopLevel:       e.Type == proto.NetworkResourceTypeDocument && e.FrameID == mainFrame,
		ReferrerPolicy: string(e.Request.ReferrerPolicy),
		DocumentURL:    e.DocumentURL,
	}
	// Chromium reports the Referer it attaches among the request headers;
	// header names arrive in the case it sends them.
	for k, v := range e.Request.Headers {
		if http.CanonicalHeaderKey(k) == "Referer" {
			r.Referer = v.String()
		}
	}
	return r
}
