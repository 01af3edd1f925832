package catalogdoc

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/mockserver"
)

// readmeCount is a number the README states, found by its pattern (the
// number is the first group).
type readmeCount struct {
	what string
	re   *regexp.Regexp
	n    func() int
}

func readmeCounts() []readmeCount {
	checks := func() int { return len(catalog.All()) }
	return []readmeCount{
		{"checks", regexp.MustCompile(`\*\*(\d+) checks\*\*`), checks},
		{"proven checks", regexp.MustCompile(`proven (\d+)/\d+`), checks},
		{"proven total", regexp.MustCompile(`proven \d+/(\d+)`), checks},
		{"faults", regexp.MustCompile(`(\d+) named faults`), func() int { return len(mockserver.AllFaults()) }},
	}
}

// READMECounts returns readme with every count it states set to the
// catalog's (or the mock's): make docs writes it back, a test compares. It
// is an error when the README no longer states one of them.
func READMECounts(readme []byte) ([]byte, error) {
	out := readme
	for _, c := range readmeCounts() {
		if !c.re.Match(out) {
			return nil, fmt.Errorf("README.md no longer states the number of %s (%s)", c.what, c.re)
		}
		n := strconv.Itoa(c.n())
		out = c.re.ReplaceAllFunc(out, func(m []byte) []byte {
			loc := c.re.FindSubmatchIndex(m)
			return append(append(append([]byte(nil), m[:loc[2]]...), n...), m[loc[3]:]...)
		})
	}
	return out, nil
}
