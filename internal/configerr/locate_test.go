package configerr

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLocateNamesTheLineAndField(t *testing.T) {
	doc := "a:\n  b: 1\n  list:\n    - {x: y}\n  colour: red\n"
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	lines := map[string]int{}
	var scalars []string
	Walk(&root, "", lines, func(n *yaml.Node, field string) { scalars = append(scalars, field) })
	if lines["a.list[0].x"] != 4 || LineOf(lines, "a.list[0].missing") != 4 || LineOf(lines, "nowhere") != 0 {
		t.Errorf("lines = %v", lines)
	}
	if strings.Join(scalars, ",") != "a.b,a.list[0].x,a.colour" {
		t.Errorf("visited %v", scalars)
	}

	var v struct {
		A struct {
			B    int `yaml:"b"`
			List []map[string]string
		} `yaml:"a"`
	}
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	loc := Locate(dec.Decode(&v), lines)
	if loc.Line != 5 || loc.Field != "a.colour" || loc.Unknown != "colour" {
		t.Errorf("unknown field located as %+v", loc)
	}

	loc = Locate(yaml.Unmarshal([]byte("a: [\n"), &v), nil)
	if loc.Line == 0 || loc.Msg == "" {
		t.Errorf("syntax error located as %+v", loc)
	}
}
