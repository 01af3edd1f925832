package catalog

// What the metadata advertises actually works (RFC 8414 §2): client
// authentication methods, JWT client assertions (RFC 7523), grant types, and
// introspection by a client other than the token's own (RFC 7662 §2.2,
// §4).
// The checks of suites/advertised.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// ClientAssertionSignatureChecked: RFC 7523 §3 "The JWT MUST be
	// digitally signed or have a Message Authentication Code (MAC) applied
	// by the issuer. The authorization server MUST reject JWTs with an
	// invalid signature or Message Authentication Code."
	ClientAssertionSignatureChecked = register(Check{
		ID: "CA-06", Title: "a client_secret_jwt assertion keyed with a wrong secret is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "RFC 6749 §5.2"}, Fault: fault.ClientSecretJWTSignatureUnchecked,
		Quote:  "RFC 7523 §3: The authorization server MUST reject JWTs with an invalid signature or MAC.",
		Threat: "client impersonation (RFC 6749 §10.2): someone other than the client authenticates as it", Severity: verdict.Critical,
	})

	// ClientAssertionAudienceChecked: RFC 7523 §3 item 3 "The authorization
	// server MUST reject any JWT that does not contain its own identity as
	// the intended audience" — else an assertion a client made for another
	// server (which may be hostile) authenticates it here too. §3.2 names
	// the error invalid_client. Must.
	ClientAssertionAudienceChecked = register(Check{
		ID: "CA-07", Title: "a client_secret_jwt assertion whose aud is another server is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "RFC 7523 §3.2"}, Fault: fault.ClientAssertionAudUnchecked,
		Quote:  "RFC 7523 §3: The authorization server MUST reject any JWT that does not contain its own identity as the intended audience.",
		Threat: "assertion replay: an assertion made for another server accepted here", Severity: verdict.High,
	})

	// ClientAssertionSubjectChecked: RFC 7523 §3 items 1-2, "For client
	// authentication, the subject MUST be the "client_id" of the OAuth
	// client", and OIDC Core §9 iss and sub "MUST contain the client_id of
	// the OAuth Client". The probe names another registered client in iss
	// and sub, keys the MAC with this client's secret and sends this
	// client's client_id (RFC 7521 §4.2): a server that takes the client
	// from client_id and never reads sub authenticates it, so any JWT keyed
	// with the secret — one made for another purpose or subject — passes as
	// client authentication. Must.
	ClientAssertionSubjectChecked = register(Check{
		ID: "CA-08", Title: "a client_secret_jwt assertion whose iss and sub name another client is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "OIDC Core §9", "RFC 7523 §3.2"}, Fault: fault.ClientAssertionSubUnchecked,
		Quote:  "RFC 7523 §3: For client authentication, the subject MUST be the \"client_id\" of the OAuth client.",
		Threat: "client impersonation (RFC 6749 §10.2): someone other than the client authenticates as it", Severity: verdict.Critical,
	})

	// ClientAssertionExpiryChecked: RFC 7523 §3 item 4 "The authorization
	// server MUST reject any JWT with an expiration time that has passed,
	// subject to allowable clock skew between systems"; the probe's exp is
	// 10 minutes past, beyond any reasonable skew. Item 7 leaves jti replay
	// detection at MAY ("The authorization server MAY ensure that JWTs are
	// not replayed"), so the check reports what a replayed assertion gets
	// as information and never fails on it. Must.
	ClientAssertionExpiryChecked = register(Check{
		ID: "CA-09", Title: "an expired client_secret_jwt assertion is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "RFC 7523 §3.2"}, Fault: fault.ClientAssertionExpUnchecked,
		Quote:  "RFC 7523 §3: The authorization server MUST reject any JWT with an expiration time that has passed, subject to allowable clock skew between systems.",
		Threat: "assertion replay: a captured assertion used after it expired", Severity: verdict.High,
	})

	// ClientAssertionUnsignedRefused: RFC 7523 §3 item 9 "The JWT MUST be
	// digitally signed or have a Message Authentication Code (MAC) applied
	// by the issuer"; an unsecured JWT (alg none, RFC 7519 §6) carries
	// neither, so anyone who knows a client_id could write it. Must.
	ClientAssertionUnsignedRefused = register(Check{
		ID: "CA-10", Title: "an unsigned client assertion (alg none) is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "RFC 7519 §6", "RFC 7523 §3.2"}, Fault: fault.ClientAssertionAlgNone,
		Quote:  "RFC 7523 §3: The authorization server MUST reject JWTs with an invalid signature or MAC.",
		Threat: "client impersonation (RFC 6749 §10.2): someone other than the client authenticates as it (an unsigned assertion)", Severity: verdict.Critical,
	})

	// AdvertisedAuthMethodsWork: RFC 8414 §2 defines
	// token_endpoint_auth_methods_supported as a "JSON array containing a
	// list of client authentication methods supported by this token
	// endpoint" (OpenID Connect Discovery 1.0 §3 the same). The sentence
	// carries no RFC 2119 keyword; it defines what the value is, so a listed
	// method the endpoint refuses makes the document false, and clients
	// choose their method from it. Must, as DSC-05 reads the same section
	// for response_types_supported and CA-02 for client_secret_post. A
	// provider may bind a client to the one method it registered (RFC 7591
	// §2), so a method works when any of the profile's clients
	// authenticates with it; private_key_jwt is exercised with the keys the
	// profile gives (private_key), and methods that need certificates are
	// listed as not exercised, never failed.
	AdvertisedAuthMethodsWork = register(Check{
		ID: "DSC-09", Title: "every advertised token endpoint authentication method authenticates a client of the profile",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: May,
		Spec: []string{"RFC 8414 §2", "RFC 7523 §2.2", "OIDC Core §9"}, Fault: fault.ClientSecretJWTAdvertisedUnsupported,
		Quote:  "RFC 8414 §2: token_endpoint_auth_methods_supported OPTIONAL. JSON array containing a list of client authentication methods supported by this token endpoint.",
		Threat: "none: interoperability, a conforming client fails against the server (an advertised method that does not work)", Severity: verdict.None,
	})

	// AdvertisedGrantsRecognised: RFC 8414 §2 grant_types_supported is a
	// "JSON array containing a list of the OAuth 2.0 grant type values that
	// this authorization server supports"; RFC 6749 §5.2 unsupported_grant_type
	// says "The authorization grant type is not supported by the
	// authorization server" — the two answers contradict each other. Must,
	// by the same reading as DSC-09.
	AdvertisedGrantsRecognised = register(Check{
		ID: "DSC-10", Title: "every advertised token endpoint grant type is recognised by the token endpoint",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: May,
		Spec: []string{"RFC 8414 §2", "RFC 6749 §5.2"}, Fault: fault.MetadataAdvertisesUnsupportedGrant,
		Quote:  "RFC 8414 §2: grant_types_supported OPTIONAL. JSON array containing a list of the OAuth 2.0 grant type values that this authorization server supports.",
		Threat: "none: interoperability, a conforming client fails against the server (an advertised grant that does not work)", Severity: verdict.None,
	})

	// IntrospectionForeignClientConsistent: RFC 7662 §4 leaves to policy
	// which callers may introspect which tokens, so refusing another
	// client, answering it {"active": false} or answering in full are all
	// reported as information. What the answer says is not policy: §2.2
	// defines client_id as the "Client identifier for the OAuth 2.0 client
	// that requested this token", and a token the caller "is not allowed to
	// introspect" MUST be answered with active false — whose answer SHOULD
	// NOT include "any additional information about an inactive token".
	// The level is that SHOULD NOT: an answer that carries more, or that
	// names the caller as the token's client (an OPTIONAL member, given a
	// value it cannot have), is a warning.
	IntrospectionForeignClientConsistent = register(Check{
		ID: "IN-08", Title: "introspection by a client other than the token's own follows one consistent policy",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7662 §2.2", "RFC 7662 §4"}, Fault: fault.IntrospectionForeignClientClaims,
		Quote:  "RFC 7662 §2.2: Note that to avoid disclosing too much of the authorization server's state to a third party, the authorization server SHOULD NOT include any additional information about an inactive token, including why the token is inactive.",
		Threat: "confused deputy: a resource server told that another client's token was issued to its caller", Severity: verdict.Low,
	})
)
