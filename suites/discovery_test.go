package suites

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

var _ = Describe("Discovery", Label("flow:discovery"), func() {
	harness.It(catalog.MetadataIssuerIdentical, func(ctx SpecContext) {
		harness.SkipUnless(env.Metadata != nil, "no discovery document: %v", env.MetadataErr)
		env.Attach("metadata: " + env.MetadataURL)
		Expect(env.Metadata["issuer"]).To(Equal(env.Endpoints.Issuer), "issuer in %s", env.MetadataURL)
	})
})
