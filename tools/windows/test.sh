#!/bin/sh
# The Windows stage of make test: every package that has tests, of the
# main module and of the nested ones (wasmtime and its tests' module, zcbench/cmd/zcbench,
# examples), built for windows/amd64 with mingw-w64 (cgo on) and run
# under Wine with -short; then the packages that need no cgo built again with
# CGO_ENABLED=0 and run the same way. It prints, per package, what
# passed, what skipped itself, and what this stage leaves out and why.
#
# Wine 8.0 lacks ProcessPrng, which Go 1.22 and later load from
# bcryptprimitives.dll in the system folder: prng.c stands in for it,
# built here from source into the stage's own Wine prefix. Needs
# x86_64-w64-mingw32-gcc and wine64 (make tools installs them).
set -eu

GO=${GO:-go}
root=$(pwd)
work=$root/c/build/windows
wine=${WINE:-/usr/lib/wine/wine64}
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cc=x86_64-w64-mingw32-gcc
mkdir -p "$work/bin"

# The prefix, made once, with the ProcessPrng shim in its system32.
# Making it has failed now and then on a fresh prefix (wineboot exiting
# 53, silently); it is tried again before the stage gives up.
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	for try in 1 2 3; do
		"$wine" wineboot -i >/dev/null 2>&1 && break
		echo "wineboot failed (try $try of 3)" >&2
		[ $try = 3 ] && exit 1
		sleep 2
	done
fi
"$cc" -std=c11 -O2 -Wall -Wextra -Wpedantic -Werror -shared \
	-o "$work/bcryptprimitives.dll" tools/windows/prng.c tools/windows/prng.def -ladvapi32
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"

# The test kernel as a DLL, under the project's flags, beside the test
# binaries, where LoadLibrary finds it: native's tests load it through
# $ZEROCALL_TEST_SHARED, as the Linux tests load the .so they build.
"$cc" $(cat native/CFLAGS) -shared -Inative -o "$work/bin/testsaxpy.dll" \
	internal/testing/testkernel/ckernel/saxpy.c
export ZEROCALL_TEST_SHARED=testsaxpy.dll

# A DLL that depends on another in its own folder, a folder with a space
# in its name, for native's TestLoadDependency.
dep="$work/bin/dep dir"
mkdir -p "$dep"
"$cc" $(cat native/CFLAGS) -shared -o "$dep/zcdep.dll" tools/windows/dep.c
"$cc" $(cat native/CFLAGS) -shared -Inative -o "$dep/zcdepuser.dll" tools/windows/depuser.c -L"$dep" -lzcdep
export ZEROCALL_TEST_DEPDLL="Z:$dep/zcdepuser.dll"

# skipped names the tests this stage leaves out of package $1. Each makes
# a t.TempDir, whose removal at the end of the test fails under Wine 8.0
# ("unlinkat ...: Invalid function": Go's os.RemoveAll asks for
# FileDispositionInformationEx, which Wine does not implement, and gets a
# status Go does not take for "not supported"), failing the test with it;
# histogram's also compile its C with a C compiler at run time, which
# Wine has not.
skipped() {
	case $1 in
	*/cmd/zerocall) echo 'TestHeaders|TestWisdom|TestWisdomFiles|TestBindRead|TestBindOutput' ;;
	*/examples/conv3x3) echo 'TestReport|TestPlan|TestProgram' ;;
	*/examples/histogram) echo 'TestHistogram|TestReport' ;;
	*/zcbench/cmd/zcbench) echo 'TestOutputsParse|TestSweepPlot|TestSweepPlotFails|TestPlot|TestSweepOutFile|TestPlotInputs' ;;
	*/zcbench) echo 'TestReport|TestReportRefusesFirst' ;;
	*/plan) echo 'TestFiles|TestCacheNames|TestCacheLongName|TestFilesFilledIn|TestStaleCapacityFile|TestFileIsDirectory|TestLongFailure|TestProbeBroken|TestProbePanics' ;;
	esac
}

# run builds the tests of package $2 (in folder $3) with CGO_ENABLED=$1
# and runs them under Wine from that folder.
failed=0
run() {
	name=$(echo "$2" | sed 's|github.com/zerocall/zerocall|zerocall|; s|/|_|g')-cgo$1
	exe="$work/bin/$name.exe"
	if ! (cd "$3" && CGO_ENABLED=$1 GOOS=windows GOARCH=amd64 CC=$cc "$GO" test -c -o "$exe" .); then
		echo "FAIL  $2 (cgo $1): does not build"
		failed=1
		return
	fi
	skip=$(skipped "$2")
	start=$(date +%s)
	log="$work/$name.log"
	# Wine's own failures (its server dropping the connection before a
	# test has run) are not the tests': such a run is made once more.
	for try in 1 2; do
		if (cd "$3" && "$wine" "$exe" -test.short -test.v -test.skip "^(${skip:-\$^})\$" >"$log" 2>&1); then
			status=ok
			break
		fi
		status=FAIL
		grep -q '^=== RUN' "$log" || ! grep -q '^wine client error' "$log" || continue
		break
	done
	if [ $status = FAIL ]; then
		failed=1
	fi
	pass=$(grep -c '^--- PASS' "$log" || true)
	self=$(grep '^--- SKIP' "$log" | awk '{print $3}' | tr '\n' ' ')
	printf '%-4s  %s (cgo %s): %d passed, %ss' "$status" "$2" "$1" "$pass" $(( $(date +%s) - start ))
	[ -n "$self" ] && printf '; skipped themselves: %s' "$self"
	[ -n "$skip" ] && printf '; left out here (see skipped in tools/windows/test.sh): %s' "$(echo "$skip" | tr '|' ' ')"
	echo
	[ $status = ok ] || grep -E '^(--- FAIL|panic|FAIL)|\.go:[0-9]+:' "$log" | head -20
}

for m in . wasmtime wasmtime/internal/wasmtimetest zcbench/cmd/zcbench examples; do
	(cd "$m" && "$GO" list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}' ./...)
done > "$work/packages"
while read -r pkg dir; do run 1 "$pkg" "$dir"; done < "$work/packages"

# The cgo-free builds: the Go assembly, wazero, the kernel descriptions,
# the test kit, and the main package's tests without cgo.
for p in "" /asm /wasm /kernel /zctest; do
	run 0 "github.com/zerocall/zerocall$p" "$root$p"
done
# What the dispatcher chose under Wine, which passes the CPU's features
# and the state the OS saves (XCR0) through.
grep -h -m1 'variants:' "$work"/*_native-cgo1.log | sed 's/^.*variants:/native variants under Wine:/'
exit $failed
