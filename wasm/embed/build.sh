#!/bin/sh
# build.sh - builds the zerocall wasm32 modules from the C sources:
#   wasm/embed/zerocall.wasm       the scalar variant
#   wasm/embed/zerocall_simd.wasm  the simd128 variant (WebAssembly SIMD128)
# Run from anywhere: sh wasm/embed/build.sh. The output is byte-for-byte
# reproducible: no debug info, no names, only relative paths given.
#
# The modules follow the zerocall module ABI (wasm/module/zc_module.h),
# like any user's: wasm/module/builtins.c's kernels, native/frame.c's adapters and
# wasm/module/zc_module.c's zc_abi_version and zc_reserve. Their exports
# are exports.txt, one name a line, and "memory": nothing else. -flto lets
# each export call its kernel directly, inlined, instead of through the
# table's function pointers, and drops the unused rest.
#
# Memory: the stack (64 KiB) comes first, so an overflow traps below
# address 0 instead of overwriting data; the static data follows and
# zc_reserve's reservations start at __heap_base. Initial memory is
# wasm-ld's default, the fewest pages that hold these; zc_reserve grows
# it, up to --max-memory, while a host reserves.
set -eu
cd "$(dirname "$0")/../.."

CC=clang-14
# native/CFLAGS is the one set of flags of every build of the sources;
# the rest make a freestanding wasm32 module.
CFLAGS="$(cat native/CFLAGS) --target=wasm32 -flto -ffreestanding -nostdlib
  -fno-builtin -Inative -Iwasm/module"
LDFLAGS="-Wl,--no-entry -Wl,--strip-all -Wl,--stack-first
  -Wl,-z,stack-size=65536 -Wl,--max-memory=2147483648"
EXPORTS=$(sed 's/^/-Wl,--export=/' wasm/embed/exports.txt)
SRC="wasm/module/builtins.c native/frame.c wasm/module/zc_module.c"

$CC $CFLAGS $LDFLAGS $EXPORTS -o wasm/embed/zerocall.wasm $SRC native/scalar.c
$CC $CFLAGS -msimd128 $LDFLAGS $EXPORTS -o wasm/embed/zerocall_simd.wasm $SRC native/simd128.c
chmod 644 wasm/embed/zerocall.wasm wasm/embed/zerocall_simd.wasm

# A user's module, built as wasm/module/zc_module.h tells users to: the
# test kernel (the same C the native tests compile) and the module ABI's
# exports, with SIMD128.
MFLAGS="$CFLAGS"
T=internal/testing/testkernel
$CC $MFLAGS -msimd128 $LDFLAGS -Wl,--export=zc_test_saxpy -o $T/saxpy.wasm \
  $T/ckernel/saxpy.c wasm/module/zc_module.c

# Modules that break the ABI on purpose, for the hosts' tests.
for h in outside overlap misaligned version imports signature grows count traps loops ownpage; do
  M=$(echo $h | tr a-z A-Z)
  case $h in
  outside|overlap|misaligned|version) src= ;;
  *) src=wasm/module/zc_module.c ;;
  esac
  extra=
  [ $h = imports ] && extra=-Wl,--allow-undefined
  $CC $MFLAGS -DHOSTILE_$M $LDFLAGS $extra -o $T/hostile/$h.wasm $T/hostile/hostile.c $src
done
# The ABI kept, but a memory maximum (2 pages) too small for any region.
$CC $MFLAGS -msimd128 $(echo $LDFLAGS | sed 's/--max-memory=[0-9]*/--max-memory=131072/') \
  -Wl,--export=zc_test_saxpy -o $T/hostile/small.wasm $T/ckernel/saxpy.c wasm/module/zc_module.c
chmod 644 $T/saxpy.wasm $T/hostile/*.wasm
