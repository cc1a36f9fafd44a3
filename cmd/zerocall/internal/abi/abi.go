// Package abi carries the C side of zerocall's contracts inside the
// command, so that a user's build never needs a path into the module
// cache: zc_kernel.h (the calling convention of every kernel),
// zc_module.h (the module ABI) and zc_module.c (the module ABI's exports
// that are not kernels). The files are copies of native/zc_kernel.h,
// wasm/module/zc_module.h and wasm/module/zc_module.c, which stay the
// sources; TestCopies fails when they drift apart.
package abi

import "embed"

// Files holds zc_kernel.h, zc_module.h and zc_module.c in its folder
// "files" (a folder of their own, since the go command refuses C files
// in a package without cgo).
//
//go:embed files
var Files embed.FS

// Headers are the files a native build of a kernel includes.
var Headers = []string{"zc_kernel.h", "zc_module.h"}
