package redact

import (
	"encoding/base64"
	"regexp"
	"strings"
)

// moreParameters carry the secrets of DPoP (RFC 9449), the device
// authorization grant (RFC 8628) and private keys, by position: a DPoP
// proof in its header or after the DPoP scheme, a device or user code in
// a form, URL or JSON, a private key as PEM or as the private members of
// a JWK. Each has the prefix to keep as its first group and the secret as
// its second.
var moreParameters = []*regexp.Regexp{
	regexp.MustCompile(`((?:^|[?#&\s"'])(?:device_code|user_code)=)([^&#\s"'<]+)`),
	regexp.MustCompile(`("(?:device_code|user_code)"\s*:\s*")([^"]+)`),
	regexp.MustCompile(`(?i)((?:authorization|proxy-authorization)\s*[:=]\s*"?dpop\s+)([A-Za-z0-9._~+/=-]+)`),
	// The DPoP request header, as "DPoP: <proof>" or in a Go map print.
	regexp.MustCompile(`(?i)((?:^|[\s"{\[,(])"?dpop"?\s*[:=]\s*\[?"?)([A-Za-z0-9._~+/=:-]{8,})`),
	// The private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
	regexp.MustCompile(`("(?:d|p|q|dp|dq|qi|k)"\s*:\s*")([^"]+)`),
	// A PEM private key, whole.
	regexp.MustCompile(`()(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)`),
}

// compactJWS is a JWS in compact serialisation whose header is JSON.
var compactJWS = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)

// redactMore applies moreParameters, and replaces every DPoP proof (a
// compact JWS of typ dpop+jwt) wherever it stands.
func redactMore(s string) string {
	for _, re := range moreParameters {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if strings.HasPrefix(sub[2], "[redacted:") || strings.HasPrefix(sub[2], "redacted:") {
				return m
			}
			return sub[1] + Fingerprint(sub[2])
		})
	}
	return compactJWS.ReplaceAllStringFunc(s, func(m string) string {
		head, _, _ := strings.Cut(m, ".")
		h, err := base64.RawURLEncoding.DecodeString(head)
		if err != nil || !strings.Contains(strings.ToLower(string(h)), "dpop+jwt") {
			return m
		}
		return Fingerprint(m)
	})
}
