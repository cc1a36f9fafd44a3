package zcbench_test

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/zcbench"
)

// TestPrintAnyResult prints results the measuring functions did not make
// (a nil one, as Bench returns beside an error; the zero one; one read
// from JSON with rows shorter than its sizes): each prints what it has,
// and none panics. Builtin refuses a nil kernel with an error.
func TestPrintAnyResult(t *testing.T) {
	var sweep, one zcbench.Result
	if err := json.Unmarshal([]byte(`{"kernel": "k", "curves": [{"label": "a", "points": [{"n": 1}, {"n": 2}]}, {"label": "b"}]}`), &sweep); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"kernel": "k", "curves": [{"label": "a", "points": [{"n": 1, "ns": 5}]}, {"label": "b"}]}`), &one); err != nil {
		t.Fatal(err)
	}
	var par zcbench.ParallelTable
	if err := json.Unmarshal([]byte(`{"kernel": "k", "goroutines": [1, 2], "rows": [{"label": "a", "ns": [3]}, {"label": "b"}]}`), &par); err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]interface {
		Markdown(w io.Writer)
		Benchfmt(w io.Writer)
	}{
		"a nil Result":              (*zcbench.Result)(nil),
		"the zero Result":           &zcbench.Result{},
		"a sweep read from JSON":    &sweep,
		"a table read from JSON":    &one,
		"a nil ParallelTable":       (*zcbench.ParallelTable)(nil),
		"the zero ParallelTable":    &zcbench.ParallelTable{},
		"a ParallelTable from JSON": &par,
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panicked: %v", name, r)
				}
			}()
			var b bytes.Buffer
			p.Markdown(&b)
			p.Benchfmt(&b)
			if strings.Contains(name, "JSON") && !strings.Contains(b.String(), "| a") {
				t.Errorf("%s: no row a in\n%s", name, b.String())
			}
		}()
	}
	if _, _, _, err := zcbench.Builtin(nil); err == nil || !strings.Contains(err.Error(), "nil kernel") {
		t.Errorf("Builtin(nil): %v, want an error naming a nil kernel", err)
	}
}
