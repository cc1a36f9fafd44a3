package asm

// Work is the most work per call into assembly.
const Work = maxWork

// SetWork sets the most work per call into assembly and returns what
// restores it; a huge n makes every call whole.
func SetWork(n int) (restore func()) {
	old := work
	work = n
	return func() { work = old }
}

// CodeOf returns the address of the code f calls.
func CodeOf(f *Func) uintptr { return f.code }
