package catalog

// The UserInfo Endpoint of an OpenID Provider (OIDC Core §5.3): skipped
// when the discovery document advertises no userinfo_endpoint. The checks
// use the shared login's access token and ID Token (no browser of their own).
// The checks of suites/userinfo.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// quoteUserinfoMethods is OIDC Core §5.3.1's sentence on GET and POST.
const quoteUserinfoMethods = "OIDC Core §5.3.1: The UserInfo Endpoint MUST support the use of the HTTP GET and HTTP POST methods …"

var (
	// UserinfoGet: OIDC Core §5.3.1, GET with the token in the
	// Authorization header (RFC 6750 §2.1), the RECOMMENDED request.
	UserinfoGet = register(Check{
		ID: "UI-01", Title: "the UserInfo Endpoint answers a GET with the token in the Authorization header",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §5.3.1", "RFC 6750 §2.1"}, Fault: fault.UserinfoGetRefused,
		Quote:  quoteUserinfoMethods,
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-userinfo-get", "oidcc-server"},
	})

	// UserinfoPostHeader: OIDC Core §5.3.1, POST with the token in the header.
	UserinfoPostHeader = register(Check{
		ID: "UI-02", Title: "the UserInfo Endpoint answers a POST with the token in the Authorization header",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §5.3.1", "RFC 6750 §2.1"}, Fault: fault.UserinfoPostRefused,
		Quote:  quoteUserinfoMethods,
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-userinfo-post-header"},
	})

	// UserinfoPostBody: RFC 6750 §2.2, the form-encoded body parameter,
	// which resource servers MAY support (OIDC Core §5.3.1 accepts tokens
	// "as OAuth 2.0 Bearer Token Usage").
	UserinfoPostBody = register(Check{
		ID: "UI-03", Title: "the UserInfo Endpoint accepts the token as access_token in a POST's form body",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"RFC 6750 §2.2", "OIDC Core §5.3.1"}, Fault: fault.UserinfoBodyTokenIgnored,
		Quote:  "RFC 6750 §2.2: Resource servers MAY support this method.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-userinfo-post-body"},
	})

	// UserinfoSub: OIDC Core §5.3.2, sub in every UserInfo Response.
	UserinfoSub = register(Check{
		ID: "UI-04", Title: "the UserInfo Response carries sub",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §5.3.2"}, Fault: fault.UserinfoNoSub,
		Quote:  "OIDC Core §5.3.2: The sub (subject) Claim MUST always be returned in the UserInfo Response.",
		Threat: "none: interoperability, a conforming client cannot tell whom the claims describe and discards them", Severity: verdict.None,
		OIDF: []string{"oidcc-userinfo-get"},
	})

	// UserinfoSubMatches: OIDC Core §5.3.2, the client compares the
	// UserInfo sub with the ID Token's and discards a mismatch (token
	// substitution, §16.11).
	UserinfoSubMatches = register(Check{
		ID: "UI-05", Title: "the UserInfo Response's sub equals the ID Token's sub",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §5.3.2", "OIDC Core §16.11"}, Fault: fault.UserinfoWrongSub,
		Quote: "OIDC Core §5.3.2: The sub Claim in the UserInfo Response MUST be verified to exactly match the sub Claim in the ID Token; if they do not match, the UserInfo Response values MUST NOT be used.",
		Binds: BindsPractice, Why: "The sentence binds the client, which must discard a UserInfo Response whose sub is not the ID Token's; no sentence binds the server to the same sub, but a provider that answers another one has every conforming client throw its claims away.",
		Threat: "OIDC Core §16.11 token substitution: claims about one user attributed to another", Severity: verdict.Low,
		OIDF: []string{"oidcc-userinfo-get", "oidcc-server"},
	})

	// UserinfoScopeProfile..Phone: OIDC Core §5.4, each scope value
	// requests claims, OPTIONAL for the provider to support and Voluntary
	// Claims for the user to release: what comes back is information.
	UserinfoScopeProfile = register(Check{
		ID: "UI-06", Title: "the profile scope releases its claims at the UserInfo Endpoint",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Core §5.4", "OIDC Core §5.1"}, Fault: fault.UserinfoDropsProfile,
		Quote:  "OIDC Core §5.4: profile OPTIONAL. This scope value requests access to the End-User's default profile Claims, which are: name, family_name, given_name, middle_name, nickname, preferred_username, profile, picture, website, gender, birthdate, zoneinfo, locale, and updated_at.",
		Threat: "none: interoperability, a conforming client does not get the claims it asked for", Severity: verdict.None,
		OIDF: []string{"oidcc-scope-profile", "oidcc-scope-all"},
	})
	UserinfoScopeEmail = register(Check{
		ID: "UI-07", Title: "the email scope releases its claims at the UserInfo Endpoint",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Core §5.4", "OIDC Core §5.1"}, Fault: fault.UserinfoDropsEmail,
		Quote:  "OIDC Core §5.4: email OPTIONAL. This scope value requests access to the email and email_verified Claims.",
		Threat: "none: interoperability, a conforming client does not get the claims it asked for", Severity: verdict.None,
		OIDF: []string{"oidcc-scope-email", "oidcc-scope-all"},
	})
	UserinfoScopeAddress = register(Check{
		ID: "UI-08", Title: "the address scope releases its claim at the UserInfo Endpoint",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Core §5.4", "OIDC Core §5.1"}, Fault: fault.UserinfoDropsAddress,
		Quote:  "OIDC Core §5.4: address OPTIONAL. This scope value requests access to the address Claim.",
		Threat: "none: interoperability, a conforming client does not get the claims it asked for", Severity: verdict.None,
		OIDF: []string{"oidcc-scope-address", "oidcc-scope-all"},
	})
	UserinfoScopePhone = register(Check{
		ID: "UI-09", Title: "the phone scope releases its claims at the UserInfo Endpoint",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Core §5.4", "OIDC Core §5.1"}, Fault: fault.UserinfoDropsPhone,
		Quote:  "OIDC Core §5.4: phone OPTIONAL. This scope value requests access to the phone_number and phone_number_verified Claims.",
		Threat: "none: interoperability, a conforming client does not get the claims it asked for", Severity: verdict.None,
		OIDF: []string{"oidcc-scope-phone", "oidcc-scope-all"},
	})

	// UserinfoInvalidTokenRefused: a made-up token gets no claims (RFC 6749
	// §10.3; OIDC Core §5.3.3 answers it as RFC 6750 §3).
	UserinfoInvalidTokenRefused = register(Check{
		ID: "UI-10", Title: "the UserInfo Endpoint refuses an invalid access token",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §10.3", "OIDC Core §5.3.3", "RFC 6750 §3.1"}, Fault: fault.UserinfoTokenUnchecked,
		Quote:  "RFC 6749 §10.3: The authorization server MUST ensure that access tokens cannot be generated, modified, or guessed to produce valid access tokens by unauthorized parties.",
		Threat: "forged access tokens: a user's claims released for a token the provider never issued", Severity: verdict.Critical,
	})

	// UserinfoRevokedRefused: a token revoked at the revocation endpoint
	// stops working at the UserInfo Endpoint too (RFC 7009 §2).
	UserinfoRevokedRefused = register(Check{
		ID: "UI-11", Title: "the UserInfo Endpoint refuses a revoked access token",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 7009 §2", "OIDC Core §5.3.3", "RFC 6750 §3.1"}, Fault: fault.UserinfoIgnoresRevocation,
		Quote:  "RFC 7009 §2: Implementations … SHOULD support the revocation of access tokens (see Implementation Note).",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not", Severity: verdict.Medium,
	})

	// UserinfoChallenge: OIDC Core §5.3.3 answers errors as RFC 6750 §3,
	// whose refusal carries WWW-Authenticate.
	UserinfoChallenge = register(Check{
		ID: "UI-12", Title: "the UserInfo Endpoint refuses an invalid token with a WWW-Authenticate: Bearer challenge",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §5.3.3", "RFC 6750 §3"}, Fault: fault.UserinfoNoWWWAuthenticate,
		Quote:  "RFC 6750 §3: If the protected resource request does not include authentication credentials or does not contain an access token that enables access to the protected resource, the resource server MUST include the HTTP \"WWW-Authenticate\" response header field …",
		Threat: "none: interoperability, a conforming client fails against the server (the client is not told how to authenticate)", Severity: verdict.Low,
	})

	// UserinfoSignedIssAud: OIDC Core §5.3.2, a signed UserInfo Response
	// (application/jwt) names its issuer and audience; skipped when the
	// provider answers plain JSON (the client is not registered for it).
	UserinfoSignedIssAud = register(Check{
		ID: "UI-13", Title: "a signed UserInfo Response verifies with the JWKS and carries iss and aud",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §5.3.2", "OIDC Core §10.1"}, Fault: fault.UserinfoSignedNoIssAud,
		Quote:  "OIDC Core §5.3.2: If signed, the UserInfo Response SHOULD contain the Claims iss (issuer) and aud (audience) as members.",
		Threat: "OIDC Core §16.11 token substitution: a signed UserInfo Response replayed to another client", Severity: verdict.Low,
		OIDF: []string{"oidcc-userinfo-rs256"},
	})
	// UserinfoJSONContentType: OIDC Core §5.3.2, an unsigned UserInfo
	// Response is served as application/json.
	UserinfoJSONContentType = register(Check{
		ID: "UI-14", Title: "an unsigned UserInfo Response is served as application/json",
		Area: "userinfo", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §5.3.2"}, Fault: fault.UserinfoWrongContentType,
		Quote:  "OIDC Core §5.3.2: The content-type of the HTTP response MUST be application/json if the response body is a text JSON object …",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-userinfo-get"},
	})
)
