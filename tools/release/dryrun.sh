#!/bin/sh
# dryrun.sh proves a release before it is made: make test-release runs it.
#
# It serves the published modules at a test version, zipped from the
# files git tracks (release proxy), with the third-party modules of the
# module cache, from a file-based module proxy. Then, with that proxy
# only, no checksum database, and an empty GOPATH and module cache:
#   - go install of the toolchain command at that version, with nothing
#     else set;
#   - a consumer module outside the tree (testdata/consumer), with no
#     replace directive, gets the modules it needs, runs its go:generate
#     lines with the installed command (headers, a wasm module, the Go
#     assembly), builds, runs its own kernel on cgo, a shared library,
#     wazero, Wasmtime and the Go assembly, passes its zctest test, and
#     measures the kernel with the benchmark kit (package zcbench);
#   - README.md's own-kernel example (release readme), in a new module
#     with the headers the command writes, prints what the README says.
set -eu
cd "$(dirname "$0")/../.."
GO=${GO:-go}
V=v0.0.1-dryrun

work=$(mktemp -d)
cleanup() {
	chmod -R u+w "$work" 2>/dev/null || true # the module cache is read-only
	rm -rf "$work"
}
trap cleanup EXIT

# Every third-party module the modules need, in this machine's module
# cache (its download cache is in a proxy's layout), then the zips. "all",
# because the consumer's go get loads the packages of its dependencies'
# tests too (wasmtime-go's need testify), which a plain download leaves
# out: with a cache that lacked them, the dry run failed.
for m in . wasmtime; do (cd $m && "$GO" mod download all); done
mkdir -p "$work/proxy"
cp -r "$("$GO" env GOMODCACHE)/cache/download/." "$work/proxy/"
rm -rf "$work/proxy/github.com/zerocall"
(cd tools/release && "$GO" run . proxy -version $V -root ../.. -o "$work/proxy")

gobin=$(command -v "$GO")
cp -r tools/release/testdata/consumer "$work/consumer"
mv "$work/consumer/go.mod.in" "$work/consumer/go.mod"
(cd tools/release && "$GO" run . readme -root ../.. -o "$work/readme")

# From here on, only the proxy.
export GOPROXY="file://$work/proxy" GOSUMDB=off GONOSUMDB= GOPRIVATE= GOFLAGS= GOWORK=off \
	GOPATH="$work/gopath" GOMODCACHE="$work/gopath/pkg/mod" GOTOOLCHAIN=local
echo "dry run: go install github.com/zerocall/zerocall/cmd/zerocall@$V"
(cd "$work" && "$gobin" install github.com/zerocall/zerocall/cmd/zerocall@$V)
PATH="$work/gopath/bin:$PATH"
echo "dry run: $(command -v zerocall)"

cd "$work/consumer"
echo "dry run: go get github.com/zerocall/zerocall@$V github.com/zerocall/zerocall/wasmtime@$V"
"$gobin" get github.com/zerocall/zerocall@$V github.com/zerocall/zerocall/wasmtime@$V
"$gobin" mod tidy
if grep -q '^replace' go.mod; then echo "dry run: the consumer's go.mod has a replace directive"; exit 1; fi
echo "dry run: go generate ./..."
"$gobin" generate ./...
"$gobin" vet ./...
echo "dry run: go build, then the consumer's own kernel on every path"
"$gobin" build -o "$work/consumer.bin" .
"$work/consumer.bin"
echo "dry run: go test (zctest)"
"$gobin" test -count=1 -v ./... >"$work/test.log" 2>&1 || { cat "$work/test.log"; exit 1; }
grep -E '^(ok|FAIL)' "$work/test.log"
echo "dry run: zcbench: $(grep -o '[0-9]* rows measured' "$work/test.log")"
echo "dry run: zctest passed $(grep -c -- '--- PASS' "$work/test.log") tests and subtests, on the paths $(grep -o -- '--- PASS: TestScale/[a-z0-9-]*' "$work/test.log" | sed 's|.*/||' | sort -u | tr '\n' ' ')"
echo "dry run: README.md's own kernel, in a module of its own"
cd "$work/readme"
"$gobin" mod init example.com/readme 2>/dev/null
"$gobin" get github.com/zerocall/zerocall@$V
"$gobin" mod tidy
zerocall headers -o .
"$gobin" run . >"$work/readme.out"
if ! diff want.txt "$work/readme.out"; then echo "dry run: README.md's example does not print what the README says"; exit 1; fi
echo "dry run: passed"
