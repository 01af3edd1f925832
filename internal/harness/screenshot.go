package harness

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/oauthconform/oauthconform/internal/verdict"
)

// AttachScreenshot saves png under the reports directory and attaches its
// path to the check, as the evidence of what the browser showed (the page
// a refused request rests on, say).
func (env *Env) AttachScreenshot(png []byte) {
	if len(png) == 0 {
		return
	}
	if path, err := env.saveScreenshot(png); err == nil {
		ginkgo.AddReportEntry(verdict.EntryScreenshot, path, quiet)
	}
}
