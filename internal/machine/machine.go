// Package machine names what a measurement is valid for: the CPU and the
// versions of the modules a binary was built with. The benchmark kit
// prints them; the planner keys its wisdom on them.
package machine

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// CPU returns the CPU's model name, as /proc/cpuinfo gives it, or
// "unknown <GOARCH>" where there is none.
func CPU() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.Lines(string(b)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
			}
		}
	}
	return "unknown " + runtime.GOARCH
}

// Version returns the version of the module path this binary was built
// with: "(devel)" when it is the main module built from a checkout, ""
// when the binary does not contain it.
func Version(path string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	if bi.Main.Path == path {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == path {
			if d.Replace != nil {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return ""
}
