// Command zitadel-op serves the example OpenID Provider of
// github.com/zitadel/oidc/v3 (example/server/exampleop and its in-memory
// storage) on 127.0.0.1, with a 127.0.0.1 issuer, for the oauthconform
// interop run. It is the example's own main with four changes: a loopback
// listener on a free port, clients for every profile role, secrets from the
// environment instead of the example's fixed ones, and JWT access tokens
// (op.AccessTokenTypeJWT, RFC 9068-style) for the confidential and service
// clients, so that the token-format and forged-token checks have a JWT to
// judge; the public clients keep the example's opaque tokens.
//
//	zitadel-op URL_FILE
//
// It writes its issuer (http://127.0.0.1:PORT/) to URL_FILE once it listens
// and reads ZITADEL_WEB_SECRET, ZITADEL_WEB2_SECRET, ZITADEL_IMPLICIT_SECRET,
// ZITADEL_SVC_SECRET and ZITADEL_ALICE_PASSWORD.
//
// This is its own Go module, so that the example's dependencies stay out of
// the harness's module.
package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// The redirect URIs need no listener: the harness intercepts them in the
// browser. web2 registers a second one (RU-21).
const (
	redirect  = "https://client.example.test/callback"
	redirect2 = "https://client.example.test/callback2"
)

// The example storage's only client-credentials client ("service user"),
// fixed in storage.NewStorageWithClients.
const (
	serviceClientID      = "sid1"
	exampleServiceSecret = "verysecret"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: zitadel-op URL_FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "zitadel-op:", err)
		os.Exit(1)
	}
}

func run(urlFile string) error {
	env := map[string]string{}
	for _, k := range []string{"ZITADEL_WEB_SECRET", "ZITADEL_WEB2_SECRET", "ZITADEL_IMPLICIT_SECRET", "ZITADEL_SVC_SECRET", "ZITADEL_ALICE_PASSWORD"} {
		if env[k] = os.Getenv(k); env[k] == "" {
			return fmt.Errorf("environment variable %s is not set", k)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	// The example's issuer form, http://localhost:PORT/, on 127.0.0.1.
	issuer := fmt.Sprintf("http://%s/", l.Addr())

	storage.RegisterClients(
		storage.WebClient("web", env["ZITADEL_WEB_SECRET"], redirect),
		storage.WebClient("web2", env["ZITADEL_WEB2_SECRET"], redirect, redirect2),
		storage.NativeClient("spa", redirect),
		// The example's web client type is the one that offers "id_token token".
		storage.WebClient("legacy-spa", env["ZITADEL_IMPLICIT_SECRET"], redirect),
	)
	users := userStore{"alice": {
		ID: "alice-id", Username: "alice", Password: env["ZITADEL_ALICE_PASSWORD"],
		FirstName: "Alice", LastName: "Example", Email: "alice@example.test", EmailVerified: true,
		PreferredLanguage: language.English,
	}}
	store := &serviceSecretStorage{Storage: storage.NewStorage(users), secret: env["ZITADEL_SVC_SECRET"]}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := exampleop.SetupServer(issuer, store, logger, false)

	srv := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	if err := writeAtomic(urlFile, issuer); err != nil {
		return err
	}
	fmt.Println("zitadel-op", issuer)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case err := <-errc:
		return err
	case <-sig:
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	}
}

func writeAtomic(path, s string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// serviceSecretStorage is the example storage with the secret of its
// client-credentials client taken from the environment; everything else,
// including what a wrong secret gets, is the example's.
type serviceSecretStorage struct {
	*storage.Storage
	secret string
}

func (s *serviceSecretStorage) ClientCredentials(ctx context.Context, clientID, clientSecret string) (op.Client, error) {
	if clientID == serviceClientID && subtle.ConstantTimeCompare([]byte(clientSecret), []byte(s.secret)) == 1 {
		clientSecret = exampleServiceSecret
	} else if clientSecret == exampleServiceSecret {
		return nil, errors.New("wrong service user or password") // the example's fixed secret is not valid here
	}
	c, err := s.Storage.ClientCredentials(ctx, clientID, clientSecret)
	return withTokenType(c, err)
}

// jwtAccessTokens are the clients whose access tokens are JWTs; the example's
// client constructors fix op.AccessTokenTypeBearer (opaque) for every client.
var jwtAccessTokens = map[string]bool{"web": true, serviceClientID: true}

// GetClientByClientID is the example's, with the access token type above.
func (s *serviceSecretStorage) GetClientByClientID(ctx context.Context, clientID string) (op.Client, error) {
	return withTokenType(s.Storage.GetClientByClientID(ctx, clientID))
}

func withTokenType(c op.Client, err error) (op.Client, error) {
	if err != nil || !jwtAccessTokens[c.GetID()] {
		return c, err
	}
	return jwtClient{c}, nil
}

// jwtClient is an example client that is issued JWT access tokens.
type jwtClient struct{ op.Client }

func (jwtClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }

// userStore implements storage.UserStore with users whose passwords come
// from the environment.
type userStore map[string]*storage.User

func (u userStore) GetUserByID(id string) *storage.User {
	for _, user := range u {
		if user.ID == id {
			return user
		}
	}
	return nil
}

func (u userStore) GetUserByUsername(username string) *storage.User { return u[username] }

// ExampleClientID is the example's JWT-profile service user.
func (u userStore) ExampleClientID() string { return storage.ServiceUserID }
