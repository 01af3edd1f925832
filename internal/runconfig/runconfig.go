// Package runconfig reads ginkgo.yaml, the project's run profile: which target
// to test (or the bundled mock and its faults), where reports go, how to find
// the browser, and every timeout. Ginkgo itself reads no such file; the suites do.
package runconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the run profile.
type Config struct {
	// Target is the path of a target profile; empty means the bundled mock,
	// started in-process.
	Target  string   `yaml:"target"`
	Mock    Mock     `yaml:"mock"`
	Reports Reports  `yaml:"reports"`
	Browser Browser  `yaml:"browser"`
	Timeout Timeouts `yaml:"timeouts"`
	// Waivers is the path of a waivers file (internal/waiver); empty waives nothing.
	Waivers string `yaml:"waivers"`

	// Dir is the directory of the file; relative paths resolve against it.
	Dir string `yaml:"-"`
}

// Mock configures the bundled mock authorization server.
type Mock struct {
	Profile string   `yaml:"profile"` // the target profile that describes the mock
	Faults  []string `yaml:"faults"`  // named faults to switch on
}

// Reports says where reports are written.
type Reports struct {
	Dir string `yaml:"dir"`
}

// Browser says which Chromium to drive.
type Browser struct {
	Bin      string `yaml:"bin"`      // executable; empty searches PATH, then rod's download
	Remote   string `yaml:"remote"`   // DevTools URL of a running browser; wins over Bin
	Headless *bool  `yaml:"headless"` // default true
}

// Timeouts bound every wait. Defaults are in Default().
type Timeouts struct {
	HTTP time.Duration `yaml:"http"` // one HTTP request to the target
	Step time.Duration `yaml:"step"` // one login step (element to appear, navigation)
	Flow time.Duration `yaml:"flow"` // one whole browser authorization
}

// Default is the configuration used when no file is given.
func Default() Config {
	return Config{
		Mock:    Mock{Profile: "profiles/mock.yaml"},
		Reports: Reports{Dir: "reports"},
		Timeout: Timeouts{HTTP: 10 * time.Second, Step: 10 * time.Second, Flow: 45 * time.Second},
	}
}

// Load reads the run profile at path over the defaults.
func Load(path string) (Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("run profile %s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return cfg, fmt.Errorf("run profile %s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return cfg, err
	}
	cfg.Dir = abs
	return cfg, cfg.validate(path)
}

func (c Config) validate(path string) error {
	for _, t := range []struct {
		name string
		d    time.Duration
	}{{"timeouts.http", c.Timeout.HTTP}, {"timeouts.step", c.Timeout.Step}, {"timeouts.flow", c.Timeout.Flow}} {
		if t.d <= 0 {
			return fmt.Errorf("run profile %s: %s: must be a positive duration such as 10s", path, t.name)
		}
	}
	if c.Reports.Dir == "" {
		return fmt.Errorf("run profile %s: reports.dir: required", path)
	}
	return nil
}

// Resolve makes a path from the file absolute, relative to the file's directory.
func (c Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// HeadlessOrDefault is Browser.Headless, true when unset.
func (b Browser) HeadlessOrDefault() bool { return b.Headless == nil || *b.Headless }
