package suites

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/oauthconform/oauthconform/internal/discovery"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// needMetadata lets a check that reads the discovery document go on only
// with one: skipped when the issuer publishes none (every well-known URL
// answered 404, or the profile names no issuer), undecided when it could
// not be read (a timeout, a 5xx, HTML or malformed JSON) — the document may
// exist and say what the check looks for.
func needMetadata() {
	GinkgoHelper()
	if env.Metadata != nil {
		return
	}
	if env.Profile.Issuer == "" || discovery.NotPublished(env.MetadataErr) {
		harness.SkipUnless(false, "no discovery document: %v", env.MetadataErr)
	}
	harness.Undecided(env, fmt.Errorf("the discovery document could not be read: %w", env.MetadataErr))
}
