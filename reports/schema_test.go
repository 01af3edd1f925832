package reports_test

import (
	"encoding/json"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/reports"
)

// TestJSONSchemaMatchesTheDocument keeps docs/report.schema.json and the Go
// model in step: each object in the schema names exactly the keys the
// marshalled document has (optional ones included), requires only keys that
// are always written, and the verdict enum is the verdict model.
func TestJSONSchemaMatchesTheDocument(t *testing.T) {
	data, err := os.ReadFile("../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("docs/report.schema.json: %v", err)
	}
	report, run, r := richRun(t)
	run.Settings.WaiversFile, run.Settings.LabelFilter = "w.yaml", "MUST"
	run.Version, run.Target.Profile = "v1.2.3 (commit abcdef)", "oauth/staging.yaml"
	run.Settings.FailOn = verdict.High
	doc := reports.Build(report, run, r)
	doc.SetupError = "no browser"
	// The catalog's severities are filled elsewhere: the schema must know the fields all the same.
	doc.Checks[0].Severity, doc.Checks[0].Threat, doc.Checks[0].Quote = verdict.High, "code injection", "RFC 6749 §4.1.2: … MUST …"
	doc.Recount()
	// A plan is reported only when all its checks ran: the schema must know it all the same.
	doc.Plans = []reports.PlanReport{{Name: "fapi2-security", Title: "FAPI 2.0 Security Profile", Met: 1, MetText: "requirements met", Total: 1,
		Requirements: []reports.RequirementReport{{Text: "access tokens are sender-constrained", Met: true, By: "DPoP", Checks: []string{"DP-01 pass"}}}}}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if v := schema["properties"].(map[string]any)["schema_version"]; v == nil {
		t.Fatal("no schema_version in the schema")
	}

	// compare checks one object against its schema, and recurses into the
	// named nested objects; keys: the union over several instances.
	var compare func(path string, s map[string]any, instances []map[string]any)
	compare = func(path string, s map[string]any, instances []map[string]any) {
		props, _ := s["properties"].(map[string]any)
		union := map[string]bool{}
		for _, inst := range instances {
			for k := range inst {
				union[k] = true
			}
		}
		if a, b := slices.Sorted(maps.Keys(props)), slices.Sorted(maps.Keys(union)); !slices.Equal(a, b) {
			t.Errorf("%s: schema properties %v, document keys %v", path, a, b)
		}
		if s["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties must be false", path)
		}
		required, _ := s["required"].([]any)
		for _, req := range required {
			for _, inst := range instances {
				if _, ok := inst[req.(string)]; !ok {
					t.Errorf("%s: required %q missing from an instance", path, req)
				}
			}
		}
		for key, p := range props {
			ps := p.(map[string]any)
			var nested []map[string]any
			itemSchema := ps
			if ps["type"] == "array" {
				itemSchema, _ = ps["items"].(map[string]any)
			}
			if itemSchema == nil || itemSchema["properties"] == nil {
				continue
			}
			for _, inst := range instances {
				switch v := inst[key].(type) {
				case map[string]any:
					nested = append(nested, v)
				case []any:
					for _, item := range v {
						nested = append(nested, item.(map[string]any))
					}
				}
			}
			if len(nested) > 0 {
				compare(path+"."+key, itemSchema, nested)
			}
		}
	}
	compare("report", schema, []map[string]any{got})

	defs := schema["$defs"].(map[string]any)
	var enum []string
	for _, v := range defs["verdict"].(map[string]any)["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	var model []string
	for _, v := range verdict.All {
		model = append(model, string(v))
	}
	if a, b := slices.Sorted(slices.Values(enum)), slices.Sorted(slices.Values(model)); !slices.Equal(a, b) {
		t.Errorf("schema verdicts %v, model %v", a, b)
	}
	enum, model = nil, nil
	for _, v := range defs["severity"].(map[string]any)["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	for _, s := range verdict.Severities {
		model = append(model, string(s))
	}
	if a, b := slices.Sorted(slices.Values(enum)), slices.Sorted(slices.Values(model)); !slices.Equal(a, b) {
		t.Errorf("schema severities %v, model %v", a, b)
	}
}
