package configerr

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Walk visits every scalar (and empty) node of a YAML document with its
// dotted field path ("clients.public.id", "login[2].click") and records the
// line of every path in lines.
func Walk(n *yaml.Node, path string, lines map[string]int, visit func(n *yaml.Node, field string)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			Walk(c, path, lines, visit)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			child := n.Content[i].Value
			if path != "" {
				child = path + "." + child
			}
			lines[child] = n.Content[i].Line
			Walk(n.Content[i+1], child, lines, visit)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			child := fmt.Sprintf("%s[%d]", path, i)
			lines[child] = c.Line
			Walk(c, child, lines, visit)
		}
	default:
		if visit != nil {
			visit(n, path)
		}
	}
}

// LineOf is the line of field, or of its nearest parent present in the
// document; 0 when none is.
func LineOf(lines map[string]int, field string) int {
	for field != "" {
		if l, ok := lines[field]; ok {
			return l
		}
		cut := strings.LastIndexAny(field, ".[")
		if cut < 0 {
			break
		}
		field = field[:cut]
	}
	return 0
}

// Location is where a yaml.v3 decoding error points.
type Location struct {
	Line    int    // 0: the error names no line
	Field   string // the dotted field on that line, "" when none is known
	Unknown string // the key the strict decoder did not know, if that is the error
	Msg     string // the first error without its "line N: " prefix (all of them, joined, when there is no line)
	More    int    // how many further errors yaml.v3 reported
}

var (
	yamlLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found`)
)

// Locate reads the line out of a yaml.v3 decoding error and, with the
// document's field lines (Walk), the field: the deepest path on that line
// (the unknown key itself when one is named), or, for a list or mapping
// where a value belongs, the shallowest, which is the key that holds it.
func Locate(err error, lines map[string]int) Location {
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	m := yamlLine.FindStringSubmatch(msgs[0])
	if m == nil {
		return Location{Msg: strings.TrimPrefix(strings.Join(msgs, "; "), "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	loc := Location{Line: line, Msg: m[2], More: len(msgs) - 1}
	if u := unknownField.FindStringSubmatch(m[2]); u != nil {
		loc.Unknown = u[1]
	}
	container := strings.Contains(m[2], "!!map") || strings.Contains(m[2], "!!seq")
	for p, l := range lines {
		if l != line || (loc.Unknown != "" && !strings.HasSuffix(p, loc.Unknown)) {
			continue
		}
		if loc.Field == "" || (container && len(p) < len(loc.Field)) || (!container && len(p) > len(loc.Field)) {
			loc.Field = p
		}
	}
	return loc
}
