package zerocall_test

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

func TestMain(m *testing.M) { kerneltest.Main(m, func() int64 { return 0 }) }
