package catalog

// The device authorization grant (RFC 8628), with the user's part in the
// browser. The checks of suites/device.go. They run only against a
// provider that advertises device_authorization_endpoint, with the
// profile's device client (clients.device) and, for the user's part, its
// device_flow steps.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	DeviceResponseFields = register(Check{
		ID: "DEV-01", Title: "the device authorization response has device_code, user_code, verification_uri and expires_in",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Must,
		Spec: []string{"RFC 8628 §3.2"}, Fault: fault.DeviceNoExpiresIn,
		Quote:  `RFC 8628 §3.2: device_code REQUIRED. The device verification code. user_code REQUIRED. The end-user verification code. verification_uri REQUIRED. The end-user verification URI on the authorization server. … expires_in REQUIRED. The lifetime in seconds of the "device_code" and "user_code".`,
		Threat: "none: interoperability, a device cannot tell the user where to go or how long the code lives", Severity: verdict.Low,
	})

	DevicePending = register(Check{
		ID: "DEV-02", Title: "a poll before the user decides gets no token, and the error authorization_pending",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §3.5"}, Fault: fault.DevicePendingWrongError,
		Quote: `RFC 8628 §3.5: authorization_pending The authorization request is still pending as the end user hasn't yet completed the user-interaction steps (Section 3.3).`,
		Binds: BindsPractice, Why: "The error is defined without a key word; a device told anything else stops polling (§3.5: any other error code ends it), so the flow fails for a conforming device. A token before the user's approval fails the check outright.",
		Threat: "none: interoperability, a conforming device stops polling before the user has decided", Severity: verdict.Low,
	})

	DeviceSlowDown = register(Check{
		ID: "DEV-03", Title: "a device polling faster than the interval is told slow_down",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §3.5"}, Fault: fault.DeviceNoSlowDown,
		Quote: `RFC 8628 §3.5: slow_down A variant of "authorization_pending", the authorization request is still pending and polling should continue, but the interval MUST be increased by 5 seconds for this and all subsequent requests.`,
		Binds: BindsClient, Why: "The MUST binds the device; a server that answers slow_down to polls faster than the interval enforces it, and keeps a misbehaving device (or a script) from hammering its token endpoint.",
		Threat: "RFC 6819 §4.4.1.11 denial of service: polling floods the token endpoint", Severity: verdict.Low,
	})

	DeviceExpiredToken = register(Check{
		ID: "DEV-04", Title: "a poll after the device code's expires_in gets expired_token, not a pending answer",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §3.5", "RFC 8628 §3.2"}, Fault: fault.DeviceExpiryUnchecked,
		Quote: `RFC 8628 §3.5: expired_token The "device_code" has expired, and the device authorization session has concluded.`,
		Binds: BindsPractice, Why: "The error is defined without a key word; a device code that never expires keeps a user code open to guessing (§5.1) and a device polling for ever.",
		Threat: "RFC 8628 §5.1 user code brute forcing: a code that never expires can be guessed at leisure", Severity: verdict.Medium,
	})

	DeviceDenied = register(Check{
		ID: "DEV-05", Title: "after the user denies in the browser, the device gets access_denied and no token",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §3.5", "RFC 8628 §3.3"}, Fault: fault.DeviceDenyIgnored,
		Quote: `RFC 8628 §3.5: access_denied The authorization request was denied.`,
		Binds: BindsPractice, Why: "The error is defined without a key word; a denial that is not recorded leaves the device polling until the code expires, and a token after a denial fails the check outright.",
		Threat: "RFC 8628 §5.4 remote phishing: a user's refusal of a device started by someone else must end it", Severity: verdict.Medium,
	})

	DeviceCodeSingleUse = register(Check{
		ID: "DEV-06", Title: "a device code that yielded tokens yields none the second time",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §3.2", "RFC 6749 §4.1.2"}, Fault: fault.DeviceCodeReuse,
		Quote: `RFC 8628 §3.2: In response, the authorization server generates a unique device verification code and an end-user code that are valid for a limited time …`,
		Binds: BindsPractice, Why: "RFC 8628 says nothing of a redeemed device code; like an authorization code (RFC 6749 §4.1.2), one that yields tokens again lets whoever copies it mint tokens for the user until it expires.",
		Threat: "RFC 9700 §4.5 authorization code injection (by analogy): a leaked device code is replayed for the user's tokens", Severity: verdict.High,
	})

	DeviceUserCodeEntropy = register(Check{
		ID: "DEV-07", Title: "user codes carry at least 34 bits (RFC 8628's 8 characters of a base 20 set)",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §5.1", "RFC 8628 §6.1"}, Fault: fault.DeviceWeakUserCode,
		Quote:  `RFC 8628 §5.1: The user code SHOULD have enough entropy that, when combined with rate-limiting and other mitigations, a brute-force attack becomes infeasible.`,
		Threat: "RFC 8628 §5.1 user code brute forcing: an attacker guesses a pending user code and approves, or phishes, a device", Severity: verdict.Medium,
	})

	DeviceUserCodeLenient = register(Check{
		ID: "DEV-08", Title: "the user code is accepted typed in lower case and without its dash",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §6.1"}, Fault: fault.DeviceUserCodeStrict,
		Quote: `RFC 8628 §6.1: … restrict the character set to case-insensitive A-Z characters, with no digits. These characters can typically be entered on a mobile keyboard without using modifier keys.`,
		Binds: BindsPractice, Why: "§6.1 recommends, without a key word, a case-insensitive code whose punctuation is only for readability; a user typing it on a phone should not be refused for its case or its dash.",
		Threat: "none: usability, users fail to connect their device", Severity: verdict.None,
	})

	DeviceClientAuthenticated = register(Check{
		ID: "DEV-09", Title: "a confidential device client with a wrong secret is refused at the device authorization endpoint",
		Area: "device", Flows: []Flow{FlowDeviceCode}, Level: Should,
		Spec: []string{"RFC 8628 §3.1", "RFC 6749 §3.2.1"}, Fault: fault.DeviceClientUnauthenticated,
		Quote: `RFC 8628 §3.1: The client authentication requirements of Section 3.2.1 of [RFC6749] apply to requests on this endpoint, which means that confidential clients (those that have established client credentials) authenticate in the same manner as when making requests to the token endpoint …`,
		Binds: BindsPractice, Why: "The sentence carries RFC 6749 §3.2.1's client authentication to this endpoint without a key word of its own; a server that skips it lets anyone start device flows in a trusted confidential client's name, the bait of remote phishing (§5.4).",
		Threat: "RFC 8628 §5.4 remote phishing: device flows started in a trusted client's name", Severity: verdict.High,
	})
)
