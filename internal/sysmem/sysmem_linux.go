package sysmem

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// Limit returns the most bytes one allocation can take on this machine,
// and which limit sets it: the memory and swap the kernel has (it refuses
// a mapping larger than both together), the commit headroom when
// overcommit is off, the cgroup's memory limit (past which the process is
// killed rather than refused), and the address-space limit.
func Limit() (limit uint64, what string, ok bool) {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return 0, "", false
	}
	unit := uint64(si.Unit)
	if unit == 0 {
		unit = 1
	}
	swap := uint64(si.Totalswap) * unit
	limit, what = uint64(si.Totalram)*unit+swap, "the machine's memory and swap"
	lower := func(v uint64, w string) {
		if v < limit {
			limit, what = v, w
		}
	}
	if mode, ok := readUint("/proc/sys/vm/overcommit_memory"); ok && mode == 2 {
		commit, ok1 := meminfo("CommitLimit")
		used, ok2 := meminfo("Committed_AS")
		if ok1 && ok2 && commit > used {
			lower(commit-used, "the commit headroom (overcommit is off)")
		} else if ok1 && ok2 {
			lower(0, "the commit headroom (overcommit is off)")
		}
	}
	if v, ok := readUint("/sys/fs/cgroup/memory.max"); ok {
		lower(v+swap, "the cgroup's memory limit and swap")
	}
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil && rl.Cur != ^uint64(0) {
		// The limit is on the whole address space, and what the process
		// has mapped already (the runtime's reservations, thread stacks,
		// C's arenas) counts against it. So does the Go heap's, free
		// pages included: the heap never unmaps them, and whether a free
		// run of them is long enough for an allocation cannot be known
		// here (an instance closed before is garbage only once collected).
		// The heap maps in arenas of 64 MiB, so that much more is kept
		// aside.
		left := rl.Cur
		if used, ok := field("/proc/self/status", "VmSize"); ok {
			left = max(rl.Cur, used+arena) - used - arena
		}
		lower(left, "the address space left under its limit (ulimit -v)")
	}
	return limit, what, true
}

// readUint reads a file holding one unsigned number, such as a /proc or
// cgroup setting; "max" and anything else not a number are not ok.
func readUint(path string) (uint64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64)
	return v, err == nil
}

// arena is what the Go heap maps at a time, at most.
const arena = 64 << 20

// meminfo returns a field of /proc/meminfo in bytes.
func meminfo(name string) (uint64, bool) { return field("/proc/meminfo", name) }

// field returns the field name of a /proc file of "name: value [kB]"
// lines, such as /proc/meminfo or /proc/self/status, in bytes.
func field(path, name string) (uint64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n, rest, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok || string(n) != name {
			continue
		}
		fields := bytes.Fields(rest)
		if len(fields) == 0 {
			return 0, false
		}
		v, err := strconv.ParseUint(string(fields[0]), 10, 64)
		if err != nil {
			return 0, false
		}
		if len(fields) > 1 && string(fields[1]) == "kB" {
			v *= 1024
		}
		return v, true
	}
	return 0, false
}
