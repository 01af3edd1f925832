package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"strconv"
)

// junitFile is one target's JUnit file.
type junitFile struct{ name, path string }

// The merge keeps every <testsuite> as it is (attributes and content, so it
// follows whatever the reports package writes) and only prefixes its name
// with the target's; the root's counts are the sums of the suites'.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Attrs   []xml.Attr   `xml:",any,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	XMLName xml.Name   `xml:"testsuite"`
	Attrs   []xml.Attr `xml:",any,attr"`
	Inner   []byte     `xml:",innerxml"`
}

// summed are the root attributes recomputed from the suites.
var summed = []string{"tests", "failures", "errors", "disabled", "skipped", "time"}

// mergeJUnit writes one <testsuites> holding every file's suites, each named
// "<target>: <its name>", so CI shows one report for many targets.
func mergeJUnit(out string, files []junitFile) error {
	var merged junitSuites
	sums := map[string]float64{}
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		var doc junitSuites
		if err := xml.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("%s: %w", f.path, err)
		}
		for _, s := range doc.Suites {
			named := false
			for i, a := range s.Attrs {
				if a.Name.Local == "name" {
					s.Attrs[i].Value = f.name + ": " + a.Value
					named = true
				}
				for _, k := range summed {
					if a.Name.Local == k {
						v, _ := strconv.ParseFloat(a.Value, 64)
						sums[k] += v
					}
				}
			}
			if !named {
				s.Attrs = append([]xml.Attr{{Name: xml.Name{Local: "name"}, Value: f.name}}, s.Attrs...)
			}
			merged.Suites = append(merged.Suites, s)
		}
	}
	for _, k := range summed {
		v := strconv.FormatFloat(sums[k], 'f', -1, 64)
		if k == "time" {
			v = strconv.FormatFloat(sums[k], 'f', 3, 64)
		}
		merged.Attrs = append(merged.Attrs, xml.Attr{Name: xml.Name{Local: k}, Value: v})
	}
	data, err := xml.MarshalIndent(merged, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append([]byte(xml.Header), append(data, '\n')...), 0o644)
}
