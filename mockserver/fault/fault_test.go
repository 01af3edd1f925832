package fault_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

func TestNamesAreUnique(t *testing.T) {
	seen := map[fault.Name]bool{}
	for _, n := range fault.All() {
		if n == "" || seen[n] || strings.ToLower(string(n)) != string(n) {
			t.Errorf("fault name %q is empty, repeated or not lower case", n)
		}
		seen[n] = true
	}
}

// The folders whose Go code names faults: the mock, the catalog, the
// harness and the suites. There a fault is its constant, never a string.
var namingFolders = []string{"..", "../../internal/catalog", "../../internal/harness", "../../internal/cmd", "../../suites"}

func TestNoLiteralFaultNames(t *testing.T) {
	names := map[string]bool{}
	for _, n := range fault.All() {
		names[string(n)] = true
	}
	fset := token.NewFileSet()
	for _, dir := range namingFolders {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && filepath.Base(path) == "fault" {
				return filepath.SkipDir // the constants themselves
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && names[s] {
					t.Errorf("%s: the literal %s names a fault: use its constant in package fault", fset.Position(lit.Pos()), lit.Value)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
