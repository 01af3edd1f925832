package catalog

// Client authentication by private_key_jwt (OpenID Connect Core §9, RFC
// 7523 §2.2 and §3): a JWT the client signs with a private key whose
// public half it registered.
// The checks of suites/privatekeyjwt.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// threatImpersonation is what a broken client authentication gives away.
const threatImpersonation = "client impersonation (RFC 6749 §10.2): someone other than the client authenticates as it"

var (
	// PrivateKeyJWTWorks: the positive control of the PKJ checks, and the
	// metadata's promise (RFC 8414 §2, read as DSC-09 reads it): an
	// assertion made as OIDC Core §9 asks, signed with the registered key,
	// authenticates the client. May: supporting the method is optional.
	PrivateKeyJWTWorks = register(Check{
		ID: "PKJ-01", Title: "a private_key_jwt assertion signed with the registered key authenticates the client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: May,
		Spec: []string{"RFC 8414 §2", "OIDC Core §9", "RFC 7523 §2.2"}, Fault: fault.PrivateKeyJWTAdvertisedUnsupported,
		Quote:  "RFC 8414 §2: token_endpoint_auth_methods_supported OPTIONAL. JSON array containing a list of client authentication methods supported by this token endpoint.",
		Threat: "none: interoperability, a conforming client fails against the server (an advertised method that does not work)", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-client-assertion-with-iss-aud-succeeds"},
	})

	// PrivateKeyJWTUnregisteredKeyRefused: an assertion signed with a key
	// the client never registered (a fresh key of the same type and kid)
	// carries an invalid signature for this client.
	PrivateKeyJWTUnregisteredKeyRefused = register(Check{
		ID: "PKJ-02", Title: "a private_key_jwt assertion signed with a key not registered for the client is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "OIDC Core §9"}, Fault: fault.PrivateKeyJWTSignatureUnchecked,
		Quote:  "RFC 7523 §3: The authorization server MUST reject JWTs with an invalid signature or MAC.",
		Threat: threatImpersonation + " (anyone may sign with a key of their own)", Severity: verdict.Critical,
	})

	// PrivateKeyJWTAudienceValues: RFC 9126 §2 settles the audience of a
	// client assertion sent to the PAR endpoint: its issuer identifier,
	// token endpoint URL and PAR endpoint URL are each accepted (judged
	// there, where the sentence applies; skipped without a PAR endpoint).
	PrivateKeyJWTAudienceValues = register(Check{
		ID: "PKJ-03", Title: "at the PAR endpoint, a private_key_jwt assertion whose aud is the issuer, the token endpoint or the PAR endpoint authenticates the client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9126 §2", "RFC 7523 §3"}, Fault: fault.PARAssertionAudTokenOnly,
		Quote:  "RFC 9126 §2: In order to facilitate interoperability, the authorization server MUST accept its issuer identifier, token endpoint URL, or pushed authorization request endpoint URL as values that identify it as an intended audience.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// PrivateKeyJWTForeignAudienceRefused: RFC 7523 §3 item 3 — else an
	// assertion the client made for another server (which may be hostile)
	// authenticates it here too.
	PrivateKeyJWTForeignAudienceRefused = register(Check{
		ID: "PKJ-04", Title: "a private_key_jwt assertion whose aud is another server is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "OIDC Core §9"}, Fault: fault.PrivateKeyJWTAudUnchecked,
		Quote:  "RFC 7523 §3: The authorization server MUST reject any JWT that does not contain its own identity as the intended audience.",
		Threat: "assertion replay: an assertion made for another server accepted here", Severity: verdict.High,
	})

	// PrivateKeyJWTWithoutExpRefused: RFC 7523 §3 item 4 makes exp a
	// condition of the JWT's validity (OIDC Core §9: REQUIRED); without
	// one, a captured assertion authenticates for ever.
	PrivateKeyJWTWithoutExpRefused = register(Check{
		ID: "PKJ-05", Title: "a private_key_jwt assertion without exp is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "OIDC Core §9"}, Fault: fault.PrivateKeyJWTExpOptional,
		Quote:  "RFC 7523 §3: The JWT MUST contain an \"exp\" (expiration time) claim that limits the time window during which the JWT can be used.",
		Threat: "assertion replay: a captured assertion that never expires", Severity: verdict.High,
	})

	// PrivateKeyJWTExpiredRefused: RFC 7523 §3 item 4; the probe's exp
	// is 10 minutes past, beyond any reasonable skew.
	PrivateKeyJWTExpiredRefused = register(Check{
		ID: "PKJ-06", Title: "an expired private_key_jwt assertion is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3"}, Fault: fault.PrivateKeyJWTExpUnchecked,
		Quote:  "RFC 7523 §3: The authorization server MUST reject any JWT with an expiration time that has passed, subject to allowable clock skew between systems.",
		Threat: "assertion replay: a captured assertion used after it expired", Severity: verdict.High,
	})

	// PrivateKeyJWTReplayRefused: OIDC Core §9 says of the jti that the
	// tokens MUST only be used once — a duty of the client that sends
	// them; RFC 7523 §3 item 7 leaves tracking jti values to the server
	// (MAY). Refusing a replayed assertion is hardening: Should.
	PrivateKeyJWTReplayRefused = register(Check{
		ID: "PKJ-07", Title: "a private_key_jwt assertion sent again (same jti) is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"OIDC Core §9", "RFC 7523 §3"}, Fault: fault.PrivateKeyJWTReplayAccepted,
		Quote: "OIDC Core §9: These tokens MUST only be used once, unless conditions for reuse were negotiated between the parties; any such negotiation is beyond the scope of this specification.",
		Binds: BindsClient, Why: "The sentence binds the client that sends the assertion; a server that remembers the jti values it accepted keeps a captured assertion from authenticating again before it expires.",
		Threat: "assertion replay: a captured assertion used again within its lifetime", Severity: verdict.Medium,
	})

	// PrivateKeyJWTSubjectChecked: RFC 7523 §3 items 1-2 and OIDC Core §9
	// (iss and sub the client_id). The probe names another client in iss
	// and sub, signs with this client's key and sends this client's
	// client_id: a server that takes the client from client_id and never
	// reads sub authenticates it with a JWT made for another subject.
	PrivateKeyJWTSubjectChecked = register(Check{
		ID: "PKJ-08", Title: "a private_key_jwt assertion whose iss and sub name another client is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "OIDC Core §9"}, Fault: fault.PrivateKeyJWTSubUnchecked,
		Quote:  "RFC 7523 §3: For client authentication, the subject MUST be the \"client_id\" of the OAuth client.",
		Threat: threatImpersonation, Severity: verdict.Critical,
	})

	// PrivateKeyJWTUnadvertisedAlgRefused: the server lists the algorithms
	// it accepts (token_endpoint_auth_signing_alg_values_supported); the
	// probe signs with the registered key by one the list leaves out (RS256
	// where only PS256 is listed). RFC 8725 §3.1 asks verifiers to accept
	// only the algorithms they chose; no sentence binds the server to
	// refuse the rest, so accepting one is a hardening warning.
	PrivateKeyJWTUnadvertisedAlgRefused = register(Check{
		ID: "PKJ-09", Title: "a private_key_jwt assertion signed with an algorithm the metadata does not advertise is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 8725 §3.1", "RFC 8414 §2"}, Fault: fault.PrivateKeyJWTAlgUnchecked,
		Quote: "RFC 8725 §3.1: Libraries MUST enable the caller to specify a supported set of algorithms and MUST NOT use any other algorithms when performing cryptographic operations.",
		Binds: BindsPractice, Why: "The sentence binds JWT libraries; a server that accepts an algorithm it does not advertise (RS256 beside PS256, say) has not restricted its verifier to the set it chose, which is how algorithm downgrades get in.",
		Threat: "algorithm downgrade: a weaker or unintended signature algorithm accepted for the client's key", Severity: verdict.Medium,
	})

	// PrivateKeyJWTUnsignedRefused: an unsecured JWT (alg none, RFC 7519
	// §6) naming a client that registered a key carries no signature at
	// all; anyone who knows the client_id could write it.
	PrivateKeyJWTUnsignedRefused = register(Check{
		ID: "PKJ-10", Title: "an unsigned client assertion (alg none) for a client with a registered key is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3", "RFC 7519 §6"}, Fault: fault.PrivateKeyJWTAlgNone,
		Quote:  "RFC 7523 §3: The authorization server MUST reject JWTs with an invalid signature or MAC.",
		Threat: threatImpersonation + " (an unsigned assertion)", Severity: verdict.Critical,
	})

	// PrivateKeyJWTInvalidClient: the error code of PKJ-02's refusal (a
	// refusal is the property; its code is interoperability).
	PrivateKeyJWTInvalidClient = register(Check{
		ID: "PKJ-11", Title: "a private_key_jwt assertion signed with an unregistered key is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7523 §3.2"}, Fault: fault.PrivateKeyJWTWrongError,
		Quote:  "RFC 7523 §3.2: The value of the \"error\" parameter MUST be the \"invalid_client\" error code.",
		Threat: "none: interoperability, the request is refused, but a client cannot tell why (a refusal with another code is no security flaw)", Severity: verdict.Low,
	})
)
