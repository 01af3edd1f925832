package mockserver

import (
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// idTokenHeader is the alg of an ID Token's JOSE header.
func idTokenAlg(t *testing.T, idt string) string {
	t.Helper()
	h, _, ok := decodeJWT(idt)
	if !ok {
		// decodeJWT refuses alg none; read the header by hand.
		if strings.Count(idt, ".") == 2 && strings.HasSuffix(idt, ".") {
			return "none"
		}
		t.Fatalf("not a JWT: %q", idt)
	}
	return h.Algorithm
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.IDTokenNoIat: func(t *testing.T, e *env) bool {
			_, idt := e.codeIDToken("n-iat")
			_, ok := idClaims(t, idt)["iat"].(float64)
			return ok
		},
		fault.IDTokenLongSub: func(t *testing.T, e *env) bool {
			_, idt := e.codeIDToken("n-sub")
			sub, _ := idClaims(t, idt)["sub"].(string)
			return sub != "" && len(sub) <= 255
		},
		fault.IDTokenSubPerLogin: func(t *testing.T, e *env) bool {
			_, first := e.codeIDToken("n-1")
			// A second sign-in of the same user, in a fresh browser.
			e.clock.Advance(time.Second)
			e.browser = newBrowser(t)
			e.browser.Transport = trustingTransport(e.rs)
			_, second := e.codeIDToken("n-2")
			return idClaims(t, first)["sub"] == idClaims(t, second)["sub"]
		},
		fault.IDTokenWrongAzp: func(t *testing.T, e *env) bool {
			_, idt := e.codeIDToken("n-azp")
			azp, has := idClaims(t, idt)["azp"]
			return !has || azp == "web"
		},
		fault.IDTokenAlgNotAdvertised: func(t *testing.T, e *env) bool {
			_, idt := e.codeIDToken("n-alg")
			return listHas(e.metadata()["id_token_signing_alg_values_supported"], idTokenAlg(t, idt))
		},
		fault.MetadataNoRS256: func(t *testing.T, e *env) bool {
			return listHas(e.metadata()["id_token_signing_alg_values_supported"], string(jose.RS256))
		},
		fault.IDTokenAlgNone: func(t *testing.T, e *env) bool {
			_, idt := e.codeIDToken("n-none")
			return idTokenAlg(t, idt) != "none"
		},
	}
	for name, p := range probes {
		conformanceProbes[name] = p
	}
}
