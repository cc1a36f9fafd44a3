package wasmtime_test

import (
	"fmt"
	"log"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
)

// Wasmtime is a runtime of package wasm: named in the Config, it runs the
// built-in modules (wasm.New) and modules of your own (wasm.Load) with
// the same API, checks and errors as wazero.
func ExampleEngine() {
	in, err := wasm.New(zerocall.Config{Capacity: 1024, Engine: wasmtime.Engine})
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	s, err := in.Sum([]float64{1, 2, 3, 4})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s)
	// Output: 10
}
