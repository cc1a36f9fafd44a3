#!/bin/sh
# build-wasm.sh - builds histogram.c into histogram.wasm, a module of the
# zerocall module ABI (wasm/module/zc_module.h), with Debian's clang 14
# and lld: the same C file the shared library is built from, plus the
# ABI's zc_module.c. No libc; -mbulk-memory turns the zeroing of the
# tables into memory.fill rather than a call to a memset the module would
# have to import. Run from anywhere; the output is reproducible.
set -eu
cd "$(dirname "$0")"
ZC=../../..
clang-14 --target=wasm32 -std=c11 -O3 -Wall -Wextra -Werror -ffreestanding -nostdlib \
  -msimd128 -mbulk-memory -I$ZC/native -I$ZC/wasm/module \
  -Wl,--no-entry -Wl,--strip-all -Wl,--export=histogram \
  -o histogram.wasm histogram.c $ZC/wasm/module/zc_module.c
chmod 644 histogram.wasm
