// Package oauthconform holds what the oauthconform command builds in so
// that it runs from any directory: the run profile (ginkgo.yaml) and the
// bundled mock's target profile (profiles/mock.yaml). The command itself is
// cmd/oauthconform; the suites are in suites/.
package oauthconform

import "embed"

// Defaults holds ginkgo.yaml and profiles/mock.yaml as committed.
//
//go:embed ginkgo.yaml profiles/mock.yaml
var Defaults embed.FS
