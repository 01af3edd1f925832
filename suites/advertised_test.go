package suites

import (
	"context"
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

// clientAssertion is a client_secret_jwt assertion (OIDC Core §9, RFC 7523
// §2.2 and §3): HS256 keyed with secret, iss and sub the client_id, aud the
// token endpoint, a short exp and a fresh jti. It is registered with the
// redactor: it authenticates the client until it expires.
func clientAssertion(c *profile.Client, secret string) (string, error) {
	if len(secret) < 32 {
		return "", errShortSecret
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(secret)}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	now := time.Now()
	raw, err := jwt.Signed(signer).Claims(jwt.Claims{
		Issuer: c.ID, Subject: c.ID, Audience: jwt.Audience{env.Endpoints.Token},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(2 * time.Minute)), ID: harness.Random(),
	}).Serialize()
	if err != nil {
		return "", err
	}
	env.Redactor.Add(raw)
	return raw, nil
}

// exercisableAuthMethods are the token_endpoint_auth_methods_supported
// values the harness can use with what a profile holds: a client id and
// secret, or a public client.
var exercisableAuthMethods = map[string]bool{
	"client_secret_basic": true, "client_secret_post": true, "client_secret_jwt": true, "none": true,
}

// authenticateWith sends a token request that cannot succeed for any reason
// but client authentication — an authorization code the harness made up —
// as client c, authenticated by method (RFC 6749 §2.3.1, RFC 7523 §2.2;
// "none": the client_id alone, RFC 6749 §3.2.1) keyed with secret. An
// authenticated client gets invalid_grant (or unauthorized_client); an
// unauthenticated one invalid_client.
func authenticateWith(ctx context.Context, method string, c *profile.Client, secret string) (*harness.Exchange, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"oauthconform-invalid-code"}, "redirect_uri": {env.Profile.RedirectURI}}
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
		form.Set("client_assertion_type", assertionTypeJWTBearer)
		form.Set("client_assertion", a)
	default: // none
		form.Set("client_id", c.ID)
	}
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
	harness.It(catalog.AdvertisedAuthMethodsWork, func(ctx SpecContext) {
		harness.SkipUnless(env.Metadata != nil, "no discovery document: %v", env.MetadataErr)
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
			if m == "none" {
				clients = []*profile.Client{public}
			}
			var answers []string
			tried := 0
			for _, c := range clients {
				x, err := authenticateWith(ctx, m, c, c.Secret)
				if errors.Is(err, errShortSecret) {
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
			if tried > 0 {
				exercised = append(exercised, m)
				refused = append(refused, m+" ("+strings.Join(answers, "; ")+")")
			} else {
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

	harness.It(catalog.AdvertisedGrantsRecognised, func(ctx SpecContext) {
		harness.SkipUnless(env.Metadata != nil, "no discovery document: %v", env.MetadataErr)
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

var _ = Describe("Client authentication: JWT assertions", Label("flow:client_credentials"), func() {
	harness.It(catalog.ClientAssertionSignatureChecked, func(ctx SpecContext) {
		harness.SkipUnless(env.Metadata != nil, "no discovery document: %v", env.MetadataErr)
		harness.SkipUnless(containsString(metadataList("token_endpoint_auth_methods_supported"), "client_secret_jwt"),
			"the metadata does not advertise client_secret_jwt")
		c := secretClient()
		harness.SkipUnless(c != nil, "the profile has no client with a secret")
		right, err := authenticateWith(ctx, "client_secret_jwt", c, c.Secret)
		harness.SkipUnless(!errors.Is(err, errShortSecret), "%v", err)
		harness.Require(env, err)
		env.Attach("keyed with the client's secret:\n" + env.Evidence(right))
		if clientRefused(right) {
			harness.Undecided(env, fmt.Errorf("client_secret_jwt keyed with the right secret is refused too (see DSC-09), so a refusal of a wrong one proves nothing:\n%s", env.Evidence(right)))
		}
		wrongSecret := harness.Random() + harness.Random()
		wrong, err := authenticateWith(ctx, "client_secret_jwt", c, wrongSecret)
		harness.Require(env, err)
		env.Attach("keyed with another secret:\n" + env.Evidence(wrong))
		Expect(clientRefused(wrong)).To(BeTrue(), "an assertion whose MAC was made with a wrong secret authenticated %s:\n%s", c.ID, env.Evidence(wrong))
	})
})

var _ = Describe("Token introspection by another client", Label("flow:refresh"), func() {
	harness.It(catalog.IntrospectionForeignClientConsistent, func(ctx SpecContext) {
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
