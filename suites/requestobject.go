package suites

import (
	"context"
	"crypto"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// requestObjectTyp is the typ of a request object (RFC 9101 §10.8).
const requestObjectTyp = "oauth-authz-req+jwt"

// objectSpec is what requestObject makes: the claims and how they are signed.
type objectSpec struct {
	claims   map[string]any
	key      crypto.Signer
	unsigned bool
}

// objectOption changes one thing of a request object.
type objectOption func(*objectSpec)

func objectClaim(name string, v any) objectOption {
	return func(o *objectSpec) { o.claims[name] = v }
}

func objectSignedBy(k crypto.Signer) objectOption { return func(o *objectSpec) { o.key = k } }

func objectUnsigned() objectOption { return func(o *objectSpec) { o.unsigned = true } }

// requestObject is a request object (RFC 9101 §4, OIDC Core §6.1) of c's
// code request params: every parameter a claim, with iss the client, aud
// the issuer, a short exp and a jti; signed with c's key by alg (RFC 9101
// §10.8 typ) — changed by opts. It is registered with the redactor.
func requestObject(c *profile.Client, alg string, params url.Values, opts ...objectOption) (string, error) {
	now := time.Now()
	o := objectSpec{claims: map[string]any{}, key: c.Signer()}
	for k := range params {
		o.claims[k] = params.Get(k)
	}
	o.claims["iss"] = c.ID
	o.claims["aud"] = issuerID()
	o.claims["iat"] = now.Unix()
	o.claims["exp"] = now.Add(5 * time.Minute).Unix()
	o.claims["jti"] = harness.Random()
	for _, opt := range opts {
		opt(&o)
	}
	raw, err := signJWT(o.claims, o.unsigned, alg, o.key, c.KeyID, requestObjectTyp)
	if err != nil {
		return "", err
	}
	env.Redactor.Add(raw)
	return raw, nil
}

// issuerID is the provider's issuer identifier, as its metadata says.
func issuerID() string {
	if s, ok := env.Metadata["issuer"].(string); ok && s != "" {
		return s
	}
	return env.Endpoints.Issuer
}

// byValue is the authorization request of a request object: client_id,
// response_type and scope beside it (OIDC Core §6.1 asks for them there
// too), the object as request, and extra.
func byValue(c *profile.Client, params url.Values, obj string, extra url.Values) url.Values {
	v := url.Values{"client_id": {c.ID}, "response_type": {params.Get("response_type")}, "request": {obj}}
	if s := params.Get("scope"); s != "" {
		v.Set("scope", s)
	}
	for k, vals := range extra {
		v[k] = vals
	}
	return v
}

// objectServer serves request objects by reference from a loopback
// listener of the harness (RFC 9101 §5.2), one path per object.
type objectServer struct {
	mu      sync.Mutex
	objects map[string]string
	srv     *http.Server
	base    string
}

func newObjectServer() (*objectServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	o := &objectServer{objects: map[string]string{}, base: "http://" + ln.Addr().String()}
	o.srv = &http.Server{Handler: o, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = o.srv.Serve(ln) }()
	return o, nil
}

func (o *objectServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	obj, ok := o.objects[r.URL.Path]
	o.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/"+requestObjectTyp)
	_, _ = w.Write([]byte(obj))
}

// add serves obj and returns its URL.
func (o *objectServer) add(obj string) string {
	path := "/request/" + harness.Random() + ".jwt"
	o.mu.Lock()
	o.objects[path] = obj
	o.mu.Unlock()
	return o.base + path
}

var _ = Describe("Request objects", Label("flow:authorization_code"), Ordered, ContinueOnFailure, func() {
	var (
		client *profile.Client
		alg    string
		login  *loggedIn
		// first is the correctly made request object's authorization
		// (JAR-01), the control of the negative checks.
		firstParams url.Values
		first       *landing
		firstErr    error
		objects     *objectServer
	)

	// need starts a check: request objects advertised, a browser client
	// with a key, an algorithm of it the provider lists.
	need := func(ctx context.Context) {
		GinkgoHelper()
		needMetadata()
		supported, _ := env.Metadata["request_parameter_supported"].(bool)
		harness.SkipUnless(supported, "the metadata does not advertise request_parameter_supported")
		client = nil
		if c := env.Profile.Clients.Confidential; c != nil && c.Signer() != nil {
			client = c
		}
		harness.SkipUnless(client != nil, "the profile gives the confidential client no private_key to sign request objects with")
		algs := metadataList("request_object_signing_alg_values_supported")
		alg = ""
		for _, a := range client.KeyAlgs() {
			if containsString(algs, a) {
				alg = a
				break
			}
		}
		harness.SkipUnless(alg != "", "request_object_signing_alg_values_supported (%s) lists no algorithm %s's key signs with (%s)", listOrNone(algs), client.ID, listOrNone(client.KeyAlgs()))
		if login == nil {
			var err error
			if login, err = sharedLogin(ctx); err != nil {
				harness.Undecided(env, err)
			}
		}
	}

	// useFirst sends the correctly made request object once (JAR-01).
	useFirst := func(ctx context.Context) *landing {
		GinkgoHelper()
		need(ctx)
		if first == nil && firstErr == nil {
			firstParams = codeParams(client, nil)
			obj, err := requestObject(client, alg, firstParams)
			harness.Require(env, err)
			outside := byValue(client, firstParams, obj, nil)
			first, firstErr = authorizeAs(ctx, login, outside)
		}
		if firstErr != nil {
			harness.Undecided(env, firstErr)
		}
		return first
	}

	requireControl := func(ctx context.Context) {
		GinkgoHelper()
		ld := useFirst(ctx)
		if !ld.delivered() {
			harness.Undecided(env, fmt.Errorf("the control — a correctly made, signed request object — delivered no code either (see JAR-01): %s", ld))
		}
		env.Attach("control: a correctly made request object delivered a code\n" + ld.String())
	}

	// refusedObject sends a broken request object and judges it refused.
	refusedObject := func(ctx context.Context, what string, params url.Values, opts ...objectOption) {
		GinkgoHelper()
		obj, err := requestObject(client, alg, params, opts...)
		harness.Require(env, err)
		ld, err := authorizeAs(ctx, login, byValue(client, params, obj, nil))
		harness.Require(env, err)
		ld.attach(what + ":")
		if ld.delivered() {
			harness.Broken("%s delivered a code: %s", what, ld)
		}
		requireControl(ctx)
	}

	AfterAll(func() {
		if objects != nil {
			_ = objects.srv.Close()
		}
	})

	harness.It(env, catalog.RequestObjectWorks, func(ctx SpecContext) {
		ld := useFirst(ctx)
		ld.attach(fmt.Sprintf("a request object signed by %s (redirect_uri inside it only):", alg))
		Expect(ld.delivered()).To(BeTrue(), "the signed request object delivered no code: %s", ld)
		Expect(ld.params().Get("state")).To(Equal(firstParams.Get("state")), "the response's state is not the request object's")
		_, x, err := exchange(ctx, client, ld.params().Get("code"), verifierOpts(firstParams)...)
		Expect(err).NotTo(HaveOccurred(), "the code could not be redeemed:\n%s", env.Evidence(x))
	})

	harness.It(env, catalog.RequestObjectSignatureChecked, func(ctx SpecContext) {
		need(ctx)
		other, err := freshKeyLike(client.Signer())
		harness.Require(env, err)
		refusedObject(ctx, "a request object signed with a fresh key (same type and kid) never registered", codeParams(client, nil), objectSignedBy(other))
	})

	harness.It(env, catalog.RequestObjectUnsignedHandled, func(ctx SpecContext) {
		need(ctx)
		params := codeParams(client, nil)
		if !containsString(metadataList("request_object_signing_alg_values_supported"), "none") {
			refusedObject(ctx, "an unsigned request object (alg none), which request_object_signing_alg_values_supported does not list", params, objectUnsigned())
			return
		}
		obj, err := requestObject(client, alg, params, objectUnsigned())
		harness.Require(env, err)
		ld, err := authorizeAs(ctx, login, byValue(client, params, obj, nil))
		harness.Require(env, err)
		ld.attach("an unsigned request object (the metadata lists none):")
		Expect(ld.delivered() && ld.params().Get("state") == params.Get("state")).To(BeTrue(), "an unsigned request object, which the metadata supports, was not used as the request: %s", ld)
	})

	harness.It(env, catalog.RequestObjectOutsideParamsIgnored, func(ctx SpecContext) {
		need(ctx)
		requireControl(ctx)
		params := codeParams(client, nil)
		obj, err := requestObject(client, alg, params)
		harness.Require(env, err)
		outside := "outside-" + harness.Random()
		ld, err := authorizeAs(ctx, login, byValue(client, params, obj, url.Values{"state": {outside}}))
		harness.Require(env, err)
		ld.attach(fmt.Sprintf("the request object with state %s beside it (its own is %s):", outside, params.Get("state")))
		if !ld.delivered() {
			return // refused altogether: nothing from outside it was used either
		}
		Expect(ld.params().Get("state")).NotTo(Equal(outside), "the response carries the state sent beside the request object, not its own")
	})

	harness.It(env, catalog.RequestObjectClientIDMatched, func(ctx SpecContext) {
		need(ctx)
		other := otherClientID(client)
		refusedObject(ctx, fmt.Sprintf("a request object naming client_id %s, signed with %s's key and sent with client_id %s", other, client.ID, client.ID),
			codeParams(client, nil), objectClaim("client_id", other))
	})

	harness.It(env, catalog.RequestObjectAudienceChecked, func(ctx SpecContext) {
		need(ctx)
		refusedObject(ctx, "a request object whose aud is https://attacker.example.test", codeParams(client, nil), objectClaim("aud", "https://attacker.example.test"))
	})

	harness.It(env, catalog.RequestObjectExpiryChecked, func(ctx SpecContext) {
		need(ctx)
		past := time.Now().Add(-10 * time.Minute)
		refusedObject(ctx, "a request object that expired 10 minutes ago", codeParams(client, nil),
			objectClaim("iat", past.Add(-5*time.Minute).Unix()), objectClaim("exp", past.Unix()))
	})

	harness.It(env, catalog.RequestObjectByReference, func(ctx SpecContext) {
		need(ctx)
		supported, ok := env.Metadata["request_uri_parameter_supported"].(bool)
		harness.SkipUnless(ok && supported, "the metadata does not advertise request_uri_parameter_supported: true")
		registration, _ := env.Metadata["require_request_uri_registration"].(bool)
		harness.SkipUnless(!registration, "the provider requires request_uri values to be registered beforehand (require_request_uri_registration)")
		if objects == nil {
			var err error
			objects, err = newObjectServer()
			harness.Require(env, err)
		}
		params := codeParams(client, nil)
		obj, err := requestObject(client, alg, params)
		harness.Require(env, err)
		uri := objects.add(obj)
		env.Redactor.Add(uri) // it stands for the request (RFC 9101 §5.2)
		outside := byValue(client, params, "", nil)
		outside.Del("request")
		outside.Set("request_uri", uri)
		ld, err := authorizeAs(ctx, login, outside)
		harness.Require(env, err)
		ld.attach(fmt.Sprintf("the request object by reference, served by the harness at %s:", uri))
		Expect(ld.delivered() && ld.params().Get("state") == params.Get("state")).To(BeTrue(),
			"the request object by reference was not used (a provider on another host cannot reach the harness's loopback listener): %s", ld)
	})
})
