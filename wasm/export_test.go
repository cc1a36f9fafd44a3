package wasm

import "github.com/zerocall/zerocall/wasm/engine"

// Wazero lets the external tests run package wasm/enginetest on wazero.
var Wazero engine.Engine = wazeroEngine
