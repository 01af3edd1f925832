package mockserver

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// NewClientKey returns a fresh RSA key (2048 bits) as a PKCS #8 PEM block:
// the key a client authenticates with by private_key_jwt (OIDC Core §9,
// RFC 7523 §2.2) and signs its request objects with (RFC 9101). RSA, so
// that one key signs with an advertised algorithm (PS256) and one that is
// not advertised (RS256).
func NewClientKey() (string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("mockserver: generating a client key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// ClientPublicJWK is the public half of a client key in PEM (PKCS #8,
// PKCS #1 or SEC 1), as a client registers it (RFC 7591 jwks), with its
// RFC 7638 thumbprint as kid.
func ClientPublicJWK(pemText string) (jose.JSONWebKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return jose.JSONWebKey{}, errors.New("mockserver: the client key is not PEM")
	}
	var priv any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		priv, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		priv, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		priv, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	if err != nil {
		return jose.JSONWebKey{}, fmt.Errorf("mockserver: the client key: %w", err)
	}
	signer, ok := priv.(crypto.Signer)
	if !ok {
		return jose.JSONWebKey{}, errors.New("mockserver: the client key cannot sign")
	}
	jwk := jose.JSONWebKey{Key: signer.Public(), Use: "sig"}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	jwk.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	return jwk, nil
}

// privateKeyJWTAlgs are the algorithms this server accepts for
// private_key_jwt assertions (and advertises beside HS256, RFC 8414 §2
// token_endpoint_auth_signing_alg_values_supported): those FAPI 2.0
// allows for an RSA or a P-256 key. RS256 is not one of them.
var privateKeyJWTAlgs = []jose.SignatureAlgorithm{jose.PS256, jose.ES256}

// parPath is the pushed authorization request endpoint (RFC 9126 §2).
const parPath = "/par"

// WithWebKey fills in s.WebKey with a fresh client key when it is empty.
func (s *Secrets) WithWebKey() error {
	if s.WebKey != "" {
		return nil
	}
	k, err := NewClientKey()
	s.WebKey = k
	return err
}
