// Package saxpyasm is a package whose folder's name is not its own, for
// TestDirPackage.
package saxpyasm
