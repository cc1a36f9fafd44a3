package sysmem

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// memoryStatusEx is Windows' MEMORYSTATUSEX.
type memoryStatusEx struct {
	length, memoryLoad                   uint32
	totalPhys, availPhys                 uint64
	totalPageFile, availPageFile         uint64
	totalVirtual, availVirtual, reserved uint64
}

var (
	globalMemoryStatusEx = windows.NewLazySystemDLL("kernel32.dll").NewProc("GlobalMemoryStatusEx")
	// wineGetVersion is in Wine's ntdll only.
	wineGetVersion = windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version")
)

// Limit returns the most bytes one allocation can take on this machine,
// and which limit sets it: the commit charge still available (physical
// memory and page files together; Windows refuses to commit past it; under
// Wine, the total, as on Linux), or the process's free virtual address
// space if that is smaller.
func Limit() (limit uint64, what string, ok bool) {
	ms := memoryStatusEx{length: uint32(unsafe.Sizeof(memoryStatusEx{}))}
	if r, _, _ := globalMemoryStatusEx.Call(uintptr(unsafe.Pointer(&ms))); r == 0 {
		return 0, "", false
	}
	if ms.totalPhys == 0 || ms.totalPageFile == 0 {
		// No machine has no memory: Wine 8.0 answers with zeros at
		// times, and a check against them would refuse everything.
		return 0, "", false
	}
	limit, what = ms.availPageFile, "the commit charge Windows has left"
	if wineGetVersion.Find() == nil {
		// Wine computes the commit charge left from Linux's free memory,
		// which the page cache keeps low: it read 0 at times while
		// gigabytes were available. Linux refuses only what exceeds its
		// memory and swap (sysmem_linux.go), which Wine reports as the
		// total commit limit: the same rule applies.
		limit, what = ms.totalPageFile, "the memory and swap Wine reports"
	}
	if ms.availVirtual < limit {
		limit, what = ms.availVirtual, "the process's free address space"
	}
	return limit, what, true
}
