// Package waiver reads a waivers file: the known deviations a team accepts
// while they are being fixed, each a check ID with a reason and an optional
// expiry date. A waived check that fails is reported as "waived" and does not
// fail the run; after its expiry date it fails again; a waiver for a check
// that passes is stale.
//
//	waivers:
//	  - id: CODE-01
//	    reason: "replay protection ships in 4.2 (TICKET-123)"
//	    expires: 2026-09-30   # optional, YYYY-MM-DD; the waiver holds through that day (UTC)
//
// The file is validated strictly, before any browser starts: an unknown field,
// an unknown check ID, a missing reason, a duplicate ID or a bad date is one
// error naming the file, the line and the field.
package waiver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/oauthconform/oauthconform/internal/configerr"
)

// DateLayout is the format of expires.
const DateLayout = "2006-01-02"

// Waiver is one accepted deviation.
type Waiver struct {
	ID     string
	Reason string
	// Expires is the last day (UTC) the waiver holds; zero means it never expires.
	Expires time.Time
	Line    int // line of the entry in the file
}

// Expired says whether the waiver no longer holds on the day of now (UTC).
func (w Waiver) Expired(now time.Time) bool {
	if w.Expires.IsZero() {
		return false
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return today.After(w.Expires)
}

// ExpiresString is the expiry date as written, or "" when there is none.
func (w Waiver) ExpiresString() string {
	if w.Expires.IsZero() {
		return ""
	}
	return w.Expires.Format(DateLayout)
}

// List is a loaded waivers file.
type List struct {
	Path    string
	Waivers []Waiver
}

// Find returns the waiver for a check ID, or nil. A nil List has none.
func (l *List) Find(id string) *Waiver {
	if l == nil {
		return nil
	}
	for i := range l.Waivers {
		if l.Waivers[i].ID == id {
			return &l.Waivers[i]
		}
	}
	return nil
}

// Error is a problem in a waivers file, located by line and field.
type Error struct {
	File  string
	Line  int    // 0 when unknown
	Field string // e.g. waivers[1].expires
	Msg   string
}

func (e *Error) Error() string {
	return configerr.Format("waivers", e.File, e.Line, e.Field, e.Msg)
}

// Load reads and validates the waivers file at path; known says whether a
// check ID exists (catalog.ByID).
func Load(path string, known func(id string) bool) (*List, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return Parse(path, data, known)
}

// Parse validates a waivers file's contents; name is used in errors.
func Parse(name string, data []byte, known func(id string) bool) (*List, error) {
	fail := func(n *yaml.Node, field, format string, args ...any) error {
		line := 0
		if n != nil {
			line = n.Line
		}
		return &Error{File: name, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &List{Path: name}, nil // an empty file waives nothing
		}
		return nil, &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root, "", "want a mapping with the key waivers (a list of {id, reason, expires})")
	}
	list := &List{Path: name}
	var items *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "waivers" {
			return nil, fail(k, k.Value, "unknown field (the file has one key, waivers)")
		}
		items = v
	}
	if items == nil || items.Tag == "!!null" {
		return list, nil
	}
	if items.Kind != yaml.SequenceNode {
		return nil, fail(items, "waivers", "want a list of {id, reason, expires}")
	}
	seen := map[string]int{}
	for i, item := range items.Content {
		at := fmt.Sprintf("waivers[%d]", i)
		if item.Kind != yaml.MappingNode {
			return nil, fail(item, at, "want a mapping {id, reason, expires}")
		}
		w := Waiver{Line: item.Line}
		var expires string
		nodes := map[string]*yaml.Node{"id": item, "reason": item}
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			field := at + "." + k.Value
			if v.Kind != yaml.ScalarNode {
				return nil, fail(v, field, "want a single value")
			}
			nodes[k.Value] = v
			switch k.Value {
			case "id":
				w.ID = strings.TrimSpace(v.Value)
			case "reason":
				w.Reason = strings.TrimSpace(v.Value)
			case "expires":
				expires = strings.TrimSpace(v.Value)
			default:
				return nil, fail(k, field, "unknown field (want id, reason, expires)")
			}
		}
		switch {
		case w.ID == "":
			return nil, fail(nodes["id"], at+".id", "required")
		case known != nil && !known(w.ID):
			return nil, fail(nodes["id"], at+".id", "unknown check ID %q (make catalog lists them)", w.ID)
		case seen[w.ID] > 0:
			return nil, fail(nodes["id"], at+".id", "%s is already waived on line %d", w.ID, seen[w.ID])
		case w.Reason == "":
			return nil, fail(nodes["reason"], at+".reason", "required: say why the deviation is accepted")
		}
		if n, ok := nodes["expires"]; ok {
			t, err := time.Parse(DateLayout, expires)
			if err != nil {
				return nil, fail(n, at+".expires", "%q is not a date (want YYYY-MM-DD)", expires)
			}
			w.Expires = t
		}
		seen[w.ID] = item.Line
		list.Waivers = append(list.Waivers, w)
	}
	return list, nil
}
