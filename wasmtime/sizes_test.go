package wasmtime

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

// TestSizes asks for instances and batches whose sizes overflow: each
// fails with ErrArgument, as on every host, naming the kernel, the buffer
// and the count, before the module is instantiated.
func TestSizes(t *testing.T) { testkernel.RunModuleSizes(t, Load) }

// TestMessages checks that the errors of an instance's calls name the
// kernel, the buffer, the types and the numbers.
func TestMessages(t *testing.T) { testkernel.RunModuleMessages(t, Load) }
