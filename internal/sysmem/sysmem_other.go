//go:build !linux && !windows

package sysmem

// Limit reports that no limit is known on this system.
func Limit() (limit uint64, what string, ok bool) { return 0, "", false }
