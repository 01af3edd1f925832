package verdict

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Row is one row of results.json: one check's verdict. id, level, verdict
// and reason are stable (internal/cmd/faults, internal/cmd/verdict,
// internal/cmd/multi and interop read them); the others were added later and
// may be absent in older files.
type Row struct {
	ID       string   `json:"id"`
	Level    Level    `json:"level"`
	Severity Severity `json:"severity,omitempty"`
	Verdict  Verdict  `json:"verdict"`
	Reason   string   `json:"reason,omitempty"`
	Title    string   `json:"title,omitempty"`
	Area     string   `json:"area,omitempty"`
	Seconds  float64  `json:"seconds"`
	Waiver   string   `json:"waiver,omitempty"`
}

// ReadRows reads results.json; a row without an ID or with an unknown
// verdict is an error.
func ReadRows(path string) ([]Row, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []Row
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, row := range rows {
		if row.ID == "" || row.Verdict == "" {
			return nil, fmt.Errorf("%s: row %d has no id or verdict", path, i)
		}
		if _, err := Parse(string(row.Verdict)); err != nil {
			return nil, fmt.Errorf("%s: row %d (%s): %w", path, i, row.ID, err)
		}
	}
	return rows, nil
}

// WriteRows writes results.json.
func WriteRows(path string, rows []Row) error {
	if rows == nil {
		rows = []Row{}
	}
	data, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// CountRows counts rows by verdict; every verdict has a key.
func CountRows(rows []Row) map[Verdict]int {
	vs := make([]Verdict, len(rows))
	for i, r := range rows {
		vs[i] = r.Verdict
	}
	return Count(vs...)
}

// AnyFailed reports whether a row is a fail: a MUST check whose Ginkgo spec
// failed, which explains a failed suite even when the exit policy (a
// --fail-on severity) does not fail the run for it.
func AnyFailed(rows []Row) bool {
	for _, r := range rows {
		if r.Verdict == Fail {
			return true
		}
	}
	return false
}
