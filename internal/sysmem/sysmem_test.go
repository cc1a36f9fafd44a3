package sysmem

import (
	"errors"
	"runtime"
	"testing"

	"github.com/zerocall/zerocall/internal/errs"
)

func TestLimit(t *testing.T) {
	limit, what, ok := Limit()
	if runtime.GOOS == "linux" && !ok {
		t.Fatal("no limit read on Linux")
	}
	if !ok {
		t.Skip("no limit known on " + runtime.GOOS)
	}
	t.Logf("limit %d bytes (%.1f GiB): %s", limit, float64(limit)/(1<<30), what)
	if limit < 1<<20 {
		t.Errorf("limit %d bytes is implausibly small", limit)
	}
	if err := Check(limit + 1); !errors.Is(err, errs.NoMemory) {
		t.Errorf("Check(limit+1) = %v, want NoMemory", err)
	}
	if err := Check(1 << 20); err != nil {
		t.Errorf("Check(1 MiB) = %v", err)
	}
	if err := Check(1 << 62); !errors.Is(err, errs.NoMemory) {
		t.Errorf("Check(2^62) = %v, want NoMemory", err)
	}
}
