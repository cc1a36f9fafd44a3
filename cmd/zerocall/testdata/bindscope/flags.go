// Package bindscope declares, at top level, a name that a file zerocall
// bind writes imports, for TestBindScope.
package bindscope

var native = true
