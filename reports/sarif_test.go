package reports_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/reports"
)

// sarifSchema compiles the SARIF 2.1.0 schema shipped in testdata (see NOTICE).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-2.1.0-rtm.5.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateSARIF(t *testing.T, s *jsonschema.Schema, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("results.sarif does not validate against SARIF 2.1.0: %v", err)
	}
}

// The schema check itself rejects what code scanning would: a result
// with a level SARIF does not have.
func TestSARIFSchemaRejectsABadLevel(t *testing.T) {
	s := sarifSchema(t)
	bad := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"A","level":"fail","message":{"text":"m"}}]}]}`)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err := s.Validate(inst); err == nil {
		t.Fatal("a result with level \"fail\" validated")
	}
}

// One rule per catalog check, one result per fail or warning, valid
// SARIF 2.1.0, no secret.
func TestSARIF(t *testing.T) {
	report, run, r := richRun(t)
	run.Version, run.Target.Profile = "v1.2.3", "oauth/staging.yaml"
	doc := reports.Build(report, run, r)
	path := filepath.Join(t.TempDir(), "results.sarif")
	if err := reports.WriteSARIF(path, doc); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sarifSchema(t), data)
	assertNoSecrets(t, "results.sarif", data)

	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID               string `json:"id"`
						HelpURI          string `json:"helpUri"`
						ShortDescription struct {
							Text string `json:"text"`
						} `json:"shortDescription"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	d := log.Runs[0].Tool.Driver
	if d.Name != "oauthconform" || d.Version != "v1.2.3" {
		t.Errorf("driver %q %q", d.Name, d.Version)
	}
	if len(d.Rules) != len(catalog.All()) {
		t.Errorf("%d rules, want one per check (%d)", len(d.Rules), len(catalog.All()))
	}
	for _, rule := range d.Rules {
		c, ok := catalog.ByID(rule.ID)
		if !ok {
			t.Errorf("rule %s is no check", rule.ID)
			continue
		}
		wantLevel := map[verdict.Level]string{verdict.Must: "error", verdict.Should: "warning", verdict.May: "note"}[c.Level]
		if rule.ShortDescription.Text != c.Title || rule.HelpURI == "" || rule.DefaultConfiguration.Level != wantLevel || rule.Properties["level"] != string(c.Level) {
			t.Errorf("rule %s: title %q help %q level %q properties %v", rule.ID, rule.ShortDescription.Text, rule.HelpURI, rule.DefaultConfiguration.Level, rule.Properties)
		}
	}
	want := map[string]string{}
	for _, c := range doc.Checks {
		switch c.Verdict {
		case verdict.Fail:
			want[c.ID] = "error"
		case verdict.Warning:
			want[c.ID] = "warning"
		}
	}
	got := map[string]string{}
	for _, res := range log.Runs[0].Results {
		got[res.RuleID] = res.Level
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "oauth/staging.yaml" {
			t.Errorf("result %s: locations %+v", res.RuleID, res.Locations)
		}
	}
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("results %v, want %v (one per fail or warning)", got, want)
	}
	for id, level := range want {
		if got[id] != level {
			t.Errorf("result %s: level %q, want %q", id, got[id], level)
		}
	}
}
