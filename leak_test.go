package zerocall_test

import (
	"flag"
	"fmt"
	"testing"

	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if b := flag.Lookup("test.bench"); b != nil && b.Value.String() != "" {
		// A configuration line, as benchfmt reads them: every figure
		// below comes with the C variant the built-ins ran.
		fmt.Printf("variant: %s\n", cVariant())
	}
	kerneltest.Main(m, func() int64 { return 0 })
}
