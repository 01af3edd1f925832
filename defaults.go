// Package oauthconform holds what the oauthconform command builds in so
// that it runs from any directory: the run profile (ginkgo.yaml) and the
// bundled mock's target profiles (profiles/*.yaml). The command itself is
// cmd/oauthconform; the suites are in suites/.
package oauthconform

import "embed"

// Defaults holds ginkgo.yaml and profiles/*.yaml (the mock's profile and
// those of its variants) as committed.
//
//go:embed ginkgo.yaml profiles/*.yaml
var Defaults embed.FS
