# zerocall: the two commands that matter are
#   make bench   the benchmark table, measured on this machine
#   make test    every test: Go (plain, race, cgocheck2, benchmarks once),
#                fuzzing, C under ASan + UBSan, arm64 under qemu-user, and
#                the wasm modules' and the Go assembly's reproducibility
# Both fetch the Go modules they need; make test also installs the Debian
# packages a fresh machine lacks (as root, with apt-get: see tools).
# make check is the quick inner loop: lint and the main module's short tests.

GO ?= go
# A package's tests may take up to 45 minutes, not go test's 10: under
# qemu-user, or on a shared machine whose host pauses it, a package that
# takes two minutes here has taken more than ten. A test that hangs still
# fails, later.
export GOFLAGS += -timeout=45m
SHELL = /bin/bash -o pipefail

.PHONY: bench sweep bench-c test test-go test-race test-cgocheck test-exact test-simd test-bench test-arm64-go check-targets \
        test-fuzz test-c test-wasm test-asm test-windows test-release lint lint-c wasm example-modules abi asm tools docs check

# ARGS passes flags to the command, zcbench (zcbench/cmd/zcbench, a
# module of its own): make bench ARGS="-kernel fir -n 4096".
bench:
	cd zcbench/cmd/zcbench && $(GO) run . bench $(ARGS)
	@echo
	@echo "The native limit: the C kernels timed in C, with no Go in the loop:"
	@$(MAKE) -s -C c bench ARGS="-only Sum/n=100000/ -count 3"

sweep:
	cd zcbench/cmd/zcbench && $(GO) run . sweep -out $(CURDIR) $(ARGS)

# docs regenerates, on this machine, the measured part of the
# documentation: docs/measured.md (the benchmark table, the sweeps of sum
# and matmul with their fits and crossovers, the thread-safety table) and
# the plots docs/sum.svg and docs/matmul.svg that docs/results.md shows.
# docs/measure.sh does it from the command's Markdown output; the
# commentary in docs/results.md is written by hand. ARGS passes flags to
# every bench and sweep: make docs ARGS="-count 3 -time 20ms" is quicker
# and noisier, and the file says so. About 75 s on a 2-core machine.
docs:
	GO="$(GO)" sh docs/measure.sh $(ARGS)

# bench-c prints every C benchmark line (benchstat format).
bench-c:
	$(MAKE) -C c bench

# test runs the stages in order and ends with how long each took.
TEST_STAGES = lint lint-c check-targets test-go test-race test-cgocheck test-exact test-simd test-bench test-arm64-go test-fuzz test-c test-wasm test-asm test-windows test-release
test:
	@t=$$(mktemp); for s in $(TEST_STAGES); do start=$$(date +%s); \
	    $(MAKE) --no-print-directory $$s || { rm -f $$t; echo "make test: stage $$s failed"; exit 1; }; \
	    printf '%-14s %4d s\n' $$s $$(( $$(date +%s) - start )) >> $$t; done; \
	echo; echo "Seconds per stage:"; cat $$t; rm -f $$t

# check is the inner loop, quick enough to run before every commit: lint
# (gofmt, go vet and staticcheck of every module) and the main module's Go tests with
# -short, which leaves out the soaks. No race detector, no cgocheck2, no
# other module's tests, no C, wasm, assembly or arm64 stages: make test
# runs all of those, and stays what CI runs. On a 2-core machine it takes
# about 1 minute when the tests run again (3 m 40 s with an empty build
# cache, staticcheck's build included; 13 s when nothing changed: the go
# command caches vet and test results).
check: lint
	$(GO) test -short ./...

# The nested modules: the zcbench command (the benchmark kit is the main
# module's), the examples and the release tool (wasmtime/ has its own
# Makefile). HOST_ONLY are those that link a library of this machine's
# (the comparison of matmul with OpenBLAS and gonum), built and tested
# here but not cross-built.
NESTED = zcbench/cmd/zcbench examples tools/release
HOST_ONLY = internal/blasbench

# STATICCHECK is the linter beside go vet, run at a fixed version from the
# module proxy (built once into the go command's cache), so that no
# go.mod of this tree requires it.
STATICCHECK = $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(STATICCHECK) ./...
	cd internal/gokernels && $(GO) run gen.go -check
	for m in $(NESTED) $(HOST_ONLY) wasmtime wasmtime/internal/wasmtimetest; do (cd $$m && $(GO) vet ./... && $(STATICCHECK) ./...) || exit 1; done

# cppcheck over every C file, with a clean baseline: any finding fails.
lint-c: tools
	cppcheck --quiet --force --enable=warning,performance,portability --error-exitcode=1 \
	    --std=c11 -I native -I wasm/module native/*.c c/test/*.c c/bench/*.c \
	    internal/testing/testkernel/ckernel/*.c \
	    internal/testing/testkernel/ftzkernel/*.c internal/testing/testkernel/hostile/*.c wasm/module/*.c examples/conv3x3/*.c examples/histogram/clib/*.c cmd/zerocall/testdata/*.c \
	    tools/release/testdata/consumer/scalec/*.c tools/windows/*.c

# The zcbench command, the examples and the wasmtime host are modules of
# their own, tested here too.
test-go: tools
	$(GO) test -count=1 ./...
	for m in $(NESTED) $(HOST_ONLY); do (cd $$m && $(GO) test -count=1 ./...) || exit 1; done
	$(MAKE) -C wasmtime test

test-race:
	$(GO) test -count=1 -race ./...
	cd zcbench/cmd/zcbench && $(GO) test -count=1 -race ./...
	cd examples && $(GO) test -count=1 -race ./...

# cgocheck2 checks every pointer store into C memory: the pinned and
# C-owned patterns must pass it. It runs the packages whose tests call C
# (those that link a package with cgo files); the others have nothing for
# it to check (tools/cgotests lists them). The examples, a module of
# their own that go list ./... does not reach, call C too (wasmtime/
# runs its own). The second rule cgocheck2 cannot see: a buffer C gets
# by address, as an integer, must not be on a goroutine's stack, which
# may move before C runs. Built to move the stack at every call,
# TestStackMoves fails if one of the ways that pass C such addresses
# leaves a caller's buffers there.
test-cgocheck:
	pkgs=$$($(GO) run ./tools/cgotests) && echo "cgocheck2 on:" $$pkgs && \
	    GOEXPERIMENT=cgocheck2 $(GO) test -count=1 $$pkgs
	cd examples && GOEXPERIMENT=cgocheck2 $(GO) test -count=1 ./...
	$(GO) test -count=1 -gcflags='all=-d=maymorestack=runtime.mayMoreStackMove' -run '^TestStackMoves$$' .

# The scalar C kernels and the naive Go ones agree to the last bit under
# gcc and clang, also where -march=native offers fused multiply-adds to
# contract a*b + c into: native/CFLAGS and internal.h forbid it. clang 16
# also builds the test kernels' cgo packages under the project's flags,
# which clang 15 made stricter (and clang is the C compiler of macOS).
test-exact: tools
	for cc in gcc clang-14 clang-16; do for march in "" -march=native; do \
	    echo "CC=$$cc $$march"; \
	    CC=$$cc CGO_CFLAGS="-O2 $$march" $(GO) test -count=1 -run '^(TestScalarExact|TestCFlags)$$' ./native || exit 1; \
	done; done

# The pure-Go SIMD rival (gokernels.SIMD), built only under
# GOEXPERIMENT=simd on amd64: vet, the shared table at every vector
# width, its benchmark rows once, and the command built that way with its
# row. Elsewhere the files do not exist and there is nothing to run.
test-simd:
	@if [ "$$($(GO) env GOARCH)" != amd64 ]; then echo "test-simd: amd64 only"; exit 0; fi; \
	set -e; export GOEXPERIMENT=simd; \
	$(GO) vet ./internal/gokernels ./internal/suite; \
	$(GO) test -count=1 -run 'TestSIMD' ./internal/gokernels; \
	out=$$($(GO) test -count=1 -run '^$$' -bench '/./impl=go-simd$$' -benchtime=1x .); \
	echo "$$out" | grep -E '^(ok|FAIL|---)|panic'; \
	test $$(echo "$$out" | grep -c 'impl=go-simd') -ge 5 || { echo "test-simd: no go-simd rows"; exit 1; }; \
	cd zcbench/cmd/zcbench && $(GO) vet . && $(GO) run . bench -n 1000 -count 1 -time 2ms | grep '| Go SIMD ' >/dev/null

# The main module's tests on arm64, cross-compiled and run under
# qemu-user: the shared table on every native path and variant (NEON
# included), the test kit, wazero's arm64 compiler, the fuzz corpus.
# -short leaves out the soaks, whose timings and memory figures mean
# nothing under emulation; a test that runs its own binary again does it
# through the same runner (ZEROCALL_TEST_EXEC).
ARM64_RUN = qemu-aarch64 -L /usr/aarch64-linux-gnu
# -race is left out: ThreadSanitizer wants a 48-bit address space, and
# qemu-user gives 39 bits ("unsupported VMA range").
test-arm64-go: tools
	GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc ZEROCALL_TEST_EXEC="$(ARM64_RUN)" \
	    $(GO) test -count=1 -short -exec "$(ARM64_RUN)" ./...
	for m in $(NESTED); do (cd $$m && GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc \
	    ZEROCALL_TEST_EXEC="$(ARM64_RUN)" $(GO) test -count=1 -short -exec "$(ARM64_RUN)" ./...) || exit 1; done
	$(MAKE) -C wasmtime test-arm64 ARM64_RUN="$(ARM64_RUN)"

# Builds without cgo and for other systems, checked here. NOCGO lists
# the packages that need no cgo (all but native and what imports it):
# with CGO_ENABLED=0 they build for linux, macOS and Windows on amd64 and
# arm64. Without cgo, go test ./... passes (the wazero backend, the C
# kernels as Go assembly, the Instance and Pool tests on wazero), and
# native, all cgo, is left out with the go command's "build constraints
# exclude all Go files". The freestanding C kernels compile with clang's
# Apple targets (dispatch.c and alloc.c need a libc's headers, so an SDK,
# and are left out).
NOCGO = $$(CGO_ENABLED=0 $(GO) list -e -f '{{.ImportPath}} {{join .Deps " "}}' ./... | \
          grep -v -e 'zerocall/native\( \|$$\)' -e 'testkernel\( \|$$\)' | cut -d' ' -f1)
check-targets: tools
	for t in linux/amd64 linux/arm64 darwin/arm64 darwin/amd64 windows/amd64 windows/arm64; do \
	    GOOS=$${t%/*} GOARCH=$${t#*/} CGO_ENABLED=0 $(GO) build $(NOCGO) || exit 1; echo "$$t: built"; done
	CGO_ENABLED=0 $(GO) test -count=1 -short ./...
	out=$$(CGO_ENABLED=0 $(GO) build ./native 2>&1); case "$$out" in *"build constraints exclude all Go files"*) echo "native without cgo: $$out";; \
	    *) echo "native without cgo: expected the build-constraints message, got: $$out"; exit 1;; esac
	GOARCH=386 CGO_ENABLED=0 $(GO) build . ./kernel ./asm ./plan ./zctest && echo "linux/386: the packages that need no 64-bit frame built"
	GOARCH=386 CGO_ENABLED=0 $(GO) test -count=1 -short ./kernel
	out=$$(GOARCH=386 CGO_ENABLED=0 $(GO) build ./wasm 2>&1); case "$$out" in *"package_wasm_needs_a_64_bit_architecture"*) echo "wasm on linux/386: refused, saying why";; \
	    *) echo "wasm on linux/386: expected the 64-bit message, got: $$out"; exit 1;; esac
	for t in arm64-apple-macos x86_64-apple-macos; do for f in scalar avx2 avx512 neon frame; do \
	    clang-14 --target=$$t $$(cat native/CFLAGS) -ffreestanding -Inative -c -o /dev/null native/$$f.c || exit 1; \
	done; echo "$$t: the kernels compile"; done

# Every benchmark once, so that none rots.
test-bench:
	$(GO) test -count=1 -run '^$$' -bench . -benchtime=1x ./... | grep -E '^(ok|FAIL|---)|panic'
	for m in $(HOST_ONLY); do (cd $$m && $(GO) test -count=1 -run '^$$' -bench . -benchtime=1x ./... | grep -E '^(ok|FAIL|---)|panic') || exit 1; done

# The module loaders of both wasm hosts, fuzzed for FUZZ_WAZERO and
# FUZZ_WASMTIME runs (about 25 s each on 2 cores): valid modules mutated
# and run through Load, Func.Handle, Func.Batch and a call under a time
# limit, which must fail with the hosts' errors and never panic, hang or
# fault. Their corpora (testdata/fuzz/FuzzLoad) run as plain tests in
# test-go too. A count, not a duration: with a duration, Go 1.26's fuzzing
# coordinator can end a passing run with "context deadline exceeded"
# (golang/go#75804, fixed in Go 1.27). A new input is minimized for 2 s at
# most, not the default minute, so that the time goes to fuzzing.
FUZZ_WAZERO ?= 50000x
FUZZ_WASMTIME ?= 120000x
test-fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZ_WAZERO) -fuzzminimizetime 2s ./wasm
	cd wasmtime/internal/wasmtimetest && $(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZ_WASMTIME) -fuzzminimizetime 2s .

# The C tests on this machine under ASan and UBSan and as built, then cross-compiled
# for arm64 and run under qemu-user (NEON included, UBSan only).
test-c: tools
	$(MAKE) -C c test
	$(MAKE) -C c test-arm64

# The committed modules must be what their sources build, and must pass
# their own check under node.
test-wasm: tools
	sh wasm/embed/build.sh
	$(MAKE) --no-print-directory example-modules
	git diff --exit-code -- wasm/embed/*.wasm internal/testing/testkernel/*.wasm internal/testing/testkernel/hostile/*.wasm \
	    examples/histogram/clib/*.wasm || \
	    { echo "committed modules differ from a fresh build; run make wasm and commit"; exit 1; }
	node wasm/embed/test/check.mjs

wasm: tools
	sh wasm/embed/build.sh
	$(MAKE) --no-print-directory example-modules

# example-modules builds the examples' modules as a user would: zerocall
# module, through the examples' go:generate lines.
example-modules:
	@bin=$$(mktemp -d) && trap 'rm -rf $$bin' EXIT && $(GO) build -o $$bin/zerocall ./cmd/zerocall && \
	cd examples && PATH=$$bin:$$PATH $(GO) generate ./histogram

# abi copies the C side of the contracts into the command, which carries
# them (cmd/zerocall/internal/abi; its TestCopies fails when they differ).
abi:
	cp native/zc_kernel.h wasm/module/zc_module.h wasm/module/zc_module.c cmd/zerocall/internal/abi/files/

# asm translates C into Go assembly with zerocall gen (Debian's clang 14
# and llvm-objdump 14): the built-in kernels of every variant into
# package asm, with native's flags; then, through their go:generate
# lines as a user would run them, the test kernel
# (internal/testing/testkernel/asmkernel) and the conv3x3 example's kernel.
ASM_OUT = asm/kernels_* internal/testing/testkernel/asmkernel/saxpy_* internal/testing/testkernel/asmkernel/clamp_* internal/testing/testkernel/asmkernel/overcount_* internal/testing/testkernel/ckernel/*_bind.go examples/conv3x3/conv3x3asm examples/conv3x3/*_bind.go
asm: tools
	@bin=$$(mktemp -d) && trap 'rm -rf $$bin' EXIT && $(GO) build -o $$bin/zerocall ./cmd/zerocall && \
	$$bin/zerocall gen -camel -pkg asm -o asm/kernels -cflags "$$(cat native/CFLAGS) -Inative" \
	    -funcs '^(scalar|avx2|avx512|neon)_(sum|dot|axpy|fir|matmul_part)$$' \
	    native/scalar.c native/avx2.c native/avx512.c native/neon.c && \
	PATH=$$bin:$$PATH $(GO) generate ./internal/testing/testkernel/asmkernel ./internal/testing/testkernel/ckernel && \
	cd examples && PATH=$$bin:$$PATH $(GO) generate ./conv3x3/conv3x3asm ./conv3x3

# The committed translations must be what zerocall gen makes of their
# sources today; then package asm passes its tests with CGO_ENABLED=0,
# here and on arm64 under qemu-user.
test-asm: asm
	@test -z "$$(git status --porcelain -- $(ASM_OUT))" || { git status --short -- $(ASM_OUT); \
	    echo "committed Go assembly differs from a fresh zerocall gen; run make asm and commit"; exit 1; }
	CGO_ENABLED=0 $(GO) test -count=1 ./asm ./internal/testing/testkernel/asmkernel
	cd examples && $(GO) test -count=1 -run TestConv3x3 ./conv3x3
	GOARCH=arm64 CGO_ENABLED=0 ZEROCALL_TEST_EXEC="$(ARM64_RUN)" $(GO) test -count=1 -short -exec "$(ARM64_RUN)" ./asm ./internal/testing/testkernel/asmkernel

# tools installs the wasm toolchain (Debian's clang 14 and lld), llvm 14
# (llvm-objdump, for zerocall gen), clang 16 (a newer C compiler for
# test-exact), node, cppcheck, the arm64 cross
# compiler and qemu-user, and the Windows cross compiler (mingw-w64) and
# Wine when they are missing.
TOOLS = clang-14 clang-16 wasm-ld llvm-objdump-14 node cppcheck aarch64-linux-gnu-gcc qemu-aarch64 x86_64-w64-mingw32-gcc /usr/lib/wine/wine64
tools:
	@(for t in $(TOOLS); do command -v $$t >/dev/null || exit 1; done; \
	  [ "$$(gcc -print-file-name=libopenblas.so)" != libopenblas.so ]) || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	        clang-14 clang-16 lld-14 lld llvm-14 nodejs cppcheck gcc-aarch64-linux-gnu qemu-user \
	        gcc-mingw-w64-x86-64 wine64 libopenblas-dev >/dev/null; \
	  else echo "need $(TOOLS) and OpenBLAS (libopenblas-dev): install them, or run as root on Debian"; exit 1; fi; }

# test-windows builds the tests of every package that has them, of every
# module, for windows/amd64 with mingw-w64 (cgo on, then the cgo-free
# packages with cgo off) and runs them under Wine with -short, printing
# per package what ran (tools/windows/test.sh). About 2 minutes.
test-windows: tools
	GO="$(GO)" sh tools/windows/test.sh

# test-release is the release dry run (tools/release/dryrun.sh): the
# published modules at a test version, served by a file-based module
# proxy with no checksum database to an empty GOPATH; go install of the
# toolchain command at that version; and a consumer module of its own,
# with no replace directive, that builds and runs its kernel on every
# path and passes its zctest test. About 40 s.
test-release: tools
	GO="$(GO)" sh tools/release/dryrun.sh
