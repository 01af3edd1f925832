package mockserver

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"crypto/tls"
	"crypto/x509"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"net"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// conformanceProbes maps every fault to a check that returns true when the
// server behaves correctly for the requirement that fault breaks. Each probe
// runs twice: against a secure server (must pass) and against a server with
// only that fault enabled (must fail).
var conformanceProbes = map[fault.Name]func(t *testing.T, e *env) bool{
	fault.StateDropped: func(t *testing.T, e *env) bool {
		cb := e.codeFlow("web", url.Values{"state": {"keep-me"}})
		return cb.Get("state") == "keep-me"
	},
	fault.IssWrong: func(t *testing.T, e *env) bool {
		return e.codeFlow("web", nil).Get("iss") == e.url
	},
	fault.CodeInFragment: func(t *testing.T, e *env) bool {
		loc := e.browse(e.authorizeURL(url.Values{"response_type": {"code"}, "client_id": {"web"}, "state": {"s"}}))
		q, f := callbackParams(loc)
		return q.Get("code") != "" && !f.Has("code")
	},
	fault.PKCEMethodIgnored: func(t *testing.T, e *env) bool {
		v := oauth2.GenerateVerifier()
		cfg := e.oauthConfig("web", "openid")
		loc := e.browse(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
		_, err := e.exchange(cfg, loc.Query().Get("code"), oauth2.VerifierOption(v))
		return err == nil
	},
	fault.PKCENotVerified: func(t *testing.T, e *env) bool {
		v := oauth2.GenerateVerifier()
		cfg := e.oauthConfig("spa", "openid")
		loc := e.browse(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
		_, err := e.exchange(cfg, loc.Query().Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
		return errCode(err) == "invalid_grant"
	},
	fault.CodeReuse: func(t *testing.T, e *env) bool {
		cfg := e.oauthConfig("web")
		code := e.codeFlow("web", nil).Get("code")
		if _, err := e.exchange(cfg, code); err != nil {
			t.Fatalf("first exchange: %v", err)
		}
		_, err := e.exchange(cfg, code)
		return errCode(err) == "invalid_grant"
	},
	fault.CodeNotClientBound: func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		_, err := e.exchange(e.oauthConfig("web2"), code)
		return errCode(err) == "invalid_grant"
	},
	fault.CodeOtherClientWrongError: func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		_, err := e.exchange(e.oauthConfig("web2"), code)
		return errCode(err) == "invalid_grant"
	},
	fault.RedirectMismatchWrongError: func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		cfg := e.oauthConfig("web")
		cfg.RedirectURL = DefaultRedirectURI + "-other"
		_, err := e.exchange(cfg, code)
		return errCode(err) == "invalid_grant"
	},
	fault.RedirectURINotCheckedAtToken: func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		cfg := e.oauthConfig("web")
		cfg.RedirectURL = "https://attacker.example.test/callback"
		_, err := e.exchange(cfg, code)
		return errCode(err) == "invalid_grant"
	},
	fault.TokenTypeWrong: func(t *testing.T, e *env) bool {
		_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		return m["token_type"] == "Bearer"
	},
	fault.NoExpiresIn: func(t *testing.T, e *env) bool {
		_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		n, ok := m["expires_in"].(float64)
		return ok && n > 0
	},
	fault.TokenPragmaMissing: func(t *testing.T, e *env) bool {
		resp, _ := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		return resp.Header.Get("Cache-Control") == "no-store" && resp.Header.Get("Pragma") == "no-cache"
	},
	fault.NoCacheHeaders: func(t *testing.T, e *env) bool {
		resp, _ := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		bad, _ := e.token("svc", url.Values{"grant_type": {"nope"}})
		return resp.Header.Get("Cache-Control") == "no-store" && resp.Header.Get("Pragma") == "no-cache" &&
			bad.Header.Get("Cache-Control") == "no-store" && bad.Header.Get("Pragma") == "no-cache"
	},
	fault.TokenInQuery: func(t *testing.T, e *env) bool {
		loc := e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {"s"}}))
		q, f := callbackParams(loc)
		return f.Get("access_token") != "" && !q.Has("access_token")
	},
	fault.ImplicitRefreshToken: func(t *testing.T, e *env) bool {
		loc := e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {"s"}}))
		_, f := callbackParams(loc)
		if f.Get("access_token") == "" {
			t.Fatalf("no access token: %v", f)
		}
		return !f.Has("refresh_token")
	},
	fault.BasicAuthNotFormDecoded: func(t *testing.T, e *env) bool {
		_, err := e.ccConfig().Token(e.ctx())
		return err == nil
	},
	fault.WrongSecretWrongError: func(t *testing.T, e *env) bool {
		basic, mb := e.post("/token", "svc", e.sec.Service+"x", url.Values{"grant_type": {"client_credentials"}})
		post, mp := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"wrong"}})
		return basic.StatusCode == 401 && mb["error"] == "invalid_client" && post.StatusCode == 401 && mp["error"] == "invalid_client"
	},
	fault.AcceptWrongSecret: func(t *testing.T, e *env) bool {
		resp, _ := e.post("/token", "svc", e.sec.Service+"x", url.Values{"grant_type": {"client_credentials"}})
		post, _ := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"wrong"}})
		return resp.StatusCode == 401 && post.StatusCode == 401
	},
	fault.InvalidClientStatus400: func(t *testing.T, e *env) bool {
		resp, m := e.post("/token", "svc", "wrong", url.Values{"grant_type": {"client_credentials"}})
		if m["error"] != "invalid_client" {
			t.Fatalf("error %v", m["error"])
		}
		return resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == `Basic realm="mockserver"`
	},
	fault.CCRefreshToken: func(t *testing.T, e *env) bool {
		tok, err := e.ccConfig("api.read").Token(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		return tok.RefreshToken == ""
	},
	fault.MetadataIssuerMismatch: func(t *testing.T, e *env) bool {
		_, body := e.get("/.well-known/oauth-authorization-server")
		var md struct {
			Issuer string `json:"issuer"`
		}
		if err := json.Unmarshal([]byte(body), &md); err != nil {
			t.Fatal(err)
		}
		return md.Issuer == e.url
	},

	// Redirect URI matching: the lenient matchers are probed with the URIs in
	// lenientRedirects; the two other redirect faults need their own probes.
	fault.RedirectURICheckedAfterLogin: func(t *testing.T, e *env) bool {
		// No session yet: the secure server shows the error page, not a login.
		return isErrorPage(e.get(e.authorizeURL(webAuthz("redirect_uri", "https://attacker.example/callback"))))
	},
	fault.RedirectURIDefaultFirst: func(t *testing.T, e *env) bool {
		// web2 registers two redirect URIs: a request without one is an error page.
		params := url.Values{"response_type": {"code"}, "client_id": {"web2"}, "state": {"s"}, "scope": {"openid"}}
		return isErrorPage(e.get(e.authorizeURL(params)))
	},
	fault.RedirectURIOpenOnError: func(t *testing.T, e *env) bool {
		return isErrorPage(e.get(e.authorizeURL(webAuthz("redirect_uri", "https://attacker.example/callback", "response_type", "bogus"))))
	},

	// Authorization responses.
	fault.StateTruncated: func(t *testing.T, e *env) bool {
		long := strings.Repeat("0123456789abcdef", 130) // 2080 characters
		return e.codeFlow("web", url.Values{"state": {long}}).Get("state") == long
	},
	fault.IssNotAdvertised: func(t *testing.T, e *env) bool {
		return e.metadata()["authorization_response_iss_parameter_supported"] == true
	},
	fault.UnknownResponseTypeWrongError: func(t *testing.T, e *env) bool {
		return e.authzError(webAuthz("response_type", "bogus")).Get("error") == "unsupported_response_type"
	},
	fault.ResponseTypeLenient: func(t *testing.T, e *env) bool {
		return e.authzError(webAuthz("response_type", "")).Get("error") == "invalid_request" &&
			e.authzError(webAuthz("response_type", "bogus")).Get("error") == "unsupported_response_type"
	},
	fault.UnknownParamRejected: func(t *testing.T, e *env) bool {
		p := webAuthz("foo", "bar")
		p.Set("x-custom", "1")
		q, _ := callbackParams(e.browse(e.authorizeURL(p)))
		return q.Get("code") != "" && q.Get("state") == "xyz"
	},
	fault.DuplicateParamsAccepted: func(t *testing.T, e *env) bool {
		dupState := webAuthz()
		dupState["state"] = []string{"a", "b"}
		dupRedirect := webAuthz()
		dupRedirect["redirect_uri"] = []string{DefaultRedirectURI, DefaultRedirectURI}
		return e.authzError(dupState).Get("error") == "invalid_request" && isErrorPage(e.get(e.authorizeURL(dupRedirect)))
	},
	fault.CodeInErrorResponse: func(t *testing.T, e *env) bool {
		got := e.authzError(webAuthz("scope", "admin"))
		return got.Get("error") == "invalid_scope" && !got.Has("code")
	},
	fault.ErrorStateDropped: func(t *testing.T, e *env) bool {
		return e.authzError(webAuthz("scope", "admin")).Get("state") == "xyz"
	},
	fault.ErrorCodeUnregistered: func(t *testing.T, e *env) bool {
		return e.authzError(webAuthz("scope", "admin")).Get("error") == "invalid_scope"
	},
	fault.DenyWrongError: func(t *testing.T, e *env) bool {
		return e.browseDecision(e.authorizeURL(webAuthz()), "deny").Query().Get("error") == "access_denied"
	},
	fault.LoginRedirect307: func(t *testing.T, e *env) bool {
		_, body := e.get(e.authorizeURL(webAuthz()))
		resp, _ := e.postForm("/login", url.Values{"req": {pendingID(t, body)}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
		return resp.StatusCode == http.StatusSeeOther
	},

	// Codes.
	fault.CodeReuseKeepsTokens: func(t *testing.T, e *env) bool {
		cfg := e.oauthConfig("web")
		code := e.codeFlow("web", nil).Get("code")
		tok, err := e.exchange(cfg, code)
		if err != nil {
			t.Fatalf("first exchange: %v", err)
		}
		if _, err := e.exchange(cfg, code); errCode(err) != "invalid_grant" {
			t.Fatalf("second exchange: %v", err)
		}
		resp, _ := e.me(tok.AccessToken)
		return resp.StatusCode == http.StatusUnauthorized
	},
	fault.CodeLongLived: func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		e.clock.Advance(61 * time.Second)
		_, err := e.exchange(e.oauthConfig("web"), code)
		return errCode(err) == "invalid_grant"
	},
	fault.WeakCodes: func(t *testing.T, e *env) bool {
		a, b := e.codeFlow("web", nil).Get("code"), e.codeFlow("web", nil).Get("code")
		// 128 bits at least (RFC 6749 §10.10): 22 base64url characters.
		return a != b && len(a) >= 22 && len(b) >= 22
	},

	// PKCE.
	fault.PKCEVerifierOptional: func(t *testing.T, e *env) bool {
		v := oauth2.GenerateVerifier()
		code := e.codeFlow("web", url.Values{"code_challenge": {s256(v)}, "code_challenge_method": {"S256"}}).Get("code")
		_, m := e.redeem(code)
		return m["error"] == "invalid_grant"
	},
	fault.PKCEDowngradeAccepted: func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		_, m := e.redeem(code, "code_verifier", oauth2.GenerateVerifier())
		return m["error"] == "invalid_grant"
	},
	fault.PKCEPlainAllowed: func(t *testing.T, e *env) bool {
		v := oauth2.GenerateVerifier()
		methods, _ := e.metadata()["code_challenge_methods_supported"].([]any)
		return len(methods) == 1 && methods[0] == "S256" &&
			e.authzError(webAuthz("code_challenge", v, "code_challenge_method", "plain")).Get("error") == "invalid_request" &&
			e.authzError(webAuthz("code_challenge", v)).Get("error") == "invalid_request"
	},
	fault.PKCENotRequiredPublic: func(t *testing.T, e *env) bool {
		return e.authzError(webAuthz("client_id", "spa")).Get("error") == "invalid_request"
	},
	fault.PKCEShortVerifierAccepted: func(t *testing.T, e *env) bool {
		// Each verifier matches its challenge; only its syntax is wrong.
		for _, v := range []string{"short", strings.Repeat("a", 42) + "+", strings.Repeat("b", 129)} {
			code := e.codeFlow("web", url.Values{"code_challenge": {s256(v)}, "code_challenge_method": {"S256"}}).Get("code")
			if _, m := e.redeem(code, "code_verifier", v); m["error"] != "invalid_grant" {
				return false
			}
		}
		return true
	},
	fault.PKCEUnknownMethodAsPlain: func(t *testing.T, e *env) bool {
		return e.authzError(webAuthz("code_challenge", oauth2.GenerateVerifier(), "code_challenge_method", "S512")).Get("error") == "invalid_request"
	},

	// Implicit grant.
	fault.ImplicitOffered: func(t *testing.T, e *env) bool {
		// RFC 9700 §2.1.2: the client registered for it gets no token either,
		// and the metadata does not claim the grant.
		for _, rt := range []string{"token", "id_token token"} {
			resp, _ := e.get(e.authorizeURL(url.Values{"response_type": {rt}, "client_id": {"legacy-spa"}, "scope": {"openid"}, "nonce": {"n"}, "state": {"s"}}))
			loc, _ := url.Parse(resp.Header.Get("Location"))
			q, f := callbackParams(loc)
			if resp.StatusCode != http.StatusFound || len(q) != 0 || f.Get("error") != "unsupported_response_type" {
				return false
			}
		}
		md := e.metadata()
		return !listHas(md["response_types_supported"], "token") && !listHas(md["response_types_supported"], "id_token token") &&
			!listHas(md["grant_types_supported"], "implicit")
	},
	fault.ImplicitStateDropped: func(t *testing.T, e *env) bool {
		return e.implicitToken().Get("state") == "s"
	},
	fault.ImplicitTokenTypeWrong: func(t *testing.T, e *env) bool {
		return e.implicitToken().Get("token_type") == "Bearer"
	},
	fault.ImplicitNoExpiresIn: func(t *testing.T, e *env) bool {
		return e.implicitToken().Get("expires_in") == "600"
	},
	fault.ImplicitAnyClient: func(t *testing.T, e *env) bool {
		resp, _ := e.get(e.authorizeURL(webAuthz("response_type", "token")))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		q, f := callbackParams(loc)
		return resp.StatusCode == http.StatusFound && len(q) == 0 && !f.Has("access_token") &&
			(f.Get("error") == "unsupported_response_type" || f.Get("error") == "unauthorized_client")
	},
	fault.ConsentCSRF: func(t *testing.T, e *env) bool {
		// Alice signs in (consenting to web), then a request of web2 waits
		// on its consent page; a decision posted without the page's req
		// value must approve nothing.
		e.browse(e.authorizeURL(webAuthz()))
		resp, _ := e.get(e.authorizeURL(webAuthz("client_id", "web2")))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("web2 authorization: status %d, want 303 to the consent page", resp.StatusCode)
		}
		if resp, body := e.get(resp.Header.Get("Location")); resp.StatusCode != http.StatusOK {
			t.Fatalf("consent page: status %d\n%s", resp.StatusCode, body)
		}
		resp, _ = e.postForm("/consent", url.Values{"decision": {"approve"}})
		loc, _ := url.Parse(resp.Header.Get("Location"))
		return resp.StatusCode != http.StatusFound || loc.Query().Get("code") == ""
	},
	fault.CodeAnyClient: func(t *testing.T, e *env) bool {
		// legacy-spa registers the token response types only.
		v := url.Values{"response_type": {"code"}, "client_id": {"legacy-spa"}, "redirect_uri": {DefaultRedirectURI}, "state": {"s"},
			"code_challenge": {s256(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"}}
		resp, _ := e.get(e.authorizeURL(v))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		return resp.StatusCode == http.StatusFound && loc.Query().Get("error") != "" && loc.Query().Get("code") == ""
	},
	fault.ImplicitErrorInQuery: func(t *testing.T, e *env) bool {
		// Probed with implicit_offered on (implied): a code-only client's
		// response_type=token is refused in the fragment.
		resp, _ := e.get(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"web"}, "state": {"s"}}))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		q, f := callbackParams(loc)
		return resp.StatusCode == http.StatusFound && len(q) == 0 && f.Get("error") != ""
	},

	// Query-token responses not cacheable, hybrid response types that return tokens.
	fault.ResourceQueryResponseCacheable: func(t *testing.T, e *env) bool {
		// Probed with resource_query_token_accepted on (implied): the
		// success answer keeps a cache from storing it (RFC 6750 §2.3).
		resp, _ := e.do(http.MethodGet, "/api/me?access_token="+url.QueryEscape(e.ccAccess()), "", "", nil)
		cc := strings.ToLower(resp.Header.Get("Cache-Control"))
		return resp.StatusCode == http.StatusOK && (strings.Contains(cc, "private") || strings.Contains(cc, "no-store"))
	},
	fault.HybridTokenOffered: func(t *testing.T, e *env) bool {
		// RFC 9700 §2.1.2: no hybrid response type issues an access token
		// in the authorization response, to the web client either.
		for _, rt := range []string{"code token", "token code", "code id_token token"} {
			loc := e.browse(e.authorizeURL(webAuthz("response_type", rt, "scope", "openid", "nonce", "n")))
			q, f := callbackParams(loc)
			if q.Has("access_token") || f.Has("access_token") || q.Get("error") != "unsupported_response_type" {
				return false
			}
		}
		return true
	},

	// Token endpoint protocol.
	fault.TokenErrorStatus200: func(t *testing.T, e *env) bool {
		resp, m := e.redeem("not-a-code")
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_grant"
	},
	fault.UnsupportedGrantAsInvalidRequest: func(t *testing.T, e *env) bool {
		resp, m := e.token("svc", url.Values{"grant_type": {"urn:example:unknown"}})
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "unsupported_grant_type"
	},
	fault.MissingParamWrongError: func(t *testing.T, e *env) bool {
		resp, m := e.token("web", url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {DefaultRedirectURI}})
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_request"
	},
	fault.TokenGetAllowed: func(t *testing.T, e *env) bool {
		resp, _ := e.do(http.MethodGet, "/token?grant_type=client_credentials", "svc", e.sec.Service, nil)
		return resp.StatusCode == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "POST"
	},
	fault.TokenUnknownParamRejected: func(t *testing.T, e *env) bool {
		resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}, "x-oauthconform-unknown": {"1"}})
		return resp.StatusCode == http.StatusOK && m["access_token"] != nil
	},
	fault.TokenDuplicateParamsAccepted: func(t *testing.T, e *env) bool {
		resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials", "client_credentials"}})
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_request"
	},

	// Access tokens.
	fault.TokenNonVschar: func(t *testing.T, e *env) bool {
		return isVSCHAR(e.ccAccess())
	},
	fault.WeakAccessTokens: func(t *testing.T, e *env) bool {
		a, b := e.ccAccess(), e.ccAccess()
		_, ca, okA := decodeJWT(a)
		_, cb, okB := decodeJWT(b)
		// Signed JWTs whose jti has at least 128 bits.
		return okA && okB && a != b && len(ca["jti"].(string)) >= 22 && ca["jti"] != cb["jti"]
	},
	fault.LongLivedAccessTokens: func(t *testing.T, e *env) bool {
		_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		n, _ := m["expires_in"].(float64)
		_, c, ok := decodeJWT(m["access_token"].(string))
		exp, _ := c["exp"].(float64)
		iat, _ := c["iat"].(float64)
		return ok && n > 0 && n <= 3600 && exp-iat <= 3600
	},

	// Client authentication at the token endpoint.
	fault.PublicClientIDOptional: func(t *testing.T, e *env) bool {
		code, v := e.spaCode()
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {DefaultRedirectURI}, "code_verifier": {v}})
		return (resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_request") ||
			(resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client")
	},
	fault.BasicAuthRejected: func(t *testing.T, e *env) bool {
		resp, _ := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		return resp.StatusCode == http.StatusOK
	},
	fault.PostAuthRejected: func(t *testing.T, e *env) bool {
		resp, _ := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {e.sec.Service}})
		return resp.StatusCode == http.StatusOK
	},
	fault.MissingSecretWrongError: func(t *testing.T, e *env) bool {
		_, m := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}})
		return m["error"] == "invalid_client"
	},
	fault.MissingSecretAccepted: func(t *testing.T, e *env) bool {
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}})
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},
	fault.QueryCredentialsAccepted: func(t *testing.T, e *env) bool {
		q := url.Values{"client_id": {"svc"}, "client_secret": {e.sec.Service}}
		resp, m := e.post("/token?"+q.Encode(), "", "", url.Values{"grant_type": {"client_credentials"}})
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},
	fault.MultipleAuthMethodsAccepted: func(t *testing.T, e *env) bool {
		resp, m := e.post("/token", "svc", e.sec.Service, url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {e.sec.Service}})
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_request"
	},

	// Client credentials grant.
	fault.CCPublicAllowed: func(t *testing.T, e *env) bool {
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"spa"}})
		return (resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client") ||
			(resp.StatusCode == http.StatusBadRequest && m["error"] == "unauthorized_client")
	},
	fault.CCAnyConfidentialClient: func(t *testing.T, e *env) bool {
		// web is registered for authorization_code and refresh_token only.
		resp, m := e.token("web", url.Values{"grant_type": {"client_credentials"}})
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "unauthorized_client"
	},
	fault.CCScopeUnchecked: func(t *testing.T, e *env) bool {
		resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}, "scope": {"api.read oauthconform.not-registered"}})
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_scope"
	},

	// JWT access tokens and the JWKS.
	fault.AtTypJWT: func(t *testing.T, e *env) bool {
		h, _ := e.ownClaims()
		return h.ExtraHeaders[jose.HeaderType] == "at+jwt"
	},
	fault.AtMissingJTI: func(t *testing.T, e *env) bool {
		_, c := e.ownClaims()
		jti, _ := c["jti"].(string)
		return jti != ""
	},
	fault.AtWrongIss: func(t *testing.T, e *env) bool {
		_, c := e.ownClaims()
		return c["iss"] == e.url
	},
	fault.AtSignedWithUnpublishedKey: func(t *testing.T, e *env) bool {
		return e.verifiesWithJWKS(e.ccAccess())
	},
	fault.AtAlgNone: func(t *testing.T, e *env) bool {
		h, _ := e.ownClaims()
		return h.Algorithm == "RS256" && e.verifiesWithJWKS(e.ccAccess())
	},
	fault.JWKSPrivateKey: func(t *testing.T, e *env) bool {
		keys, _ := e.jwks()
		for _, k := range keys {
			for _, p := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
				if _, ok := k[p]; ok {
					return false
				}
			}
		}
		return len(keys) > 0
	},
	fault.JWKSSymmetricKey: func(t *testing.T, e *env) bool {
		keys, _ := e.jwks()
		for _, k := range keys {
			if k["kty"] == "oct" {
				return false
			}
		}
		return len(keys) > 0
	},

	// Protected resource.
	fault.ResourceRejectsHeader: func(t *testing.T, e *env) bool {
		resp, _ := e.me(e.ccAccess())
		return resp.StatusCode == http.StatusOK
	},
	fault.ResourceQueryTokenAccepted: func(t *testing.T, e *env) bool {
		resp, _ := e.do(http.MethodGet, "/api/me?access_token="+url.QueryEscape(e.ccAccess()), "", "", nil)
		return resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized
	},
	fault.ResourceNoWWWAuthenticate: func(t *testing.T, e *env) bool {
		none, _ := e.me("")
		bad, _ := e.me("not-a-token")
		return none.StatusCode == http.StatusUnauthorized && none.Header.Get("WWW-Authenticate") == `Bearer realm="mockserver"` &&
			bearerError(bad)
	},
	fault.ResourceSignatureUnchecked: func(t *testing.T, e *env) bool {
		h, c := e.ownClaims()
		resp, _ := e.me(forgeJWT(t, c, h.KeyID, false))
		return bearerError(resp)
	},
	fault.ResourceAcceptsAlgNone: func(t *testing.T, e *env) bool {
		_, c := e.ownClaims()
		tok, err := unsignedJWT("at+jwt", c)
		if err != nil {
			t.Fatal(err)
		}
		resp, _ := e.me(tok)
		return bearerError(resp)
	},
	fault.ResourceIgnoresRevocation: func(t *testing.T, e *env) bool {
		tok := e.ccAccess()
		if resp, _ := e.post("/revoke", "svc", e.sec.Service, url.Values{"token": {tok}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		resp, _ := e.me(tok)
		return bearerError(resp)
	},
	fault.ResourceInvalidTokenWrongError: func(t *testing.T, e *env) bool {
		bad, _ := e.me("not-a-token")
		expired, _ := e.me(e.expiredAccess())
		return bearerError(bad) && bearerError(expired)
	},
	fault.ResourceAcceptsExpired: func(t *testing.T, e *env) bool {
		resp, _ := e.me(e.expiredAccess())
		return bearerError(resp)
	},
	fault.ResourceTrustsEmbeddedJWK: func(t *testing.T, e *env) bool {
		_, c := e.ownClaims()
		resp, _ := e.me(forgeJWT(t, c, "", true))
		return bearerError(resp)
	},

	// Refresh tokens.
	fault.RefreshNoCacheHeaders: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		resp, m := e.refresh("web", rt)
		if resp.StatusCode != http.StatusOK || m["access_token"] == nil {
			t.Fatalf("refresh: %d %v", resp.StatusCode, m)
		}
		return resp.Header.Get("Cache-Control") == "no-store" && resp.Header.Get("Pragma") == "no-cache"
	},
	fault.RefreshNotClientBound: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		return isInvalidGrant(e.refresh("web2", rt))
	},
	fault.RefreshWithoutAuth: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"web"}})
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},
	fault.RefreshNoRotation: func(t *testing.T, e *env) bool {
		_, rt := e.spaGrant()
		resp, m := e.refresh("spa", rt)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("refresh: %d %v", resp.StatusCode, m)
		}
		next, _ := m["refresh_token"].(string)
		return next != "" && next != rt && isInvalidGrant(e.refresh("spa", rt))
	},
	fault.RefreshReuseNotDetected: func(t *testing.T, e *env) bool {
		_, rt := e.spaGrant()
		_, m := e.refresh("spa", rt)
		next, _ := m["refresh_token"].(string)
		if next == "" || next == rt {
			t.Fatalf("no rotation: %v", m)
		}
		if !isInvalidGrant(e.refresh("spa", rt)) {
			t.Fatal("the rotated-out refresh token still works")
		}
		return isInvalidGrant(e.refresh("spa", next))
	},
	fault.RefreshScopeBroadened: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant() // granted: api.read openid
		a, ma := e.refresh("web", rt, "scope", "api.read openid oauthconform.broader")
		b, mb := e.refresh("web", rt, "scope", "openid email")
		return a.StatusCode == http.StatusBadRequest && ma["error"] == "invalid_scope" &&
			b.StatusCode == http.StatusBadRequest && mb["error"] == "invalid_scope"
	},
	fault.RefreshGracePeriod: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		if resp, m := e.refresh("web", rt); resp.StatusCode != http.StatusOK {
			t.Fatalf("refresh: %d %v", resp.StatusCode, m)
		}
		return isInvalidGrant(e.refresh("web", rt))
	},
	fault.WeakRefreshTokens: func(t *testing.T, e *env) bool {
		// 256 bits, base64url: 43 characters.
		re := regexp.MustCompile(`^[A-Za-z0-9_-]{43,}$`)
		_, a := e.webGrant()
		_, b := e.webGrant()
		return a != b && re.MatchString(a) && re.MatchString(b)
	},
	fault.RefreshNonVschar: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		return isVSCHAR(rt)
	},
	fault.RefreshPublicRefused: func(t *testing.T, e *env) bool {
		_, rt := e.spaGrant()
		resp, m := e.refresh("spa", rt)
		return resp.StatusCode == http.StatusOK && m["access_token"] != nil
	},

	// Revocation.
	fault.RevocationIgnoredRefresh: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt, "token_type_hint", "refresh_token"); resp.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		return isInvalidGrant(e.refresh("web", rt))
	},
	fault.RevocationIgnoredAccess: func(t *testing.T, e *env) bool {
		at, _ := e.webGrant()
		if resp, _ := e.revoke("web", at, "token_type_hint", "access_token"); resp.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		me, _ := e.me(at)
		return e.introspect(at)["active"] == false && me.StatusCode == http.StatusUnauthorized
	},
	fault.RevocationKeepsAccessTokens: func(t *testing.T, e *env) bool {
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt); resp.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		me, _ := e.me(at)
		return e.introspect(at)["active"] == false && me.StatusCode == http.StatusUnauthorized
	},
	fault.RevocationUnauthenticated: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		a, ma := e.post("/revoke", "", "", url.Values{"token": {rt}, "client_id": {"web"}})
		b, mb := e.post("/revoke", "", "", url.Values{"token": {rt}})
		refused := a.StatusCode == http.StatusUnauthorized && ma["error"] == "invalid_client" &&
			b.StatusCode == http.StatusUnauthorized && mb["error"] == "invalid_client"
		resp, _ := e.refresh("web", rt)
		return refused && resp.StatusCode == http.StatusOK
	},
	fault.RevocationAnyClient: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		resp, m := e.revoke("web2", rt)
		still, _ := e.refresh("web", rt)
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "unauthorized_client" && still.StatusCode == http.StatusOK
	},
	fault.RevocationUnknownTokenError: func(t *testing.T, e *env) bool {
		resp, _ := e.revoke("web", "oauthconform-unknown-token")
		return resp.StatusCode == http.StatusOK
	},
	fault.RevocationHintStrict: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		at, _ := e.webGrant()
		a, _ := e.revoke("web", rt, "token_type_hint", "access_token")
		b, _ := e.revoke("web", at, "token_type_hint", "refresh_token")
		return a.StatusCode == http.StatusOK && b.StatusCode == http.StatusOK &&
			isInvalidGrant(e.refresh("web", rt)) && e.introspect(at)["active"] == false
	},
	fault.RevocationGetAllowed: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		resp, _ := e.do(http.MethodGet, "/revoke?"+url.Values{"token": {rt}}.Encode(), "web", e.sec.Web, nil)
		still, _ := e.refresh("web", rt)
		return resp.StatusCode == http.StatusMethodNotAllowed && still.StatusCode == http.StatusOK
	},

	// Introspection.
	fault.IntrospectionActiveString: func(t *testing.T, e *env) bool {
		at, _ := e.webGrant()
		return e.introspect(at)["active"] == true && e.introspect("oauthconform-unknown-token")["active"] == false
	},
	fault.IntrospectionUnauthenticated: func(t *testing.T, e *env) bool {
		at, _ := e.webGrant()
		a, ma := e.post("/introspect", "", "", url.Values{"token": {at}})
		b, mb := e.post("/introspect", "", "", url.Values{"token": {at}, "client_id": {"web"}})
		return a.StatusCode == http.StatusUnauthorized && b.StatusCode == http.StatusUnauthorized &&
			ma["active"] == nil && mb["active"] == nil
	},
	fault.IntrospectionInactiveLeaks: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt); resp.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		for _, tok := range []string{"oauthconform-unknown-token", rt} {
			if m := e.introspect(tok); len(m) != 1 || m["active"] != false {
				return false
			}
		}
		return true
	},
	fault.IntrospectionUnknownTokenError: func(t *testing.T, e *env) bool {
		resp, m := e.post("/introspect", "svc", e.sec.Service, url.Values{"token": {"oauthconform-unknown-token"}})
		return resp.StatusCode == http.StatusOK && m["active"] == false
	},
	fault.IntrospectionIgnoresRevocation: func(t *testing.T, e *env) bool {
		at, rt := e.webGrant()
		if resp, _ := e.revoke("web", rt); resp.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		return e.introspect(rt)["active"] == false && e.introspect(at)["active"] == false
	},
	fault.IntrospectionIgnoresExpiry: func(t *testing.T, e *env) bool {
		return e.introspect(e.expiredAccess())["active"] == false
	},
	fault.IntrospectionWrongClientID: func(t *testing.T, e *env) bool {
		at, rt := e.webGrant()
		return e.introspect(at)["client_id"] == "web" && e.introspect(rt)["client_id"] == "web"
	},
	fault.IntrospectionRefreshUnsupported: func(t *testing.T, e *env) bool {
		_, rt := e.webGrant()
		m := e.introspect(rt)
		return m["active"] == true && m["token_type"] == "refresh_token" && m["client_id"] == "web"
	},
	fault.IntrospectionGetAllowed: func(t *testing.T, e *env) bool {
		at, _ := e.webGrant()
		resp, m := e.do(http.MethodGet, "/introspect?"+url.Values{"token": {at}}.Encode(), "svc", e.sec.Service, nil)
		return resp.StatusCode == http.StatusMethodNotAllowed && m["active"] == nil
	},

	// OpenID Connect ID Tokens.
	fault.IDTokenWrongAud: func(t *testing.T, e *env) bool {
		_, idt := e.codeIDToken("n-aud")
		return idClaims(t, idt)["aud"] == "web"
	},
	fault.IDTokenWrongIss: func(t *testing.T, e *env) bool {
		_, idt := e.codeIDToken("n-iss")
		return idClaims(t, idt)["iss"] == e.url
	},
	fault.IDTokenNonceDropped: func(t *testing.T, e *env) bool {
		_, idt := e.codeIDToken("n-code")
		return idClaims(t, idt)["nonce"] == "n-code"
	},
	fault.IDTokenExpired: func(t *testing.T, e *env) bool {
		_, idt := e.codeIDToken("n-exp")
		c := idClaims(t, idt)
		now := float64(e.clock.Now().Unix())
		iat, _ := c["iat"].(float64)
		exp, _ := c["exp"].(float64)
		return iat <= now && exp > now && exp-iat <= 600
	},
	fault.IDTokenUnpublishedKey: func(t *testing.T, e *env) bool {
		_, idt := e.codeIDToken("n-key")
		return e.verifiesWithJWKS(idt)
	},
	fault.IDTokenNoAtHash: func(t *testing.T, e *env) bool {
		f := e.implicitIDToken(url.Values{"nonce": {"n-hash"}})
		return idClaims(t, f.Get("id_token"))["at_hash"] == leftHalfSHA256(f.Get("access_token"))
	},
	fault.ImplicitNonceOptional: func(t *testing.T, e *env) bool {
		resp, _ := e.get(e.authorizeURL(url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"openid"}, "state": {"s"}}))
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		q, f := callbackParams(loc)
		return resp.StatusCode == http.StatusFound && len(q) == 0 && f.Get("error") == "invalid_request" &&
			!f.Has("access_token") && !f.Has("id_token")
	},

	// Discovery.
	fault.MetadataWrongContentType: func(t *testing.T, e *env) bool {
		resp, _ := e.get("/.well-known/oauth-authorization-server")
		return resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
	},
	fault.MetadataMissingResponseTypes: func(t *testing.T, e *env) bool {
		return listHas(e.metadata()["response_types_supported"], "code")
	},
	fault.MetadataNoPKCEMethods: func(t *testing.T, e *env) bool {
		return listHas(e.metadata()["code_challenge_methods_supported"], "S256")
	},
	fault.MetadataOmitsTokenResponseType: func(t *testing.T, e *env) bool {
		// The implicit grant works, so "token" must be advertised.
		e.implicitToken()
		md := e.metadata()
		return listHas(md["response_types_supported"], "token") && listHas(md["response_types_supported"], "id_token token")
	},

	// Advertised capabilities that do not work, and introspection by a
	// client other than the token's own.
	fault.ClientSecretJWTAdvertisedUnsupported: func(t *testing.T, e *env) bool {
		if !listHas(e.metadata()["token_endpoint_auth_methods_supported"], "client_secret_jwt") {
			t.Fatal("client_secret_jwt is not advertised")
		}
		form := withAssertion(url.Values{"grant_type": {"client_credentials"}}, e.assertion("svc", e.sec.Service, nil))
		resp, _ := e.post("/token", "", "", form)
		return resp.StatusCode == http.StatusOK
	},
	fault.ClientSecretJWTSignatureUnchecked: func(t *testing.T, e *env) bool {
		form := withAssertion(url.Values{"grant_type": {"client_credentials"}}, e.assertion("svc", randomToken(32), nil))
		resp, m := e.post("/token", "", "", form)
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},

	// Client assertions whose claims or signature are not checked: each
	// probe's assertion is otherwise valid for svc, which the secure mock
	// authenticates for client credentials.
	fault.ClientAssertionAudUnchecked: func(t *testing.T, e *env) bool {
		a := e.assertion("svc", e.sec.Service, func(c *jwt.Claims) { c.Audience = jwt.Audience{"https://attacker.example.test/token"} })
		resp, m := e.post("/token", "", "", withAssertion(url.Values{"grant_type": {"client_credentials"}}, a))
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},
	fault.ClientAssertionSubUnchecked: func(t *testing.T, e *env) bool {
		// iss and sub name web, the MAC and client_id are svc's.
		form := withAssertion(url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}}, e.assertion("web", e.sec.Service, nil))
		resp, m := e.post("/token", "", "", form)
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},
	fault.ClientAssertionExpUnchecked: func(t *testing.T, e *env) bool {
		a := e.assertion("svc", e.sec.Service, func(c *jwt.Claims) {
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-15 * time.Minute))
			c.Expiry = jwt.NewNumericDate(time.Now().Add(-10 * time.Minute))
		})
		resp, m := e.post("/token", "", "", withAssertion(url.Values{"grant_type": {"client_credentials"}}, a))
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},
	fault.ClientAssertionAlgNone: func(t *testing.T, e *env) bool {
		resp, m := e.post("/token", "", "", withAssertion(url.Values{"grant_type": {"client_credentials"}}, e.unsignedAssertion("svc")))
		return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
	},

	fault.MetadataAdvertisesUnsupportedGrant: func(t *testing.T, e *env) bool {
		grants, _ := e.metadata()["grant_types_supported"].([]any)
		for _, g := range grants {
			if g == "implicit" {
				continue
			}
			if _, m := e.token("web", url.Values{"grant_type": {g.(string)}}); m["error"] == "unsupported_grant_type" {
				return false
			}
		}
		return len(grants) > 0
	},
	fault.IntrospectionForeignClientClaims: func(t *testing.T, e *env) bool {
		at, _ := e.webGrant()
		resp, m := e.post("/introspect", "web2", e.sec.Web2, url.Values{"token": {at}})
		if resp.StatusCode != http.StatusOK {
			return true // refused: no claims to be wrong
		}
		return m["active"] == false || m["client_id"] == "web"
	},
	fault.JWKSDuplicateKid: func(t *testing.T, e *env) bool {
		keys, _ := e.jwks()
		seen := map[string]bool{}
		for _, k := range keys {
			kid, _ := k["kid"].(string)
			if kid == "" || seen[kid] {
				return false
			}
			seen[kid] = true
		}
		return len(keys) > 0
	},
	fault.PasswordGrantEnabled: func(t *testing.T, e *env) bool {
		if listHas(e.metadata()["grant_types_supported"], "password") {
			return false
		}
		resp, m := e.token("web", url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
		return resp.StatusCode == http.StatusBadRequest && m["error"] == "unsupported_grant_type"
	},

	// Browser-level protections of the authorization pages.
	fault.FrameProtectionMissing: func(t *testing.T, e *env) bool {
		h := e.loginPageHeaders()
		return h.Get("X-Frame-Options") == "DENY" || strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	},
	fault.CSPFrameAncestorsMissing: func(t *testing.T, e *env) bool {
		return strings.Contains(e.loginPageHeaders().Get("Content-Security-Policy"), "frame-ancestors 'none'")
	},
	fault.XFrameOptionsMissing: func(t *testing.T, e *env) bool {
		return e.loginPageHeaders().Get("X-Frame-Options") == "DENY"
	},
	fault.ReferrerPolicyMissing: func(t *testing.T, e *env) bool {
		return e.loginPageHeaders().Get("Referrer-Policy") == "no-referrer"
	},
	fault.AuthorizeCORS: func(t *testing.T, e *env) bool {
		resp := e.authorizeWithOrigin(webAuthz(), "https://attacker.example")
		return resp.StatusCode == http.StatusOK && resp.Header.Get("Access-Control-Allow-Origin") == "" &&
			resp.Header.Get("Access-Control-Allow-Credentials") == ""
	},

	// Browser-level security: the session cookie, CORS at the token
	// endpoint, the authorization request leaking to other origins
	// (helpers in browser_faults_test.go).
	fault.SessionCookieNotHttponly: func(t *testing.T, e *env) bool {
		return e.sessionCookie().HttpOnly
	},
	fault.SessionCookieNoSamesite: func(t *testing.T, e *env) bool {
		c := e.sessionCookie()
		return c.SameSite == http.SameSiteLaxMode || c.SameSite == http.SameSiteStrictMode
	},
	fault.SessionCookieNotSecure: func(t *testing.T, e *env) bool {
		// Secure belongs to an https issuer: the same faults, served as one.
		return httpsSessionCookie(t, fault.Names(e.rs.Faults()), e.sec).Secure
	},
	fault.TokenCORSReflectsOrigin: func(t *testing.T, e *env) bool {
		const origin = "https://attacker.example.test"
		for _, method := range []string{http.MethodOptions, http.MethodPost} {
			if h := e.tokenWithOrigin(method, origin); h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Credentials") != "" {
				return false
			}
		}
		return true
	},
	fault.LoginPageThirdPartyLeak: func(t *testing.T, e *env) bool {
		_, page := e.get(e.authorizeURL(webAuthz()))
		pixel, _ := e.get(strings.Replace(e.url, "127.0.0.1", "localhost", 1) + pixelPath)
		return !strings.Contains(page, "<img") && !strings.Contains(page, `name="referrer"`) && pixel.StatusCode == http.StatusNotFound
	},
	// TLS.
	fault.TLSAcceptsTLS10: func(t *testing.T, e *env) bool {
		// A client of exactly TLS 1.0 (then 1.1) offering every suite Go
		// has: a handshake that completes must really be that version.
		for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11} {
			st, err := e.handshake(&tls.Config{MinVersion: v, MaxVersion: v, CipherSuites: everySuite()})
			if err == nil {
				if st.Version != v {
					t.Fatalf("asked for %s, negotiated %s", tls.VersionName(v), tls.VersionName(st.Version))
				}
				t.Logf("%s negotiated with %s", tls.VersionName(v), tls.CipherSuiteName(st.CipherSuite))
				return false
			}
		}
		return true
	},
	fault.TLSNoTLS13: func(t *testing.T, e *env) bool {
		st, err := e.handshake(&tls.Config{MinVersion: tls.VersionTLS13})
		return err == nil && st.Version == tls.VersionTLS13
	},
	fault.TLSCertWrongHost: func(t *testing.T, e *env) bool {
		st, err := e.handshake(&tls.Config{})
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		roots := x509.NewCertPool()
		roots.AddCert(e.rs.CA)
		_, err = st.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"})
		return err == nil
	},
	fault.PlainHTTPServed: func(t *testing.T, e *env) bool {
		// A made-up client and no secret: nothing real goes over plain HTTP.
		plain := "http://" + strings.TrimPrefix(e.url, "https://") + "/token"
		resp, err := http.Post(plain, "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials&client_id=nobody"))
		if err != nil {
			return true // refused or reset
		}
		var m map[string]any
		return json.Unmarshal([]byte(readBody(t, resp)), &m) != nil || (m["error"] == nil && m["access_token"] == nil)
	},
	fault.MetadataHTTPEndpoint: func(t *testing.T, e *env) bool {
		_, body := e.get("/.well-known/oauth-authorization-server")
		var md map[string]any
		if err := json.Unmarshal([]byte(body), &md); err != nil {
			t.Fatal(err)
		}
		for k, v := range md {
			if u, ok := v.(string); ok && (strings.HasSuffix(k, "_endpoint") || k == "jwks_uri") && !strings.HasPrefix(u, "https://") {
				return false
			}
		}
		return true
	},
}

// lenientRedirects lists, for each lenient redirect URI matcher, URIs the
// faulty matcher accepts for the web client (registered URI
// DefaultRedirectURI) and URIs it still rejects. The secure server rejects
// them all.
var lenientRedirects = map[fault.Name]struct{ accept, reject []string }{
	fault.RedirectURIAny: {accept: []string{"https://attacker.example/cb", "http://127.0.0.1:9/x?y=1"}},
	fault.RedirectURIPrefixMatch: {
		accept: []string{DefaultRedirectURI + "/extra", DefaultRedirectURI + "x", DefaultRedirectURI + "/",
			DefaultRedirectURI + "?x=1", DefaultRedirectURI + "/..%2Fother", DefaultRedirectURI + ";/../x"},
		reject: []string{"https://client.example.test/callbac", "https://client.example.test/other", "https://attacker.example/callback"},
	},
	fault.RedirectURIIgnorePort: {
		accept: []string{"https://client.example.test:8443/callback", "https://client.example.test:443/callback"},
		reject: []string{"https://attacker.example:8443/callback", "https://client.example.test:8443/other", "http://client.example.test:80/callback"},
	},
	fault.RedirectURISubdomainMatch: {
		accept: []string{"https://evil.client.example.test/callback", "https://a.b.client.example.test/callback"},
		reject: []string{"https://evilclient.example.test/callback", "https://client.example.test.attacker.example/callback", "https://evil.client.example.test/other"},
	},
	fault.RedirectURIHostIgnored: {
		accept: []string{"https://attacker.example/callback", "https://127.0.0.1/callback"},
		reject: []string{"https://attacker.example:8443/callback", "http://attacker.example/callback", "https://attacker.example/other"},
	},
	fault.RedirectURISchemeIgnored: {
		accept: []string{"http://client.example.test/callback", "ftp://client.example.test/callback"},
		reject: []string{"http://client.example.test/other", "http://attacker.example/callback", "http://client.example.test:8080/callback"},
	},
	fault.RedirectURICaseInsensitive: {
		accept: []string{"https://CLIENT.example.test/callback", "HTTPS://client.example.test/CALLBACK"},
		reject: []string{"https://client.example.test/callbackx", "https://CLIENT.example.test/other"},
	},
	fault.RedirectURIDecodedBeforeCompare: {
		accept: []string{"https://client.example.test/other/..%2Fcallback", "https://client.example.test/other/%252e%252e/callback",
			"https://client.example.test/./callback", "https://client.example.test/%63allback"},
		reject: []string{"https://client.example.test/other", "https://attacker.example/other/../callback", "https://client.example.test/callback/..%2Fother"},
	},
	fault.RedirectURIUserinfoIgnored: {
		accept: []string{"https://client.example.test@attacker.example/callback", "https://client.example.test@attacker.example:8443/callback"},
		reject: []string{"https://attacker.example@client.example.test/callback", "https://attacker.example/callback", "https://client.example.test@attacker.example/other"},
	},
}

func init() {
	for name, uris := range lenientRedirects {
		conformanceProbes[name] = func(t *testing.T, e *env) bool { return e.redirectURIsRejected(uris.accept...) }
	}
}

// TestEveryFaultIsObservable runs each probe against the secure server with
// the fault's implied faults on (the implicit grant offered, say) and with
// the fault itself on: the fault alone makes the difference.
func TestEveryFaultIsObservable(t *testing.T) {
	for _, f := range AllFaults() {
		t.Run(string(f.Name), func(t *testing.T) {
			probe, ok := conformanceProbes[f.Name]
			if !ok {
				t.Fatalf("no probe for fault %s", f.Name)
			}
			if !probe(t, newEnv(t, f.Implies...)) {
				t.Errorf("secure server (with %v) fails the %s probe", f.Implies, f.Name)
			}
			if probe(t, newEnv(t, f.Name)) {
				t.Errorf("server with fault %s still passes the probe", f.Name)
			}
		})
	}
	if len(conformanceProbes) != len(AllFaults()) {
		t.Errorf("%d probes for %d faults", len(conformanceProbes), len(AllFaults()))
	}
}

// Extra checks for the implicit variants of faults that affect both response
// types, with the implicit grant offered, and for the side effects of code
// reuse detection.
func TestFaultsAffectImplicitToo(t *testing.T) {
	implicit := func(e *env) url.Values {
		_, f := callbackParams(e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {"s"}})))
		return f
	}
	idToken := func(e *env) url.Values { return e.implicitIDToken(url.Values{"nonce": {"n-implicit"}}) }
	cases := []struct {
		fault    fault.Name
		response func(e *env) url.Values
		ok       func(e *env, f url.Values) bool
	}{
		{fault.StateDropped, implicit, func(e *env, f url.Values) bool { return f.Get("state") == "s" }},
		{fault.IssWrong, implicit, func(e *env, f url.Values) bool { return f.Get("iss") == e.url }},
		{fault.TokenTypeWrong, implicit, func(e *env, f url.Values) bool { return f.Get("token_type") == "Bearer" }},
		{fault.NoExpiresIn, implicit, func(e *env, f url.Values) bool { return f.Get("expires_in") != "" }},
		{fault.IDTokenNonceDropped, idToken, func(e *env, f url.Values) bool { return idClaims(e.t, f.Get("id_token"))["nonce"] == "n-implicit" }},
		{fault.IDTokenUnpublishedKey, idToken, func(e *env, f url.Values) bool { return e.verifiesWithJWKS(f.Get("id_token")) }},
	}
	for _, c := range cases {
		t.Run(string(c.fault), func(t *testing.T) {
			if e := newEnv(t, fault.ImplicitOffered); !c.ok(e, c.response(e)) {
				t.Error("secure server fails")
			}
			if e := newEnv(t, fault.ImplicitOffered, c.fault); c.ok(e, c.response(e)) {
				t.Error("faulty server passes")
			}
		})
	}
}

// The implicit-only variants leave code and token endpoint responses alone.
func TestImplicitOnlyFaults(t *testing.T) {
	cases := []struct {
		fault fault.Name
		ok    func(e *env) bool
	}{
		{fault.ImplicitStateDropped, func(e *env) bool { return e.codeFlow("web", url.Values{"state": {"keep"}}).Get("state") == "keep" }},
		{fault.ImplicitTokenTypeWrong, func(e *env) bool {
			_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
			return m["token_type"] == "Bearer"
		}},
		{fault.ImplicitNoExpiresIn, func(e *env) bool {
			_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
			return m["expires_in"] == float64(600)
		}},
	}
	for _, c := range cases {
		t.Run(string(c.fault), func(t *testing.T) {
			if !c.ok(newEnv(t, c.fault)) {
				t.Error("the fault reaches beyond the implicit response")
			}
		})
	}
}

// Implied faults are switched on with the fault that implies them, and
// name faults that exist.
func TestFaultImplies(t *testing.T) {
	for name, implied := range faultImplies {
		if !knownFault(name) {
			t.Errorf("faultImplies names unknown fault %q", name)
		}
		for _, n := range implied {
			if !knownFault(n) || n == name {
				t.Errorf("%s implies %q", name, n)
			}
		}
	}
	s, err := New(Options{Issuer: "http://127.0.0.1:1", Faults: []fault.Name{fault.TokenInQuery}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Faults(), ","); got != "implicit_offered,token_in_query" {
		t.Fatalf("faults %s", got)
	}
	if _, err := New(Options{Issuer: "http://127.0.0.1:1", Faults: []fault.Name{fault.ImplicitOffered, "nope"}}); err == nil {
		t.Fatal("unknown fault accepted")
	}
}

// The lenient matchers accept exactly their URIs, and a browser completing
// the flow is sent with the code to the URI the attacker chose.
func TestLenientRedirectURIMatchers(t *testing.T) {
	secure := newEnv(t)
	for name, uris := range lenientRedirects {
		t.Run(string(name), func(t *testing.T) {
			for _, u := range append(append([]string(nil), uris.accept...), uris.reject...) {
				if !secure.redirectURIsRejected(u) {
					t.Errorf("secure server accepts %s", u)
				}
			}
			e := newEnv(t, name)
			for _, u := range uris.reject {
				if !e.redirectURIsRejected(u) {
					t.Errorf("faulty server accepts %s", u)
				}
			}
			for _, u := range uris.accept {
				loc := e.browse(e.authorizeURL(webAuthz("redirect_uri", u)))
				if !strings.HasPrefix(strings.ToLower(loc.String()), strings.ToLower(u)) || loc.Query().Get("code") == "" {
					t.Errorf("%s: callback %s", u, loc)
				}
			}
		})
	}
	t.Run("scheme ignored both ways", func(t *testing.T) {
		clients := DefaultClients(nil)
		clients[0].RedirectURIs = []string{"http://localhost:8080/cb"}
		for _, faulty := range []bool{false, true} {
			opts := Options{Clients: clients}
			if faulty {
				opts.Faults = []fault.Name{fault.RedirectURISchemeIgnored}
			}
			e := newEnvOpts(t, opts)
			if got := e.redirectURIsRejected("https://localhost:8080/cb"); got == faulty {
				t.Errorf("faulty=%v: https for a registered http URI rejected=%v", faulty, got)
			}
		}
	})
}

func TestRedirectURICheckedAfterLogin(t *testing.T) {
	e := newEnv(t, fault.RedirectURICheckedAfterLogin)
	bad := e.authorizeURL(webAuthz("redirect_uri", "https://attacker.example/callback"))
	resp, body := e.get(bad)
	if resp.StatusCode != 200 || !strings.Contains(body, `name="password"`) {
		t.Fatalf("no session: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = e.postForm("/login", url.Values{"req": {pendingID(t, body)}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/authorize?") {
		t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !isErrorPage(e.get(resp.Header.Get("Location"))) {
		t.Fatal("after login: no error page")
	}
	if !isErrorPage(e.get(bad)) {
		t.Fatal("with a session: no error page")
	}
	// A registered redirect URI still works normally.
	if q, _ := callbackParams(e.browse(e.authorizeURL(webAuthz()))); q.Get("code") == "" {
		t.Fatalf("normal flow: %v", q)
	}
}

func TestRedirectURIOpenOnError(t *testing.T) {
	e := newEnv(t, fault.RedirectURIOpenOnError)
	got := e.authzError(webAuthz("redirect_uri", "https://attacker.example/callback", "response_type", "bogus"))
	if got.Get("error") != "unsupported_response_type" {
		t.Fatalf("%v", got)
	}
	resp, _ := e.get(e.authorizeURL(webAuthz("redirect_uri", "https://attacker.example/callback", "response_type", "bogus")))
	if !strings.HasPrefix(resp.Header.Get("Location"), "https://attacker.example/callback?") {
		t.Fatalf("location %q", resp.Header.Get("Location"))
	}
	// Other errors still need a valid redirect URI.
	if !e.redirectURIsRejected("https://attacker.example/callback") {
		t.Fatal("unregistered redirect URI accepted with a valid response_type")
	}
}

func TestAuthorizationResponseFaults(t *testing.T) {
	t.Run(string(fault.StateTruncated), func(t *testing.T) {
		long := strings.Repeat("s", 300)
		e := newEnv(t, fault.StateTruncated)
		if got := e.codeFlow("web", url.Values{"state": {long}}).Get("state"); got != long[:255] {
			t.Fatalf("state of %d characters", len(got))
		}
		if got := e.authzError(webAuthz("state", long, "scope", "admin")).Get("state"); got != long[:255] {
			t.Fatalf("error state of %d characters", len(got))
		}
		if got := e.codeFlow("web", url.Values{"state": {"short"}}).Get("state"); got != "short" {
			t.Fatalf("short state %q", got)
		}
	})
	t.Run("iss_not_advertised still sends iss", func(t *testing.T) {
		e := newEnv(t, fault.IssNotAdvertised)
		if _, ok := e.metadata()["authorization_response_iss_parameter_supported"]; ok {
			t.Fatal("advertised")
		}
		if e.codeFlow("web", nil).Get("iss") != e.url {
			t.Fatal("no iss")
		}
	})
	t.Run(string(fault.ResponseTypeLenient), func(t *testing.T) {
		e := newEnv(t, fault.ResponseTypeLenient)
		for _, rt := range []string{"", "bogus", "code id_token token"} {
			q, _ := callbackParams(e.browse(e.authorizeURL(webAuthz("response_type", rt))))
			if q.Get("code") == "" {
				t.Errorf("response_type %q: %v", rt, q)
			}
		}
		// A response type the client may not use is still refused.
		if got := e.authzError(webAuthz("response_type", "token")).Get("error"); got != "unsupported_response_type" {
			t.Errorf("token: %q", got)
		}
	})
	t.Run("unknown_param_rejected spares known parameters", func(t *testing.T) {
		e := newEnv(t, fault.UnknownParamRejected)
		if got := e.authzError(webAuthz("foo", "bar")); got.Get("error") != "invalid_request" || got.Get("state") != "xyz" {
			t.Fatalf("%v", got)
		}
		v := oauth2.GenerateVerifier()
		cb := e.codeFlow("web", url.Values{"code_challenge": {s256(v)}, "code_challenge_method": {"S256"}, "nonce": {"n"}, "prompt": {"consent"}})
		if cb.Get("code") == "" {
			t.Fatalf("%v", cb)
		}
	})
	t.Run("duplicate_params_accepted uses the first value", func(t *testing.T) {
		e := newEnv(t, fault.DuplicateParamsAccepted)
		p := webAuthz()
		p["state"] = []string{"first", "second"}
		p["redirect_uri"] = []string{DefaultRedirectURI, "https://attacker.example/cb"}
		loc := e.browse(e.authorizeURL(p))
		if !strings.HasPrefix(loc.String(), DefaultRedirectURI+"?") || loc.Query().Get("state") != "first" {
			t.Fatalf("%s", loc)
		}
	})
	t.Run("code_in_error_response code is unusable", func(t *testing.T) {
		e := newEnv(t, fault.CodeInErrorResponse)
		got := e.authzError(webAuthz("scope", "admin"))
		if got.Get("error") != "invalid_scope" || got.Get("code") == "" {
			t.Fatalf("%v", got)
		}
		if _, m := e.redeem(got.Get("code")); m["error"] != "invalid_grant" {
			t.Fatalf("%v", m)
		}
	})
	t.Run(string(fault.DenyWrongError), func(t *testing.T) {
		e := newEnv(t, fault.DenyWrongError)
		q := e.browseDecision(e.authorizeURL(webAuthz()), "deny").Query()
		if q.Get("error") != "server_error" || q.Get("state") != "xyz" || q.Has("code") {
			t.Fatalf("%v", q)
		}
	})
	t.Run("login_redirect_307 flow completes", func(t *testing.T) {
		e := newEnv(t, fault.LoginRedirect307)
		_, body := e.get(e.authorizeURL(webAuthz()))
		login := url.Values{"req": {pendingID(t, body)}, "username": {"alice"}, "password": {e.sec.AlicePassword}}
		resp, _ := e.postForm("/login", login)
		if resp.StatusCode != http.StatusTemporaryRedirect || !strings.HasPrefix(resp.Header.Get("Location"), "/consent?req=") {
			t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		// The browser re-POSTs the login form to the consent page.
		resp, body = e.postForm(resp.Header.Get("Location"), login)
		if resp.StatusCode != 200 || !strings.Contains(body, `id="approve"`) {
			t.Fatalf("re-POST: %d\n%s", resp.StatusCode, body)
		}
		resp, _ = e.postForm("/consent", url.Values{"req": {pendingID(t, body)}, "decision": {"approve"}})
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != 302 || loc.Query().Get("code") == "" {
			t.Fatalf("approve: %d %s", resp.StatusCode, loc)
		}
	})
}

// The error-response faults apply to fragment-encoded errors too (with the
// implicit grant offered, so that the scope is what is refused).
func TestErrorFaultsInFragment(t *testing.T) {
	implicitErr := func(e *env) url.Values {
		resp, _ := e.get(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "scope": {"admin"}, "state": {"s"}}))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		q, f := callbackParams(loc)
		if resp.StatusCode != 302 || len(q) != 0 {
			t.Fatalf("%d %s", resp.StatusCode, loc)
		}
		return f
	}
	cases := []struct {
		fault fault.Name
		ok    func(f url.Values) bool
	}{
		{fault.ErrorStateDropped, func(f url.Values) bool { return f.Get("state") == "s" }},
		{fault.ErrorCodeUnregistered, func(f url.Values) bool { return f.Get("error") == "invalid_scope" }},
		{fault.CodeInErrorResponse, func(f url.Values) bool { return !f.Has("code") }},
	}
	for _, c := range cases {
		t.Run(string(c.fault), func(t *testing.T) {
			if !c.ok(implicitErr(newEnv(t, fault.ImplicitOffered))) {
				t.Error("secure server fails")
			}
			if c.ok(implicitErr(newEnv(t, fault.ImplicitOffered, c.fault))) {
				t.Error("faulty server passes")
			}
		})
	}
}

func TestCodeFaults(t *testing.T) {
	t.Run(string(fault.CodeReuseKeepsTokens), func(t *testing.T) {
		e := newEnv(t, fault.CodeReuseKeepsTokens)
		cfg := e.oauthConfig("web")
		code := e.codeFlow("web", nil).Get("code")
		tok, err := e.exchange(cfg, code)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.exchange(cfg, code); errCode(err) != "invalid_grant" {
			t.Fatalf("reuse: %v", err)
		}
		if resp, _ := e.me(tok.AccessToken); resp.StatusCode != 200 {
			t.Fatalf("/api/me %d", resp.StatusCode)
		}
		if resp, _ := e.token("web", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}); resp.StatusCode != 200 {
			t.Fatalf("refresh %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.CodeLongLived), func(t *testing.T) {
		e := newEnvOpts(t, Options{Faults: []fault.Name{fault.CodeLongLived}, CodeLifetime: 2 * time.Second})
		code := e.codeFlow("web", nil).Get("code")
		e.clock.Advance(24 * time.Hour)
		e.codeFlow("web", nil) // lets the sweeper run
		if _, err := e.exchange(e.oauthConfig("web"), code); err != nil {
			t.Fatal(err)
		}
	})
	t.Run(string(fault.WeakCodes), func(t *testing.T) {
		e := newEnv(t, fault.WeakCodes)
		re := regexp.MustCompile(`^[0-9a-f]{8}$`)
		seen := map[string]bool{}
		for range 5 {
			code := e.codeFlow("web", nil).Get("code")
			if !re.MatchString(code) || seen[code] {
				t.Fatalf("code %q", code)
			}
			seen[code] = true
		}
		// The next code is predictable from the server's counter.
		n := uint32(6)
		want := fmt.Sprintf("%08x", n*2654435761)
		code := e.codeFlow("web", nil).Get("code")
		if code != want {
			t.Fatalf("code %q, want %q", code, want)
		}
		if _, err := e.exchange(e.oauthConfig("web"), code); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPKCEFaults(t *testing.T) {
	t.Run("pkce_method_ignored compares S256 challenges as plain", func(t *testing.T) {
		e := newEnv(t, fault.PKCEMethodIgnored)
		v := oauth2.GenerateVerifier()
		extra := url.Values{"code_challenge": {s256(v)}, "code_challenge_method": {"S256"}}
		if _, m := e.redeem(e.codeFlow("web", extra).Get("code"), "code_verifier", v); m["error"] != "invalid_grant" {
			t.Fatalf("correct verifier: %v", m)
		}
		if resp, m := e.redeem(e.codeFlow("web", extra).Get("code"), "code_verifier", s256(v)); resp.StatusCode != 200 {
			t.Fatalf("challenge as verifier: %v", m)
		}
	})
	t.Run("pkce_verifier_optional still rejects a wrong verifier", func(t *testing.T) {
		e := newEnv(t, fault.PKCEVerifierOptional)
		extra := url.Values{"code_challenge": {s256(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"}}
		if resp, m := e.redeem(e.codeFlow("web", extra).Get("code")); resp.StatusCode != 200 {
			t.Fatalf("missing verifier: %v", m)
		}
		if _, m := e.redeem(e.codeFlow("web", extra).Get("code"), "code_verifier", oauth2.GenerateVerifier()); m["error"] != "invalid_grant" {
			t.Fatalf("wrong verifier: %v", m)
		}
	})
	t.Run(string(fault.PKCEDowngradeAccepted), func(t *testing.T) {
		e := newEnv(t, fault.PKCEDowngradeAccepted)
		if resp, m := e.redeem(e.codeFlow("web", nil).Get("code"), "code_verifier", oauth2.GenerateVerifier()); resp.StatusCode != 200 {
			t.Fatalf("%v", m)
		}
	})
	t.Run(string(fault.PKCEPlainAllowed), func(t *testing.T) {
		e := newEnv(t, fault.PKCEPlainAllowed)
		methods, _ := e.metadata()["code_challenge_methods_supported"].([]any)
		if len(methods) != 2 || methods[0] != "S256" || methods[1] != "plain" {
			t.Fatalf("methods %v", methods)
		}
		for _, method := range []string{"plain", ""} {
			v := oauth2.GenerateVerifier()
			extra := url.Values{"code_challenge": {v}}
			if method != "" {
				extra.Set("code_challenge_method", method)
			}
			code := e.codeFlow("spa", extra).Get("code")
			if _, err := e.exchange(e.oauthConfig("spa"), code, oauth2.VerifierOption(v)); err != nil {
				t.Fatalf("method %q: %v", method, err)
			}
		}
	})
	t.Run(string(fault.PKCENotRequiredPublic), func(t *testing.T) {
		e := newEnv(t, fault.PKCENotRequiredPublic)
		code := e.codeFlow("spa", nil).Get("code")
		if _, err := e.exchange(e.oauthConfig("spa"), code); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("pkce_short_verifier_accepted still compares", func(t *testing.T) {
		e := newEnv(t, fault.PKCEShortVerifierAccepted)
		code := e.codeFlow("web", url.Values{"code_challenge": {s256("abc")}, "code_challenge_method": {"S256"}}).Get("code")
		if _, m := e.redeem(code, "code_verifier", "abd"); m["error"] != "invalid_grant" {
			t.Fatalf("wrong short verifier: %v", m)
		}
	})
	t.Run(string(fault.PKCEUnknownMethodAsPlain), func(t *testing.T) {
		e := newEnv(t, fault.PKCEUnknownMethodAsPlain)
		v := oauth2.GenerateVerifier()
		code := e.codeFlow("web", url.Values{"code_challenge": {v}, "code_challenge_method": {"S512"}}).Get("code")
		if resp, m := e.redeem(code, "code_verifier", v); resp.StatusCode != 200 {
			t.Fatalf("%v", m)
		}
		// plain itself is still refused.
		if got := e.authzError(webAuthz("code_challenge", v, "code_challenge_method", "plain")).Get("error"); got != "invalid_request" {
			t.Fatalf("plain: %q", got)
		}
	})
}

// handshake completes a TLS handshake with the server (certificates are
// judged apart, so none is verified here) and returns its state.
func (e *env) handshake(cfg *tls.Config) (tls.ConnectionState, error) {
	cfg.InsecureSkipVerify = true //nolint:gosec // the probes look at versions and certificates themselves
	d := &tls.Dialer{NetDialer: &net.Dialer{Timeout: 5 * time.Second}, Config: cfg}
	c, err := d.Dial("tcp", strings.TrimPrefix(e.url, "https://"))
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer c.Close()
	return c.(*tls.Conn).ConnectionState(), nil
}

// everySuite is every cipher suite Go implements, the insecure ones too:
// a legacy-version probe offers the widest set a server might accept.
func everySuite() []uint16 {
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	return ids
}
