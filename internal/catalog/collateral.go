package catalog

import (
	"fmt"
	"sort"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// alsoBreaks names, for a fault, the checks other than its own (those whose
// Fault is it) that it breaks too, each for a stated reason: a flaw that
// another check sees as well. `make faults-collateral` runs the whole
// catalog once per fault and fails on a check that changes to fail or
// warning under a fault without being named here or by its Fault field;
// collateral damage that nobody declared hides which check really detects
// a flaw. (A check left undecided, error, because a fault broke what it
// starts from is listed, not a break: it detects nothing.)
var alsoBreaks = map[fault.Name][]string{
	// Any secret accepted: the client credentials grant's own
	// authentication check sees it too.
	fault.AcceptWrongSecret: {"CC-03"},
	// Neither header: both the CSP and the X-Frame-Options checks see it.
	fault.FrameProtectionMissing: {"HS-02", "HS-03"},
	// No cache headers on any token response, the refresh grant's included.
	fault.NoCacheHeaders: {"RT-01"},
	// Correct S256 exchanges fail: the token responses every token check
	// starts from are errors (the checks that need a token are undecided,
	// which is no break).
	fault.PKCEMethodIgnored: {"TE-01", "TE-02", "TE-03"},
	// Any redirect URI: every manipulated one is accepted, and the login
	// page comes before a refusal that never comes.
	fault.RedirectURIAny: {"RU-02", "RU-03", "RU-04", "RU-05", "RU-06", "RU-07", "RU-08", "RU-09", "RU-10",
		"RU-11", "RU-12", "RU-13", "RU-14", "RU-15", "RU-16", "RU-17", "RU-18", "RU-20",
		// and the flows' requests naming an unregistered one (06).
		"IM-06", "HB-06", "FP-06", "FI-06", "FH-06",
		// and the pushed request naming an unregistered one.
		"PAR-07"},
	// The host not compared: a subdomain of the registered host, a host
	// after userinfo that repeats the registered one, and the pushed
	// request's unregistered redirect_uri are all taken.
	fault.RedirectURIHostIgnored: {"RU-08", "RU-17", "PAR-07"},
	// No state: its length cannot match either, nor the form_post
	// answer's (OP-19), the pushed request's (PAR-03), the flows'
	// responses (01) or the flows' request objects (08: the object's
	// state coming back is how a request object is seen used as the
	// request).
	fault.StateDropped: append(append([]string{"AE-04", "OP-19", "PAR-03"}, flowIDs("01")...), flowIDs("08")...),
	// prompt=none never uses the session: with an id_token_hint neither.
	fault.PromptNoneSessionIgnored: {"OP-08"},
	// An unsigned assertion taken as it stands: the mock's web client has
	// both a secret and a registered key, so the unsigned assertion of the
	// client_secret_jwt check and of the private_key_jwt check name the
	// same client, and each fault lets both through.
	fault.ClientAssertionAlgNone: {"PKJ-10"},
	fault.PrivateKeyJWTAlgNone:   {"CA-10"},
	// An advertised method that refuses everyone: the check of every
	// advertised method sees it too.
	fault.PrivateKeyJWTAdvertisedUnsupported: {"DSC-09"},
	// An unsecured ID Token has no signature to verify.
	fault.IDTokenAlgNone: append([]string{"TF-08"}, flowIDs("01")...),
	// A sub that changes at each sign-in is not the UserInfo Response's.
	fault.IDTokenSubPerLogin: {"UI-05"},
	// The OpenID Connect flows' 01 verifies every ID Token of the flow as
	// a client does (signature, iss, aud, exp, iat, nonce, at_hash,
	// c_hash), where the response mode puts the response, with state: a
	// flaw of any of these shows there too.
	fault.IDTokenExpired:            flowIDs("01"),
	fault.IDTokenNoIat:              flowIDs("01"),
	fault.IDTokenWrongIss:           flowIDs("01"),
	fault.IDTokenWrongAud:           flowIDs("01"),
	fault.IDTokenUnpublishedKey:     flowIDs("01"),
	fault.IDTokenNonceDropped:       flowIDs("01"),
	fault.IDTokenNoCHash:            flowIDs("01", "HB", "FH"),
	fault.HybridIDTokenNonceDropped: flowIDs("01", "FH"),
	fault.FormPostStateDropped:      append(flowIDs("01", "FH"), flowIDs("08", "FP", "FI", "FH")...), // 08: see StateDropped
	fault.FormPostIgnored:           flowIDs("01", "FP"),
	fault.IDTokenNoAtHash:           flowIDs("01", "IM", "FI"),
	fault.ImplicitStateDropped:      append(flowIDs("01", "IM", "FI"), flowIDs("08", "IM", "FI")...),
	fault.FormPostImplicitIgnored:   flowIDs("01", "FI"),
	fault.TokenInQuery:              flowIDs("01", "IM"),
	// id_token token without nonce: the implicit families' 02 asks for it too.
	fault.ImplicitNonceOptional: flowIDs("02", "IM", "FI"),
	// The flows' 04 calls the UserInfo Endpoint by GET and expects sub.
	fault.UserinfoGetRefused: flowIDs("04", "HB", "FP", "FH"),
	fault.UserinfoNoSub:      flowIDs("04", "HB", "FP", "FH"),
	// A parameter refused in every request: the flows' 07 sends each too.
	fault.DisplayRejected:       flowIDs("07"),
	fault.LoginHintRejected:     flowIDs("07"),
	fault.UILocalesRejected:     flowIDs("07"),
	fault.ClaimsLocalesRejected: flowIDs("07"),
	fault.AcrValuesRejected:     flowIDs("07"),
	fault.UnknownParamRejected:  flowIDs("07"),
	// Request objects mishandled for every request: the flows' 08 sends
	// them with its response types (an unsigned one taken; a signed one
	// ignored, the parameters beside it answered; a request_uri never
	// fetched, which only the code type's parameters beside it complete).
	fault.JARAlgNoneAccepted: flowIDs("08"),
	// The object ignored: whatever is wrong with it (a key never
	// registered, alg none, another client_id, aud or an expiry), the
	// parameters beside it are answered with a code, and its own state
	// never comes back (JAR-04).
	fault.JARRequestObjectIgnored: append(flowIDs("08"), "JAR-02", "JAR-03", "JAR-04", "JAR-05", "JAR-07", "JAR-08"),
	fault.JARRequestURIIgnored:    flowIDs("08", "FP"),
}

// Breaks returns the IDs of the checks fault f breaks, sorted: those that
// name it as their Fault and those alsoBreaks declares.
func Breaks(f fault.Name) []string {
	seen := map[string]bool{}
	for _, c := range All() {
		if c.Fault == f {
			seen[c.ID] = true
		}
	}
	for _, id := range alsoBreaks[f] {
		seen[id] = true
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// ValidateCollateral checks that every declared collateral break names a
// check of the catalog.
func ValidateCollateral() error {
	for f, ids := range alsoBreaks {
		for _, id := range ids {
			if _, ok := ByID(id); !ok {
				return fmt.Errorf("catalog: fault %s is declared to break %q, which is no check", f, id)
			}
		}
	}
	return nil
}
