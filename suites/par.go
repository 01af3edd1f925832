package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// maxPushedWait bounds how long PAR-05 waits for a request_uri to expire.
const maxPushedWait = 2 * time.Minute

// parEndpoint is the metadata's pushed_authorization_request_endpoint
// (RFC 9126 §5), "" when it names none.
func parEndpoint() string {
	s, _ := env.Metadata["pushed_authorization_request_endpoint"].(string)
	return s
}

// needPAR skips a check, with the reason, when the provider has no PAR endpoint.
func needPAR() string {
	GinkgoHelper()
	needMetadata()
	ep := parEndpoint()
	harness.SkipUnless(ep != "", "the metadata advertises no pushed_authorization_request_endpoint")
	return ep
}

// push sends params to the PAR endpoint as client c, authenticated as at
// the token endpoint (RFC 9126 §2.1); the request_uri that comes back is
// registered with the redactor (it stands for the request until used).
func push(ctx context.Context, c *profile.Client, params url.Values) (*harness.Exchange, error) {
	form := url.Values{}
	for k, v := range params {
		form[k] = append([]string(nil), v...)
	}
	x, err := postAs(ctx, parEndpoint(), c, form)
	if err == nil {
		env.Redactor.Add(requestURIOf(x))
	}
	return x, err
}

// requestURIOf is the request_uri of a PAR response, "" when it has none.
func requestURIOf(x *harness.Exchange) string {
	return stringField(x.JSON(), "request_uri")
}

// pushAccepted reports whether a push came back with a request_uri.
func pushAccepted(x *harness.Exchange) bool {
	return x.Status >= 200 && x.Status < 300 && requestURIOf(x) != ""
}

// inBrowser sends the authorization request params straight to the
// browser of the logged-in user (a request_uri is single-use: a plain-HTTP
// probe first would spend it); also as in authorizeAs.
func inBrowser(ctx context.Context, l *loggedIn, params url.Values, also ...string) (*landing, error) {
	ld := &landing{}
	var err error
	ld.res, ld.deadEnd, err = continueInBrowser(ctx, l.sess, params, also)
	return ld, err
}

// byReference is the authorization request of a pushed request: client_id
// and request_uri (RFC 9126 §4), with extra beside them.
func byReference(clientID, requestURI string, extra url.Values) url.Values {
	v := url.Values{"client_id": {clientID}, "request_uri": {requestURI}}
	for k, vals := range extra {
		v[k] = vals
	}
	return v
}

// pushedFlow is a pushed request, as sent and as used in the browser.
type pushedFlow struct {
	params     url.Values // the pushed parameters
	pushX      *harness.Exchange
	requestURI string
	landing    *landing
	err        error
}

// expiringPush is a request pushed when the suite starts, so that its
// request_uri expires while other checks run: PAR-05 then waits only for
// what is left of its expires_in. BeforeSuite decides nothing with it.
var expiringPush struct {
	flow      *pushedFlow
	pushed    time.Time
	expiresIn time.Duration
}

// pushExpiring pushes expiringPush's request (RFC 9126 §2.1).
func pushExpiring(ctx context.Context) {
	c := env.Profile.Clients.Confidential
	if c == nil || parEndpoint() == "" {
		return
	}
	params := codeParams(c, nil)
	x, err := push(ctx, c, params)
	if err != nil || !pushAccepted(x) {
		return
	}
	expiringPush.flow = &pushedFlow{params: params, pushX: x, requestURI: requestURIOf(x)}
	expiringPush.pushed = time.Now()
	if n, ok := x.JSON()["expires_in"].(float64); ok && n > 0 {
		expiringPush.expiresIn = time.Duration(n) * time.Second
	}
}

var _ = Describe("Pushed authorization requests", Label("flow:authorization_code"), runsLate, Ordered, ContinueOnFailure, func() {
	var (
		client *profile.Client
		login  *loggedIn
		// first is the push every check compares with (PAR-02) and its
		// use in the browser (PAR-03), the control of the negative checks.
		first *pushedFlow
	)

	BeforeAll(func(ctx SpecContext) {
		client = env.Profile.Clients.Confidential
		if client == nil || parEndpoint() == "" {
			return
		}
		// Signed in first: a request_uri lives seconds, and the first one
		// is used as soon as the checks start (a failed login is each
		// check's to report).
		login, _ = sharedLogin(ctx)
		params := codeParams(client, nil)
		x, err := push(ctx, client, params)
		first = &pushedFlow{params: params, pushX: x, err: err}
		if err == nil {
			first.requestURI = requestURIOf(x)
		}
	})

	// needFirst starts a check that needs the first push accepted.
	needFirst := func() {
		GinkgoHelper()
		needPAR()
		harness.SkipUnless(client != nil, "%v", errNoConfidential)
		if first == nil || first.err != nil {
			harness.Undecided(env, fmt.Errorf("pushing the confidential client's request: %v", first.err))
		}
		if !pushAccepted(first.pushX) {
			harness.Undecided(env, fmt.Errorf("a correctly made, authenticated pushed request was refused (see PAR-02):\n%s", env.Evidence(first.pushX)))
		}
	}

	// useFirst runs the first pushed request in the browser once and keeps
	// its landing (PAR-03, and the control of the others).
	useFirst := func(ctx context.Context) *landing {
		GinkgoHelper()
		needFirst()
		if first.landing == nil {
			var err error
			if login == nil || login.cookies == nil {
				if login, err = sharedLogin(ctx); err != nil {
					harness.Undecided(env, err)
				}
			}
			first.landing, first.err = inBrowser(ctx, login, byReference(client.ID, first.requestURI, nil))
		}
		if first.err != nil {
			harness.Undecided(env, first.err)
		}
		return first.landing
	}

	// requireFirstDelivered is the positive control of a negative check.
	requireFirstDelivered := func(ctx context.Context) {
		GinkgoHelper()
		ld := useFirst(ctx)
		if !ld.delivered() {
			harness.Undecided(env, fmt.Errorf("the control — the client's own pushed request, by client_id and request_uri — delivered no code either (see PAR-03): %s", ld))
		}
		env.Attach("control: the client's pushed request delivered a code\n" + ld.String())
	}

	harness.It(env, catalog.PARCreated, func(ctx SpecContext) {
		needFirst()
		x := first.pushX
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusCreated), "the pushed request was answered %d, not 201 Created", x.Status)
		n, ok := x.JSON()["expires_in"].(float64)
		Expect(ok && n > 0 && n == float64(int64(n))).To(BeTrue(), "expires_in is %v, not a positive integer", x.JSON()["expires_in"])
	})

	harness.It(env, catalog.PARClientAuthenticated, func(ctx SpecContext) {
		needFirst()
		form := codeParams(client, nil)
		x, err := env.PostForm(ctx, parEndpoint(), form, "", "")
		harness.Require(env, err)
		env.Redactor.Add(requestURIOf(x))
		env.Attach(fmt.Sprintf("the same request with client_id %s and no client authentication:\n%s\n\ncontrol (authenticated):\n%s", client.ID, env.Evidence(x), env.Evidence(first.pushX)))
		Expect(pushAccepted(x)).To(BeFalse(), "a request pushed in %s's name without its credentials got a request_uri", client.ID)
	})

	harness.It(env, catalog.PARRequestURIUnguessable, func(ctx SpecContext) {
		needFirst()
		const samples = 16
		uris := []string{first.requestURI}
		for len(uris) < samples {
			x, err := push(ctx, client, codeParams(client, nil))
			harness.Require(env, err)
			if !pushAccepted(x) {
				harness.Undecided(env, fmt.Errorf("a push of the sample was refused: %s", env.Evidence(x)))
			}
			uris = append(uris, requestURIOf(x))
		}
		bits, how := harness.EstimateEntropy(uris)
		env.Attach(fmt.Sprintf("estimated %.0f bits from %d request_uri values: %s", bits, len(uris), how))
		Expect(bits).To(BeNumerically(">=", 128), "request_uri values carry about %.0f bits: %s", bits, how)
	})

	harness.It(env, catalog.PARRequestURINotPushed, func(ctx SpecContext) {
		needFirst()
		form := codeParams(client, url.Values{"request_uri": {"urn:ietf:params:oauth:request_uri:oauthconform-made-up"}})
		x, err := push(ctx, client, form)
		harness.Require(env, err)
		env.Attach("a pushed request that carries a request_uri:\n" + env.Evidence(x))
		Expect(pushAccepted(x)).To(BeFalse(), "the PAR endpoint accepted a pushed request carrying request_uri")
	})

	harness.It(env, catalog.PARRequestURIWorks, func(ctx SpecContext) {
		ld := useFirst(ctx)
		ld.attach("the pushed request, by client_id and request_uri alone:")
		Expect(ld.delivered()).To(BeTrue(), "the authorization request of client_id and request_uri delivered no code: %s", ld)
		got := ld.params()
		Expect(got.Get("state")).To(Equal(first.params.Get("state")), "the response's state is not the pushed one")
		_, x, err := exchange(ctx, client, got.Get("code"), verifierOpts(first.params)...)
		Expect(err).NotTo(HaveOccurred(), "the code of the pushed request could not be redeemed:\n%s", env.Evidence(x))
	})

	harness.It(env, catalog.PARRequestURISingleUse, func(ctx SpecContext) {
		requireFirstDelivered(ctx)
		// Over plain HTTP first (authorizeAs): a used request_uri has
		// nothing left to spend (a server that lets it be used again lets
		// the browser use it too), and an error page needs no browser.
		again, err := authorizeAs(ctx, login, byReference(client.ID, first.requestURI, nil))
		harness.Require(env, err)
		again.attach("the same request_uri, used a second time:")
		Expect(again.delivered()).To(BeFalse(), "a request_uri already used delivered a code again: %s", again)
	})

	harness.It(env, catalog.PARRequestURIClientBound, func(ctx SpecContext) {
		var other *profile.Client
		for _, c := range []*profile.Client{env.Profile.Clients.Confidential2, env.Profile.Clients.Public} {
			if c != nil && client != nil && c.ID != client.ID {
				other = c
				break
			}
		}
		harness.SkipUnless(other != nil, "the profile has no second browser client (confidential2 or public)")
		needFirst()
		params := codeParams(client, nil)
		x, err := push(ctx, client, params)
		harness.Require(env, err)
		if !pushAccepted(x) {
			harness.Undecided(env, fmt.Errorf("the push was refused: %s", env.Evidence(x)))
		}
		requireFirstDelivered(ctx)
		// In the browser only: a probe over plain HTTP would spend the
		// request_uri on the consent page another client may get, and the
		// browser would then be refused for the wrong reason.
		ld, err := inBrowser(ctx, login, byReference(other.ID, requestURIOf(x), nil))
		harness.Require(env, err)
		ld.attach(fmt.Sprintf("%s's request_uri, sent with client_id %s:", client.ID, other.ID))
		Expect(ld.delivered()).To(BeFalse(), "a request_uri pushed by %s delivered a code with client_id %s: %s", client.ID, other.ID, ld)
	})

	harness.It(env, catalog.PARRedirectURIValidated, func(ctx SpecContext) {
		needFirst()
		bent := "https://" + probeMarker + ".attacker.example.test/callback"
		params := codeParams(client, url.Values{"redirect_uri": {bent}})
		x, err := push(ctx, client, params)
		harness.Require(env, err)
		env.Attach(fmt.Sprintf("a pushed request with redirect_uri %s:\n%s", bent, env.Evidence(x)))
		if !pushAccepted(x) {
			return // refused at the PAR endpoint, as RFC 9126 §2.1 asks
		}
		requireFirstDelivered(ctx)
		ld, err := inBrowser(ctx, login, byReference(client.ID, requestURIOf(x), nil), bent)
		harness.Require(env, err)
		ld.attach("the PAR endpoint accepted it; its request_uri in the browser:")
		Expect(ld.wentTo(bent) || ld.delivered()).To(BeFalse(), "the pushed request with an unregistered redirect_uri delivered a code: %s", ld)
	})

	harness.It(env, catalog.PAROutsideParamsIgnored, func(ctx SpecContext) {
		needFirst()
		params := codeParams(client, nil)
		x, err := push(ctx, client, params)
		harness.Require(env, err)
		if !pushAccepted(x) {
			harness.Undecided(env, fmt.Errorf("the push was refused: %s", env.Evidence(x)))
		}
		requireFirstDelivered(ctx)
		outside := "outside-" + harness.Random()
		ld, err := inBrowser(ctx, login, byReference(client.ID, requestURIOf(x), url.Values{"state": {outside}}))
		harness.Require(env, err)
		ld.attach(fmt.Sprintf("the request_uri with state %s beside it (the pushed state is %s):", outside, params.Get("state")))
		if !ld.delivered() {
			return // refusing the request altogether uses nothing from outside it either
		}
		Expect(ld.params().Get("state")).NotTo(Equal(outside), "the response carries the state sent beside the request_uri, not the pushed one")
	})

	harness.It(env, catalog.PARRequired, func(ctx SpecContext) {
		needPAR()
		required, _ := env.Metadata["require_pushed_authorization_requests"].(bool)
		c := env.Profile.Clients.ParRequired
		why := "the profile's par_required client"
		if required && client != nil {
			c, why = client, "every client (require_pushed_authorization_requests: true)"
		}
		harness.SkipUnless(c != nil, "the metadata does not require pushed requests and the profile names no par_required client")
		l, err := sharedLogin(ctx)
		if err != nil {
			harness.Undecided(env, err)
		}
		plain := codeParams(c, nil)
		ld, err := authorizeAs(ctx, l, plain)
		harness.Require(env, err)
		ld.attach(fmt.Sprintf("a plain authorization request of %s (PAR is required of %s):", c.ID, why))
		if ld.delivered() {
			harness.Broken("a plain authorization request of %s, which must use PAR, delivered a code: %s", c.ID, ld)
		}
		params := codeParams(c, nil)
		x, err := push(ctx, c, params)
		harness.Require(env, err)
		if !pushAccepted(x) {
			harness.Undecided(env, fmt.Errorf("the control — %s's request, pushed — was refused at the PAR endpoint:\n%s", c.ID, env.Evidence(x)))
		}
		control, err := inBrowser(ctx, l, byReference(c.ID, requestURIOf(x), nil))
		harness.Require(env, err)
		if !control.delivered() {
			harness.Undecided(env, fmt.Errorf("the control — %s's request, pushed — delivered no code either: %s", c.ID, control))
		}
		env.Attach("control: the same request, pushed, delivered a code\n" + control.String())
	})

	// PAR-05 runs last, so that its request_uri aged while the others ran.
	harness.It(env, catalog.PARRequestURIExpires, func(ctx SpecContext) {
		needFirst()
		expiring, expiringPushed, expiresIn := expiringPush.flow, expiringPush.pushed, expiringPush.expiresIn
		if expiring == nil {
			harness.Undecided(env, errors.New("no request was pushed for the expiry check when the suite started"))
		}
		harness.SkipUnless(expiresIn > 0, "the PAR response carries no positive expires_in")
		harness.SkipUnless(expiresIn <= maxPushedWait, "the request_uri lives %s, longer than the harness waits (%s)", expiresIn, maxPushedWait)
		requireFirstDelivered(ctx)
		margin := max(time.Second, expiresIn/10)
		env.Attach(fmt.Sprintf("expires_in %s; used %s after the push", expiresIn, expiresIn+margin))
		select {
		case <-time.After(time.Until(expiringPushed.Add(expiresIn + margin))): // the deadline is the point of the check
		case <-ctx.Done():
			harness.Undecided(env, ctx.Err())
		}
		ld, err := inBrowser(ctx, login, byReference(client.ID, expiring.requestURI, nil))
		harness.Require(env, err)
		ld.attach("the expired request_uri in the browser:")
		Expect(ld.delivered()).To(BeFalse(), "a request_uri used after its expires_in delivered a code: %s", ld)
	})
})

// pushWithAssertion pushes c's request authenticated by the client
// assertion a (RFC 9126 §2.1: as at the token endpoint).
func pushWithAssertion(ctx context.Context, c *profile.Client, a string) (*harness.Exchange, error) {
	form := codeParams(c, nil)
	form.Set("client_assertion_type", assertionTypeJWTBearer)
	form.Set("client_assertion", a)
	x, err := env.PostForm(ctx, parEndpoint(), form, "", "")
	if err == nil {
		env.Redactor.Add(requestURIOf(x))
	}
	return x, err
}

// audiences are the values RFC 9126 §2 has the server accept as the aud
// of a client assertion, by name.
func audiences() [][2]string {
	issuer := env.Endpoints.Issuer
	if s, ok := env.Metadata["issuer"].(string); ok && s != "" {
		issuer = s
	}
	return [][2]string{{"the issuer identifier", issuer}, {"the token endpoint URL", env.Endpoints.Token}, {"the PAR endpoint URL", parEndpoint()}}
}

// refusedAudiences pushes c's request once per audience and lists those refused.
func refusedAudiences(ctx context.Context, c *profile.Client, alg string) []string {
	GinkgoHelper()
	var refused []string
	for _, aud := range audiences() {
		a, err := keyAssertion(c, alg, claims(withAudience(aud[1])))
		harness.Require(env, err)
		x, err := pushWithAssertion(ctx, c, a)
		harness.Require(env, err)
		env.Attach(fmt.Sprintf("aud %s (%s):\n%s", aud[1], aud[0], env.Evidence(x)))
		if !pushAccepted(x) {
			refused = append(refused, aud[0])
		}
	}
	return refused
}
