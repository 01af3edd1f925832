package mockserver

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// responseModeFormPost is the OAuth 2.0 Form Post Response Mode: the
// authorization response as a form the browser POSTs to the redirect URI.
const responseModeFormPost = "form_post"

// formPostPage auto-submits the response; without script, its button does.
var formPostPage = template.Must(template.New("form_post").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Continue to the application</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<noscript><button type="submit">Continue</button></noscript>
</form>
</body>
</html>
`))

type formField struct{ Name, Value string }

// respond sends the authorization response loc (a redirect URI with the
// response in its query or fragment) to the client of p: a redirect, or,
// for response_mode=form_post, a page whose form POSTs the response's
// parameters to the redirect URI (OAuth 2.0 Form Post Response Mode §2).
// isError says loc is an error response.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, p *pendingAuth, loc string, isError bool) {
	formPost := p.responseMode == responseModeFormPost
	switch {
	case !formPost:
	case isError && s.has(fault.FormPostErrorRedirected),
		!isError && implicitResponse(p.responseType) && s.has(fault.FormPostImplicitIgnored),
		!isError && p.responseType == responseCodeIDToken && s.has(fault.FormPostHybridIgnored),
		!isError && !fragmentResponse(p.responseType) && s.has(fault.FormPostIgnored):
		// The flaw: response_mode=form_post is ignored.
		formPost = false
	}
	if !formPost {
		http.Redirect(w, r, loc, http.StatusFound)
		return
	}
	fields, err := responseFields(p.redirectURI, loc)
	if err != nil {
		s.errorPage(w, r, "The authorization response could not be built.")
		return
	}
	if s.has(fault.FormPostStateDropped) {
		fields = dropField(fields, "state")
	}
	// The response is meant to be used once: no-store, like every page
	// (setPageHeaders), and nowhere to be kept (§2).
	s.setPageHeaders(w)
	if s.has(fault.FormPostCacheable) {
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Header().Del("Pragma")
	}
	w.WriteHeader(http.StatusOK)
	_ = formPostPage.Execute(w, struct {
		Action string
		Fields []formField
	}{p.redirectURI, fields})
}

// responseFields are the response parameters of loc: those buildRedirect
// added to redirectURI, in the query or the fragment, in name order.
func responseFields(redirectURI, loc string) ([]formField, error) {
	u, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	own := url.Values{}
	if ru, err := url.Parse(redirectURI); err == nil {
		own = ru.Query()
	}
	params := u.Query()
	for k := range own {
		delete(params, k)
	}
	frag, err := url.ParseQuery(u.Fragment)
	if err != nil {
		return nil, err
	}
	for k, v := range frag {
		params[k] = append(params[k], v...)
	}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []formField
	for _, k := range names {
		for _, v := range params[k] {
			out = append(out, formField{k, v})
		}
	}
	return out, nil
}

func dropField(fields []formField, name string) []formField {
	out := fields[:0]
	for _, f := range fields {
		if f.Name != name {
			out = append(out, f)
		}
	}
	return out
}
