package oauthconform

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// compileSchema compiles one of docs/schemas/*.schema.json.
func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join("docs", "schemas", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

// yamlInstance is a YAML document as the JSON value an editor's YAML
// language server checks against the schema (YAML 1.2 core: an unquoted date
// is a string).
func yamlInstance(t *testing.T, name string, data []byte) any {
	t.Helper()
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Tag == "!!timestamp" {
			n.Tag = "!!str"
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&node)
	var v any
	if err := node.Decode(&v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func validateFile(t *testing.T, s *jsonschema.Schema, path string) error {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(yamlInstance(t, path, data))
}

// Every committed profile validates against the published schemas, and
// the schemas refuse what the loaders refuse.
func TestSchemas(t *testing.T) {
	target := compileSchema(t, "target-profile.schema.json")
	var profiles []string
	for _, glob := range []string{"profiles/*.yaml", "docs/profiles/*.yaml", "interop/*/profile.yaml"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		profiles = append(profiles, m...)
	}
	if len(profiles) < 5 {
		t.Fatalf("only %d profiles found: %v", len(profiles), profiles)
	}
	for _, p := range profiles {
		if err := validateFile(t, target, p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	run := compileSchema(t, "run-profile.schema.json")
	if err := validateFile(t, run, "ginkgo.yaml"); err != nil {
		t.Errorf("ginkgo.yaml: %v", err)
	}
	waivers := compileSchema(t, "waivers.schema.json")
	good := "waivers:\n  - id: CODE-01\n    reason: replay protection ships in 4.2\n    expires: 2027-03-01\n  - {id: AE-02, reason: known}\n"
	if err := waivers.Validate(yamlInstance(t, "waivers", []byte(good))); err != nil {
		t.Errorf("a valid waivers file: %v", err)
	}

	for _, bad := range []struct {
		schema *jsonschema.Schema
		name   string
		text   string
	}{
		{target, "unknown field", "name: x\nissuer: https://a.test\nclients: {service: {id: a, secret: b}}\nlogn: []\n"},
		{target, "no name", "issuer: https://a.test\nclients: {service: {id: a, secret: b}}\n"},
		{target, "no issuer nor endpoints", "name: x\nclients: {service: {id: a, secret: b}}\n"},
		{target, "a step with two actions", "name: x\nissuer: https://a.test\nclients: {service: {id: a, secret: b}}\nlogin: [{fill: '#u', click: '#b'}]\n"},
		{target, "a service without secret", "name: x\nissuer: https://a.test\nclients: {service: {id: a}}\n"},
		{target, "a bad auth method", "name: x\nissuer: https://a.test\nclients: {service: {id: a, secret: b, auth_method: private_key_jwt}}\n"},
		{run, "a bad duration", "timeouts: {http: ten seconds}\n"},
		{run, "an unknown key", "reprots: {dir: x}\n"},
		{waivers, "no reason", "waivers:\n  - id: CODE-01\n"},
		{waivers, "a bad date", "waivers:\n  - {id: CODE-01, reason: r, expires: 1 March}\n"},
	} {
		if err := bad.schema.Validate(yamlInstance(t, bad.name, []byte(bad.text))); err == nil {
			t.Errorf("%s: validated", bad.name)
		}
	}
}

// The schemas say where they apply, for editors that map files by $id.
func TestSchemaIDs(t *testing.T) {
	names, _ := filepath.Glob("docs/schemas/*.schema.json")
	for _, n := range names {
		data, _ := os.ReadFile(n)
		var s struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(data, &s); err != nil || !strings.HasSuffix(s.ID, filepath.Base(n)) {
			t.Errorf("%s: $id %q (%v)", n, s.ID, err)
		}
	}
}
