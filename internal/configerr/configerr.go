// Package configerr formats configuration errors the same way for every file
// the harness reads (run profile, target profile, waivers): the kind of file,
// the file and line, the dotted field, the message.
package configerr

import "fmt"

// Format renders "KIND FILE[:LINE]: [FIELD: ]MSG"; line 0 means unknown.
func Format(kind, file string, line int, field, msg string) string {
	loc := file
	if line > 0 {
		loc = fmt.Sprintf("%s:%d", file, line)
	}
	if field != "" {
		return fmt.Sprintf("%s %s: %s: %s", kind, loc, field, msg)
	}
	return fmt.Sprintf("%s %s: %s", kind, loc, msg)
}
