package suites

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// assertionTypeJWTBearer is the client_assertion_type of RFC 7523 §2.2.
const assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// errShortSecret: RFC 7518 §3.2 "A key of the same size as the hash output
// (for instance, 256 bits for "HS256") or larger MUST be used".
var errShortSecret = errors.New("the client secret is shorter than the 256 bits an HS256 key needs (RFC 7518 §3.2)")

// assertionOption changes one thing of a clientAssertion: what a check
// expects the server to refuse.
type assertionOption func(*assertionSpec)

// assertionSpec is what clientAssertion makes: its claims, and whether it
// is left unsigned.
type assertionSpec struct {
	claims   jwt.Claims
	unsigned bool
}

// withAudience sets aud to aud instead of the token endpoint.
func withAudience(aud string) assertionOption {
	return func(a *assertionSpec) { a.claims.Audience = jwt.Audience{aud} }
}

// naming sets iss and sub to clientID instead of the client's own.
func naming(clientID string) assertionOption {
	return func(a *assertionSpec) { a.claims.Issuer, a.claims.Subject = clientID, clientID }
}

// expiredFor moves iat and exp back so that exp passed d ago.
func expiredFor(d time.Duration) assertionOption {
	return func(a *assertionSpec) {
		now := time.Now()
		a.claims.IssuedAt = jwt.NewNumericDate(now.Add(-d - 2*time.Minute))
		a.claims.Expiry = jwt.NewNumericDate(now.Add(-d))
	}
}

// unsigned makes an unsecured JWT (RFC 7519 §6): header {"alg":"none"}, the
// claims and an empty signature, written by hand since go-jose signs
// nothing with none.
func unsigned() assertionOption {
	return func(a *assertionSpec) { a.unsigned = true }
}

// clientAssertion is a client_secret_jwt assertion (OIDC Core §9, RFC 7523
// §2.2 and §3): HS256 keyed with secret, iss and sub the client_id, aud the
// token endpoint, a short exp and a fresh jti — changed by opts. It is
// registered with the redactor: it authenticates the client until it expires.
func clientAssertion(c *profile.Client, secret string, opts ...assertionOption) (string, error) {
	now := time.Now()
	a := assertionSpec{claims: jwt.Claims{
		Issuer: c.ID, Subject: c.ID, Audience: jwt.Audience{env.Endpoints.Token},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(2 * time.Minute)), ID: harness.Random(),
	}}
	for _, o := range opts {
		o(&a)
	}
	var raw string
	if a.unsigned {
		payload, err := json.Marshal(a.claims)
		if err != nil {
			return "", err
		}
		enc := base64.RawURLEncoding.EncodeToString
		raw = enc([]byte(`{"alg":"none"}`)) + "." + enc(payload) + "."
	} else {
		if len(secret) < 32 {
			return "", errShortSecret
		}
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(secret)}, (&jose.SignerOptions{}).WithType("JWT"))
		if err != nil {
			return "", err
		}
		if raw, err = jwt.Signed(signer).Claims(a.claims).Serialize(); err != nil {
			return "", err
		}
	}
	env.Redactor.Add(raw)
	return raw, nil
}

// registeredFor reports whether the profile says one of clients is
// registered for the token endpoint authentication method m.
func registeredFor(m string, clients []*profile.Client) bool {
	for _, c := range clients {
		if c.RegisteredFor(m) {
			return true
		}
	}
	return false
}

// exercisableAuthMethods are the token_endpoint_auth_methods_supported
// values the harness can use with what a profile holds: a client id and
// secret, or a public client.
var exercisableAuthMethods = map[string]bool{
	"client_secret_basic": true, "client_secret_post": true, "client_secret_jwt": true, "private_key_jwt": true, "none": true,
}

// errNoKey: private_key_jwt needs a client key the profile gives (private_key).
var errNoKey = errors.New("the profile gives the client no private_key, or the provider advertises no algorithm its key signs with")

// authenticateWith sends a token request that cannot succeed for any reason
// but client authentication — an authorization code the harness made up —
// as client c, authenticated by method (RFC 6749 §2.3.1, RFC 7523 §2.2;
// "none": the client_id alone, RFC 6749 §3.2.1) keyed with secret. An
// authenticated client gets invalid_grant (or unauthorized_client); an
// unauthenticated one invalid_client.
func authenticateWith(ctx context.Context, method string, c *profile.Client, secret string) (*harness.Exchange, error) {
	form := madeUpCodeRequest()
	user, pass := "", ""
	switch method {
	case "client_secret_basic":
		user, pass = c.ID, secret
	case "client_secret_post":
		form.Set("client_id", c.ID)
		form.Set("client_secret", secret)
	case "client_secret_jwt":
		a, err := clientAssertion(c, secret)
		if err != nil {
			return nil, err
		}
		return authenticateWithAssertion(ctx, a, "")
	case "private_key_jwt":
		alg := ""
		if c.Signer() != nil {
			alg = keyAlg(c)
		}
		if alg == "" {
			return nil, errNoKey
		}
		a, err := keyAssertion(c, alg)
		if err != nil {
			return nil, err
		}
		return authenticateWithAssertion(ctx, a, "")
	default: // none
		form.Set("client_id", c.ID)
	}
	return postMadeUpCode(ctx, form, user, pass)
}

// authenticateWithAssertion sends authenticateWith's request authenticated
// by the client assertion a alone (RFC 7523 §2.2), with client_id set to
// clientID unless it is empty (RFC 7521 §4.2 makes it OPTIONAL).
func authenticateWithAssertion(ctx context.Context, a, clientID string) (*harness.Exchange, error) {
	form := madeUpCodeRequest()
	form.Set("client_assertion_type", assertionTypeJWTBearer)
	form.Set("client_assertion", a)
	if clientID != "" {
		form.Set("client_id", clientID)
	}
	return postMadeUpCode(ctx, form, "", "")
}

// madeUpCodeRequest is a token request that no server can grant: an
// authorization code the harness made up.
func madeUpCodeRequest() url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {"oauthconform-invalid-code"}, "redirect_uri": {env.Profile.RedirectURI}}
}

// postMadeUpCode sends a madeUpCodeRequest to the token endpoint, with
// Basic credentials when user is not empty; tokens in the answer (there
// should be none) are registered with the redactor.
func postMadeUpCode(ctx context.Context, form url.Values, user, pass string) (*harness.Exchange, error) {
	x, err := env.PostForm(ctx, env.Endpoints.Token, form, user, pass)
	if err != nil {
		return nil, err
	}
	registerTokens(x)
	return x, nil
}

// clientRefused reports whether a token endpoint answer refused the
// client's authentication (RFC 6749 §5.2 invalid_client, 401).
func clientRefused(x *harness.Exchange) bool {
	return x.Status == http.StatusUnauthorized || stringField(x.JSON(), "error") == "invalid_client"
}

// secretClients are the profile's clients that hold a secret, the
// confidential client first.
func secretClients() []*profile.Client {
	var out []*profile.Client
	seen := map[string]bool{}
	for _, c := range []*profile.Client{env.Profile.Clients.Confidential, env.Profile.Clients.Confidential2, env.Profile.Clients.Service} {
		if c != nil && c.Secret != "" && !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// secretClient is the client that holds a secret for the client
// authentication checks: the confidential client, or another; nil if none.
func secretClient() *profile.Client {
	if cs := secretClients(); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

// metadataList reads a metadata array of strings, with its RFC 8414 §2
// default when the member is absent.
func metadataList(name string, def ...string) []string {
	raw, ok := env.Metadata[name]
	if !ok {
		return def
	}
	list, _ := raw.([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

var _ = Describe("Discovery: advertised capabilities", Label("flow:discovery"), func() {
	harness.It(env, catalog.AdvertisedAuthMethodsWork, func(ctx SpecContext) {
		needMetadata()
		// RFC 8414 §2: "If omitted, the default is client_secret_basic".
		methods := metadataList("token_endpoint_auth_methods_supported", "client_secret_basic")
		// A provider may bind each client to the one method it registered
		// (RFC 7591 §2 token_endpoint_auth_method), so a method counts as
		// working when any of the profile's clients authenticates with it.
		secretful := secretClients()
		public := env.Profile.Clients.Public
		var exercised, notExercised, refused []string
		var control *harness.Exchange
	methods:
		for _, m := range methods {
			switch {
			case !exercisableAuthMethods[m]:
				notExercised = append(notExercised, m+" (needs keys or certificates the profile cannot give)")
				continue
			case m == "none" && public == nil:
				notExercised = append(notExercised, m+" (the profile has no public client)")
				continue
			case m != "none" && len(secretful) == 0:
				notExercised = append(notExercised, m+" (the profile has no client with a secret)")
				continue
			case m != "none" && control == nil:
				// Without credentials the same request must get
				// invalid_client, or an authenticated answer cannot be told
				// from an unauthenticated one.
				var err error
				control, err = authenticateWith(ctx, "none", secretful[0], "")
				harness.Require(env, err)
				env.Attach("without credentials (the control):\n" + env.Evidence(control))
				if !clientRefused(control) {
					harness.Undecided(env, fmt.Errorf("the token endpoint does not answer a request without client credentials with invalid_client (see CA-03), so an authenticated request cannot be told apart:\n%s", env.Evidence(control)))
				}
			}
			clients := secretful
			switch {
			case m == "none":
				clients = []*profile.Client{public}
			case m == "private_key_jwt" && env.Profile.Clients.KeyOnly != nil:
				// The client registered for private_key_jwt alone first.
				clients = append([]*profile.Client{env.Profile.Clients.KeyOnly}, secretful...)
			}
			var answers []string
			tried := 0
			for _, c := range clients {
				x, err := authenticateWith(ctx, m, c, c.Secret)
				if errors.Is(err, errShortSecret) || errors.Is(err, errNoKey) {
					answers = append(answers, c.ID+": not tried, "+err.Error())
					continue
				}
				harness.Require(env, err)
				tried++
				env.Attach(fmt.Sprintf("%s as %s:\n%s", m, c.ID, env.Evidence(x)))
				if !clientRefused(x) {
					exercised = append(exercised, m)
					continue methods
				}
				answers = append(answers, fmt.Sprintf("%s: %d %s", c.ID, x.Status, stringField(x.JSON(), "error")))
			}
			switch {
			case tried > 0 && registeredFor(m, clients):
				exercised = append(exercised, m)
				refused = append(refused, m+" ("+strings.Join(answers, "; ")+")")
			case tried > 0:
				// A provider may bind each client to the one method it
				// registered (RFC 7591 §2 token_endpoint_auth_method): a
				// refusal then says nothing about the method.
				notExercised = append(notExercised, m+" (refused for every client of the profile, none of which is registered for it: "+
					strings.Join(answers, "; ")+")")
			default:
				notExercised = append(notExercised, m+" ("+strings.Join(answers, "; ")+")")
			}
		}
		env.Attach(fmt.Sprintf("advertised: %s\nexercised: %s\nnot exercised: %s",
			strings.Join(methods, ", "), listOrNone(exercised), listOrNone(notExercised)))
		harness.SkipUnless(len(exercised) > 0, "no advertised client authentication method the harness can exercise (advertised: %s; not exercised: %s)",
			listOrNone(methods), listOrNone(notExercised))
		Expect(refused).To(BeEmpty(), "%s advertises these token endpoint authentication methods, but the token endpoint refused every client of the profile with them "+
			"(where a provider binds each client to one registered method, register one of the profile's clients for each advertised method)", env.MetadataURL)
	})

	harness.It(env, catalog.AdvertisedGrantsRecognised, func(ctx SpecContext) {
		needMetadata()
		clients := secretClients()
		harness.SkipUnless(len(clients) > 0, "the profile has no confidential or service client to send token requests with")
		// RFC 8414 §2: "If omitted, the default value is
		// ["authorization_code", "implicit"]". The implicit grant never
		// reaches the token endpoint (RFC 6749 §4.2).
		grants := metadataList("grant_types_supported", "authorization_code", "implicit")
		var unsupported, undecided, tried []string
		for _, g := range grants {
			if g == "implicit" {
				continue
			}
			tried = append(tried, g)
			// Providers may authenticate a client only for the grants it is
			// registered for (client credentials: the service client), so
			// each client of the profile is tried until one is not refused.
			judged := false
			for _, c := range clientsFor(g, clients) {
				x := tokenRequest(ctx, c, url.Values{"grant_type": {g}})
				env.Attach(fmt.Sprintf("grant_type=%s as %s:\n%s", g, c.ID, env.Evidence(x)))
				if clientRefused(x) {
					continue
				}
				judged = true
				if stringField(x.JSON(), "error") == "unsupported_grant_type" {
					unsupported = append(unsupported, g)
				}
				break
			}
			if !judged {
				undecided = append(undecided, g)
			}
		}
		harness.SkipUnless(len(tried) > 0, "grant_types_supported lists no grant that uses the token endpoint: %s", listOrNone(grants))
		Expect(unsupported).To(BeEmpty(), "%s advertises these grant types, but the token endpoint answers them with unsupported_grant_type", env.MetadataURL)
		if len(undecided) > 0 {
			harness.Undecided(env, fmt.Errorf("the token endpoint refused the authentication of every client of the profile for %s, so whether it knows the grant cannot be told", strings.Join(undecided, ", ")))
		}
	})
})

// clientsFor orders the profile's clients for a token request with grant g:
// the service client first for client credentials, the others first otherwise.
func clientsFor(g string, clients []*profile.Client) []*profile.Client {
	svc := env.Profile.Clients.Service
	if g != "client_credentials" || svc == nil {
		return clients
	}
	out := []*profile.Client{svc}
	for _, c := range clients {
		if c.ID != svc.ID {
			out = append(out, c)
		}
	}
	return out
}

// assertionBaseline starts a client_secret_jwt check: it skips, with the
// reason, unless the metadata advertises the method and the profile has a
// client with a secret long enough to key HS256, and ends the check as
// undecided when even an assertion made as RFC 7523 §3 asks is refused — a
// refusal of a broken one would then prove nothing. It returns the client
// and the assertion the token endpoint accepted.
func assertionBaseline(ctx context.Context) (*profile.Client, string) {
	needMetadata()
	harness.SkipUnless(containsString(metadataList("token_endpoint_auth_methods_supported"), "client_secret_jwt"),
		"the metadata does not advertise client_secret_jwt")
	c := secretClient()
	for _, o := range secretClients() {
		if o.RegisteredFor("client_secret_jwt") {
			c = o
			break
		}
	}
	harness.SkipUnless(c != nil, "the profile has no client with a secret")
	a, err := clientAssertion(c, c.Secret)
	harness.SkipUnless(!errors.Is(err, errShortSecret), "%v", err)
	harness.Require(env, err)
	right, err := authenticateWithAssertion(ctx, a, "")
	harness.Require(env, err)
	env.Attach("a correctly made assertion, keyed with the client's secret:\n" + env.Evidence(right))
	if clientRefused(right) && !registeredFor("client_secret_jwt", []*profile.Client{c}) {
		// A provider may bind each client to the one method it registered
		// (RFC 7591 §2): this client is not registered for assertions.
		harness.SkipUnless(false, "a correctly made client_secret_jwt assertion for %s is refused too, and no client of the profile is registered for client_secret_jwt "+
			"(a provider may bind each client to the one method it registered, RFC 7591 §2): there is no accepted assertion to compare a broken one with", c.ID)
	}
	if clientRefused(right) {
		harness.Undecided(env, fmt.Errorf("a correctly made client_secret_jwt assertion is refused too (see DSC-09), so refusing a broken one proves nothing:\n%s", env.Evidence(right)))
	}
	return c, a
}

// expectAssertionRefused is the verdict on a broken assertion, described by
// what: RFC 7523 §3.2 "The value of the "error" parameter MUST be the
// "invalid_client" error code" when the client's JWT is not valid.
func expectAssertionRefused(c *profile.Client, x *harness.Exchange, what string) {
	env.Attach(what + ":\n" + env.Evidence(x))
	code := stringField(x.JSON(), "error")
	why := fmt.Sprintf("was answered %d %s, not invalid_client (RFC 7523 §3.2)", x.Status, code)
	if code == "invalid_grant" || code == "unauthorized_client" {
		why = fmt.Sprintf("authenticated %s: the token endpoint answered %s, as it does an authenticated client for the made-up code", c.ID, code)
	}
	Expect(clientRefused(x)).To(BeTrue(), "%s %s:\n%s", what, why, env.Evidence(x))
}

// otherClientID is a client other than c for an assertion to name: another
// client of the profile, else an identifier no server has registered.
func otherClientID(c *profile.Client) string {
	cl := env.Profile.Clients
	for _, o := range append(secretClients(), cl.Public) {
		if o != nil && o.ID != c.ID {
			return o.ID
		}
	}
	return "oauthconform-unregistered-client"
}

var _ = Describe("Client authentication: JWT assertions", Label("flow:client_credentials"), func() {
	harness.It(env, catalog.ClientAssertionSignatureChecked, func(ctx SpecContext) {
		c, _ := assertionBaseline(ctx)
		a, err := clientAssertion(c, harness.Random()+harness.Random())
		harness.Require(env, err)
		x, err := authenticateWithAssertion(ctx, a, "")
		harness.Require(env, err)
		expectAssertionRefused(c, x, "an assertion whose MAC was made with a wrong secret")
	})

	harness.It(env, catalog.ClientAssertionAudienceChecked, func(ctx SpecContext) {
		c, _ := assertionBaseline(ctx)
		a, err := clientAssertion(c, c.Secret, withAudience("https://attacker.example.test/token"))
		harness.Require(env, err)
		x, err := authenticateWithAssertion(ctx, a, "")
		harness.Require(env, err)
		expectAssertionRefused(c, x, "an assertion for another server (aud https://attacker.example.test/token)")
	})

	harness.It(env, catalog.ClientAssertionSubjectChecked, func(ctx SpecContext) {
		c, _ := assertionBaseline(ctx)
		// Keyed with c's secret and sent with c's client_id: only iss and
		// sub are wrong, so a server that identifies the client by
		// client_id and reads neither authenticates c.
		other := otherClientID(c)
		a, err := clientAssertion(c, c.Secret, naming(other))
		harness.Require(env, err)
		x, err := authenticateWithAssertion(ctx, a, c.ID)
		harness.Require(env, err)
		expectAssertionRefused(c, x, fmt.Sprintf("an assertion whose iss and sub are %s, keyed with %s's secret and sent with client_id %s", other, c.ID, c.ID))
	})

	harness.It(env, catalog.ClientAssertionExpiryChecked, func(ctx SpecContext) {
		c, accepted := assertionBaseline(ctx)
		a, err := clientAssertion(c, c.Secret, expiredFor(10*time.Minute))
		harness.Require(env, err)
		x, err := authenticateWithAssertion(ctx, a, "")
		harness.Require(env, err)
		expectAssertionRefused(c, x, "an assertion that expired 10 minutes ago")

		// RFC 7523 §3 item 7: the server MAY refuse a replayed jti. That is
		// not what this check is about (an expired assertion), so what the
		// accepted assertion gets a second time is evidence beside the
		// verdict, never its reason.
		replay, err := authenticateWithAssertion(ctx, accepted, "")
		harness.Require(env, err)
		var seen string
		switch code := stringField(replay.JSON(), "error"); {
		case clientRefused(replay):
			seen = "refused with invalid_client: the token endpoint detects replay, which RFC 7523 §3 item 7 allows (MAY)"
		case code == "invalid_grant" || code == "unauthorized_client":
			seen = fmt.Sprintf("authenticates %s again (answered %s): RFC 7523 §3 item 7 leaves replay detection to the server (MAY)", c.ID, code)
		default:
			seen = fmt.Sprintf("answered %d %s, which says neither whether the client was authenticated nor that replay was detected", replay.Status, code)
		}
		env.Attach("observation beside this check: the accepted assertion sent again (same jti) is " + seen + "\n" + env.Evidence(replay))
	})

	harness.It(env, catalog.ClientAssertionUnsignedRefused, func(ctx SpecContext) {
		c, _ := assertionBaseline(ctx)
		a, err := clientAssertion(c, "", unsigned())
		harness.Require(env, err)
		x, err := authenticateWithAssertion(ctx, a, "")
		harness.Require(env, err)
		expectAssertionRefused(c, x, "an unsigned assertion (alg none)")
	})
})

var _ = Describe("Token introspection by another client", Label("flow:refresh"), func() {
	harness.It(env, catalog.IntrospectionForeignClientConsistent, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.Introspection != "", "the target has no introspection endpoint")
		// The token's own client is whoever freshAccessToken uses.
		owner := env.Profile.Clients.Confidential
		if owner == nil {
			owner = env.Profile.Clients.Service
		}
		harness.SkipUnless(owner != nil, "the profile has no client that can obtain an access token")
		var other *profile.Client
		for _, c := range []*profile.Client{env.Profile.Clients.Confidential2, env.Profile.Clients.Service} {
			if c != nil && c.Secret != "" && c.ID != owner.ID {
				other = c
				break
			}
		}
		harness.SkipUnless(other != nil, "the profile has no second client with a secret (confidential2 or service) to introspect %s's token with", owner.ID)
		token := freshAccessToken(ctx)
		own := introspect(ctx, owner, token, "access_token")
		ownClaims := own.JSON()
		if ownClaims["active"] != true {
			harness.Undecided(env, fmt.Errorf("the token's own client %s does not see its fresh access token active (see IN-01):\n%s", owner.ID, env.Evidence(own)))
		}
		x := introspect(ctx, other, token, "access_token")
		env.Attach(fmt.Sprintf("the token's own client, %s:\n%s\n\nanother client, %s:\n%s", owner.ID, env.Evidence(own), other.ID, env.Evidence(x)))
		got := x.JSON()
		active, isBool := got["active"].(bool)
		switch {
		case x.Status >= 400:
			Expect(got).NotTo(HaveKeyWithValue("active", true), "a refusal (%d) that says the token is active", x.Status)
			harness.Info(env, fmt.Sprintf("introspection of %s's token by %s is refused (%d %s)", owner.ID, other.ID, x.Status, stringField(got, "error")))
		case !isBool:
			Expect(isBool).To(BeTrue(), "the answer to %s has no boolean active (RFC 7662 §2.2): %v", other.ID, got["active"])
		case !active:
			Expect(got).To(Equal(map[string]any{"active": false}), "an inactive answer to %s carries more than active", other.ID)
			harness.Info(env, fmt.Sprintf("introspection is limited to the token's own client: %s gets {\"active\": false} for %s's active token", other.ID, owner.ID))
		default:
			if id, ok := got["client_id"]; ok {
				Expect(id).To(Equal(owner.ID), "the answer to %s names client_id %v, but the token was issued to %s", other.ID, id, owner.ID)
			}
			// The facts about the token itself must not depend on who asks.
			var differ []string
			for _, k := range []string{"sub", "exp", "iat", "jti", "iss"} {
				want, inOwn := ownClaims[k]
				if have, inOther := got[k]; inOwn && inOther && fmt.Sprint(have) != fmt.Sprint(want) {
					differ = append(differ, fmt.Sprintf("%s %v (the token's own client sees %v)", k, have, want))
				}
			}
			sort.Strings(differ)
			Expect(differ).To(BeEmpty(), "the answer to %s describes another token than the answer to %s", other.ID, owner.ID)
			harness.Info(env, fmt.Sprintf("any authenticated client may introspect any token: %s sees %s's token active, with its claims; "+
				"RFC 7662 §4 leaves this to policy — consider limiting introspection to the token's own client or to resource servers", other.ID, owner.ID))
		}
	})
})

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "nothing" // not "none", which is a method name
	}
	return strings.Join(list, ", ")
}
