package wasm

// Binary returns a copy of module m's bytes, for hosts other than wazero.
func Binary(m Module) ([]byte, error) {
	b, err := m.binary()
	return append([]byte(nil), b...), err
}
