// Package buildinfo says which oauthconform built the running binary: the
// module version and the commit, from runtime/debug.ReadBuildInfo.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// linkedCommit is the commit given at link time (make's build of the binary:
// -ldflags -X github.com/oauthconform/oauthconform/internal/buildinfo.linkedCommit=...),
// for builds that record no VCS information (-buildvcs=false).
var linkedCommit string

// Info identifies a build.
type Info struct {
	Version  string `json:"version"`            // module version, "(devel)" for a build from a checkout
	Commit   string `json:"commit,omitempty"`   // VCS revision, when the build recorded one
	Modified bool   `json:"modified,omitempty"` // built from a checkout with uncommitted changes
	Go       string `json:"go,omitempty"`       // the Go toolchain
}

// Read returns the running binary's build information.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "unknown"}
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo extracts the Info of bi.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Version: bi.Main.Version, Go: bi.GoVersion}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	if info.Commit == "" {
		info.Commit = linkedCommit
	}
	return info
}

// String is "v1.2.3 (commit abc123def456, go1.26.0)".
func (i Info) String() string {
	var extra []string
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if i.Modified {
			c += "+modified"
		}
		extra = append(extra, "commit "+c)
	}
	if i.Go != "" {
		extra = append(extra, i.Go)
	}
	if len(extra) == 0 {
		return i.Version
	}
	return i.Version + " (" + strings.Join(extra, ", ") + ")"
}
