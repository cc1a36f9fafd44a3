//go:build !linux

package kerneltest

import "testing"

// UnderAddressLimit skips t: the limit and the mapped size it is set
// from are read as Linux has them.
func UnderAddressLimit(t *testing.T, headroom uint64, f func(t *testing.T)) {
	t.Skip("an address-space limit is tested on Linux")
}
