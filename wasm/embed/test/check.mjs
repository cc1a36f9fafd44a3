// check.mjs - the built wasm modules under node (V8), against JavaScript.
//
// Run: node wasm/embed/test/check.mjs (after sh wasm/embed/build.sh).
//
// The JavaScript reference is the naive in-order loop, which is what the
// scalar variant computes, so the scalar module must match it exactly and
// the SIMD one within the bound of zerocall.h: 2*n*u*sum|t_i| + 2n*2^-1074
// for a reduction of n terms t_i; axpy must match exactly in both, as
// neither module fuses multiply-add. The modules follow the zerocall module
// ABI (wasm/module/zc_module.h), which this file drives as a host would:
// it checks zc_abi_version and zc_reserve, reserves a frame per kernel and
// the four regions, and calls each kernel export with its frame. It also
// checks the kernels' refusals of inconsistent lengths, that an access
// past memory traps, that memory never grows after the reservations, and
// the batch exports, driven through a descriptor as a host does.
// The last line printed is "P passed, F failed".
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODULES = [
  { name: "scalar", file: "zerocall.wasm", exact: true },
  { name: "simd128", file: "zerocall_simd.wasm", exact: false },
];
const CAP = 1 << 17, TAPS = 256;
const ZC_ERR_ARG = 1;
const KERNELS = ["sum", "dot", "axpy", "fir", "matmul", "noop"];
const FRAME = 176; // the frame's size; see zc_module.h for its layout
const BATCH = 33; // calls in the batch checks
const u = 2 ** -53, TINY = 2 ** -1074;
const CANARY = 0x1deadbeef * 2 ** 99;

let passed = 0, failed = 0, ctx = "";
function check(ok, what) {
  if (ok) passed++;
  else if (failed++ < 30) console.log(`FAIL ${what} [${ctx}]`);
}

// --- data -------------------------------------------------------------------

let rng = 0x9e3779b9; // mulberry32 state
function next32() {
  let t = (rng = (rng + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
// Uniform in [-1, 1), 53 random bits.
const rnd = () => ((next32() >>> 5) * 2 ** 26 + (next32() >>> 6)) * 2 ** -52 - 1;

const KINDS = {
  uniform: () => rnd(),
  mixed: () => rnd() * 2 ** ((next32() % 81) - 40), // 2^-40 .. 2^40
  subnormal: () => [2 ** -1022, -TINY, 2 ** -1022 * rnd()][next32() % 3],
};
function fill(v, n, kind) {
  for (let i = 0; i < n; i++) v[i] = KINDS[kind]();
}

// --- comparison ---------------------------------------------------------------

// got against the reference value ref of a reduction of n terms whose
// absolute values sum to abs: equal when exact, else within the bound.
// NaN must give NaN and an infinite reference the same infinity.
function near(got, ref, n, abs, exact) {
  if (Number.isNaN(ref)) return Number.isNaN(got);
  if (exact || !Number.isFinite(ref)) return Object.is(got, ref);
  return Math.abs(got - ref) <= 2 * n * u * abs + 2 * n * TINY;
}

// Reduces n terms term(i) in index order: [sum, sum of |term|].
function reduce(n, term) {
  let s = 0, a = 0;
  for (let i = 0; i < n; i++) {
    const t = term(i);
    s += t;
    a += Math.abs(t);
  }
  return [s, a];
}

// --- an instance --------------------------------------------------------------

function instantiate(mod) {
  const bytes = readFileSync(join(dir, mod.file));
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
}

// Whether fn traps on an access past the end of memory.
function traps(fn) {
  try {
    fn();
  } catch (e) {
    return e instanceof WebAssembly.RuntimeError && /out of bounds/.test(e.message);
  }
  return false;
}

// open instantiates mod and reserves what a host reserves: a frame per
// kernel and the regions X, Y, Out of cap doubles and Taps of taps. It
// returns the exports, views of the regions, and the kernels as
// functions of lengths and scalars, the way the Go hosts call them.
function open(mod, cap, taps) {
  const e = instantiate(mod);
  const frames = {};
  for (const k of KERNELS) frames[k] = e.zc_reserve(FRAME, 16);
  const [x, y, out, tp] = [e.zc_reserve(cap * 8, 64), e.zc_reserve(cap * 8, 64),
                           e.zc_reserve(cap * 8, 64), e.zc_reserve(taps * 8, 64)];
  const desc = e.zc_reserve(8 * (4 + BATCH * 8), 8); // a batch descriptor
  const b = e.memory.buffer, dv = new DataView(b);
  const bufs = { sum: [x], dot: [x, y], axpy: [x, y, out], fir: [x, tp, out], matmul: [x, y, out], noop: [] };
  for (const k of KERNELS) bufs[k].forEach((r, i) => dv.setUint32(frames[k] + 4 * i, r, true));
  const lens = (k, ...ls) => ls.forEach((l, i) => dv.setBigInt64(frames[k] + 32 + 8 * i, BigInt(l), true));
  const call = (k) => Number(e[k](frames[k]));
  const result = (k) => dv.getFloat64(frames[k] + 168, true);
  return {
    e, frames, offsets: [x, y, out, tp], lens, desc,
    v: {
      x: new Float64Array(b, x, cap), y: new Float64Array(b, y, cap),
      out: new Float64Array(b, out, cap), taps: new Float64Array(b, tp, taps),
    },
    sum: (n) => (lens("sum", n), call("sum"), result("sum")),
    dot: (n) => (lens("dot", n, n), call("dot"), result("dot")),
    axpy: (a, n) => (lens("axpy", n, n, n), dv.setFloat64(frames.axpy + 96, a, true), call("axpy")),
    fir: (n, k) => (lens("fir", n, k, Math.max(n - k + 1, 0)), call("fir")),
    matmul: (m) => (lens("matmul", m * m, m * m, m * m), dv.setBigInt64(frames.matmul + 128, BigInt(m), true), call("matmul")),
    call,
  };
}

// --- checks -------------------------------------------------------------------

function checkReserve(mod) {
  ctx = `${mod.name} reserve`;
  let e = instantiate(mod);
  check(e.zc_abi_version() === 1, "zc_abi_version is 1");
  check(e.noop(0) === 0n, "noop returns 0");
  for (const [size, align] of [[0, 8], [8, 0], [8, 3], [8, 131072], [-1, 8]])
    check(e.zc_reserve(size, align) === 0, `zc_reserve(${size}, ${align}) fails`);
  const before = e.memory.buffer.byteLength;
  check(e.zc_reserve(0x7fffffff, 64) === 0, "zc_reserve beyond the 2 GiB maximum fails");
  check(e.memory.buffer.byteLength === before, "a failed zc_reserve changes nothing");
  const a = e.zc_reserve(100, 64), b = e.zc_reserve(8, 16), c = e.zc_reserve(65536 * 3, 64);
  check([a, b, c].every((p) => p > 0) && a % 64 === 0 && b % 16 === 0 && c % 64 === 0, "reservations are aligned");
  check(a + 100 <= b && b + 8 <= c, "reservations are disjoint, in order");
  const len = e.memory.buffer.byteLength;
  check(c + 65536 * 3 <= len && len - (c + 65536 * 3) < 65536, "memory holds them, within one page");

  // A small reservation fits the initial memory and needs no growth.
  e = instantiate(mod);
  const small = e.memory.buffer.byteLength;
  check(e.zc_reserve(8, 8) > 0 && e.memory.buffer.byteLength === small, "zc_reserve(8, 8) fits without growing");
}

function checkSumDotAxpy(mod, e, v, n, kind) {
  ctx = `${mod.name} ${kind} n=${n}`;
  fill(v.x, n, kind);
  fill(v.y, n, kind);
  const x = v.x.slice(0, n), y = v.y.slice(0, n);

  const [rs, as] = reduce(n, (i) => x[i]);
  check(near(e.sum(n), rs, n, as, mod.exact), `sum = ${rs}`);
  const [rd, ad] = reduce(n, (i) => x[i] * y[i]);
  check(near(e.dot(n), rd, n, ad, mod.exact), `dot = ${rd}`);

  const a = rnd() * 3;
  v.out.fill(CANARY);
  e.axpy(a, n);
  let ok = true;
  for (let i = 0; i < n && ok; i++) ok = Object.is(v.out[i], a * x[i] + y[i]);
  check(ok, "axpy equals a*x[i] + y[i]");
  check(n === CAP || v.out[n] === CANARY, "axpy writes nothing past n");
  check(v.x.subarray(0, n).every((t, i) => Object.is(t, x[i])) &&
        v.y.subarray(0, n).every((t, i) => Object.is(t, y[i])), "inputs unchanged");
}

function checkFir(mod, e, v, n, k) {
  ctx = `${mod.name} fir n=${n} k=${k}`;
  fill(v.x, n, "uniform");
  fill(v.taps, k, "uniform");
  v.out.fill(CANARY);
  const bad = k === 0 || k > n, outs = bad ? 0 : n - k + 1;
  check(e.fir(n, k) === (bad ? -ZC_ERR_ARG : outs), bad ? "fir refuses k = 0 or k > n" : `fir returns ${outs}`);
  let ok = true;
  for (let i = 0; i < outs && ok; i++) {
    const [r, a] = reduce(k, (j) => v.taps[j] * v.x[i + j]);
    ok = near(v.out[i], r, k, a, mod.exact);
    if (!ok) ctx += ` i=${i} got ${v.out[i]} want ${r}`;
  }
  check(ok, "fir outputs");
  check(outs === CAP || v.out[outs] === CANARY, "fir writes nothing past n-k+1");
}

function checkMatmul(mod, e, v, m, kind) {
  ctx = `${mod.name} ${kind} matmul m=${m}`;
  fill(v.x, m * m, kind);
  fill(v.y, m * m, kind);
  v.out.fill(CANARY);
  e.matmul(m);
  let ok = true;
  for (let i = 0; i < m && ok; i++)
    for (let j = 0; j < m && ok; j++) {
      const [r, a] = reduce(m, (p) => v.x[i * m + p] * v.y[p * m + j]);
      ok = near(v.out[i * m + j], r, m, a, mod.exact);
      if (!ok) ctx += ` c[${i}][${j}] got ${v.out[i * m + j]} want ${r}`;
    }
  check(ok, "matmul outputs");
  check(v.out[m * m] === CANARY, "matmul writes nothing past m*m");
}

// NaN and infinities at positions that fall in the 8-wide loop, the
// 2-wide loop and the scalar tail of n = 17.
function checkSpecial(mod, e, v) {
  const n = 17;
  for (const at of [0, 9, 16]) {
    ctx = `${mod.name} special n=${n} at=${at}`;
    const set = (val, alt) => {
      fill(v.x, n, "uniform");
      fill(v.y, n, "uniform");
      v.x[at] = val;
      if (alt !== undefined) v.x[(at + 5) % n] = alt;
    };
    set(NaN);
    check(Number.isNaN(e.sum(n)) && Number.isNaN(e.dot(n)), "NaN gives NaN");
    set(Infinity);
    check(e.sum(n) === Infinity, "+Inf alone gives +Inf");
    set(-Infinity);
    check(e.sum(n) === -Infinity, "-Inf alone gives -Inf");
    set(Infinity, -Infinity);
    check(Number.isNaN(e.sum(n)), "+Inf and -Inf give NaN");
    set(Infinity);
    v.y[at] = 0;
    check(Number.isNaN(e.dot(n)), "Inf*0 gives NaN");
    set(NaN);
    e.axpy(2, n);
    check(Number.isNaN(v.out[at]) &&
          v.out.subarray(0, n).every((t, i) => i === at || !Number.isNaN(t)),
          "axpy NaN stays in its element");
    set(Infinity);
    v.taps.fill(1, 0, 3);
    e.fir(n, 3);
    let ok = true; // out[i] sums x[i..i+2]: +Inf when that holds x[at]
    for (let i = 0; i < n - 2; i++)
      ok &&= i <= at && at <= i + 2 ? v.out[i] === Infinity : Number.isFinite(v.out[i]);
    check(ok, "fir +Inf reaches exactly the outputs that read it");
  }
  ctx = `${mod.name} special matmul`;
  const m = 5;
  fill(v.x, m * m, "uniform");
  fill(v.y, m * m, "uniform");
  v.x[2 * m + 3] = NaN; // a[2][3]: row 2 of c is NaN, the rest finite
  e.matmul(m);
  let ok = true;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++)
      ok &&= Number.isNaN(v.out[i * m + j]) === (i === 2);
  check(ok, "matmul NaN fills its row");
}

function checkRefusals(mod, e, v) {
  ctx = `${mod.name} refusals`;
  const buf = e.e.memory.buffer;
  v.out.fill(CANARY);
  const refused = (k, ...ls) => (e.lens(k, ...ls), e.call(k) === -ZC_ERR_ARG);
  check(refused("dot", 10, 9), "dot with len(y) != len(x) is -ZC_ERR_ARG");
  check(refused("axpy", 10, 10, 9), "axpy with len(out) < n is -ZC_ERR_ARG");
  check(refused("fir", 10, 11, 10), "fir with k > n is -ZC_ERR_ARG");
  check(refused("fir", 10, 0, 10), "fir with k = 0 is -ZC_ERR_ARG");
  check(refused("fir", 10, 3, 7), "fir with len(out) < n-k+1 is -ZC_ERR_ARG");
  e.lens("matmul", 24, 25, 25);
  new DataView(buf).setBigInt64(e.frames.matmul + 128, 5n, true);
  check(e.call("matmul") === -ZC_ERR_ARG, "matmul with len < m*m is -ZC_ERR_ARG");
  new DataView(buf).setBigInt64(e.frames.matmul + 128, -1n, true);
  check(e.call("matmul") === -ZC_ERR_ARG, "matmul(-1) is -ZC_ERR_ARG");
  check(v.out.every((t) => t === CANARY), "refused calls wrote nothing");
  // Lengths past the end of memory, as a host bug would write: wasm's
  // bounds check stops the kernel.
  check(traps(() => e.sum(0x7fffffff)), "sum past the end of memory traps");
  check(traps(() => e.axpy(1, 0x7fffffff)), "axpy past the end of memory traps");
  check(e.e.memory.buffer === buf, "memory did not grow after the reservations");
}

// ns per call of fn: the median of 7 runs of reps calls.
// checkBatch drives the batch exports as a host does (zc_kernel.h's
// descriptor: a header of the kernel's shape, then per call its
// addresses, lengths, scalars, return and result): a batch of sums and
// one of axpys, each call of its own length at offsets of its own, one
// axpy with lengths the kernel refuses. Each call must equal the
// reference, the refused one must write nothing, and the others must not
// notice it.
function checkBatch(mod, e, v) {
  ctx = `${mod.name} batch`;
  const dv = new DataView(e.e.memory.buffer), d = e.desc;
  const [x, y, out] = e.offsets;
  const header = (nb, nf) => [nb, nf, 0, 0].forEach((w, i) => dv.setBigInt64(d + 8 * i, BigInt(w), true));
  const word = (j, w, i) => d + 8 * (4 + j * w + i);
  const n = (j) => [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33][j % 11];
  const at = (j) => 40 * j + (j % 2); // each call's first element
  fill(v.x, 40 * BATCH, "uniform");
  fill(v.y, 40 * BATCH, "uniform");

  header(1, 0); // sum: addr, len, ret, result
  for (let j = 0; j < BATCH; j++) {
    dv.setBigInt64(word(j, 4, 0), BigInt(x + 8 * at(j)), true);
    dv.setBigInt64(word(j, 4, 1), BigInt(n(j)), true);
  }
  e.e.sum_batch(d, BATCH);
  for (let j = 0; j < BATCH; j++) {
    const [rs, as] = reduce(n(j), (i) => v.x[at(j) + i]);
    check(dv.getBigInt64(word(j, 4, 2), true) === 0n &&
          near(dv.getFloat64(word(j, 4, 3), true), rs, n(j), as, mod.exact), `sum call ${j} = ${rs}`);
  }

  header(3, 1); // axpy: 3 addrs, 3 lens, a, ret, result
  v.out.fill(CANARY, 0, 40 * BATCH);
  const a = (j) => 0.5 * j - 3;
  for (let j = 0; j < BATCH; j++) {
    [x, y, out].forEach((r, i) => dv.setBigInt64(word(j, 9, i), BigInt(r + 8 * at(j)), true));
    [n(j), j === 5 ? n(j) + 1 : n(j), n(j)].forEach((l, i) => dv.setBigInt64(word(j, 9, 3 + i), BigInt(l), true));
    dv.setFloat64(word(j, 9, 6), a(j), true);
  }
  e.e.axpy_batch(d, BATCH);
  for (let j = 0; j < BATCH; j++) {
    const ret = dv.getBigInt64(word(j, 9, 7), true);
    let ok = true;
    for (let i = 0; i < n(j) && ok; i++) {
      const k = at(j) + i;
      ok = j === 5 ? v.out[k] === CANARY : Object.is(v.out[k], a(j) * v.x[k] + v.y[k]);
    }
    check(j === 5 ? ret === -BigInt(ZC_ERR_ARG) && ok : ret === 0n && ok, `axpy call ${j}: ${ret}`);
  }
}

function timeNs(fn, reps) {
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    runs.push(Number(process.hrtime.bigint() - t0) / reps);
  }
  return runs.sort((a, b) => a - b)[3];
}

const timing = [];
for (const mod of MODULES) {
  checkReserve(mod);
  const e = open(mod, CAP, TAPS);
  const buf = e.e.memory.buffer, len = buf.byteLength;
  const v = e.v;

  for (const n of [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 1000, 100003, CAP])
    for (const kind of Object.keys(KINDS)) checkSumDotAxpy(mod, e, v, n, kind);
  for (const n of [0, 1, 2, 3, 4, 16, 17, 24, 25, 40, 1000, CAP])
    for (const k of [0, 1, 2, 3, 5, 16, 17, TAPS]) checkFir(mod, e, v, n, k);
  for (const m of [0, 1, 2, 3, 5, 8, 17, 33, 362])
    for (const kind of ["uniform", "mixed"]) checkMatmul(mod, e, v, m, kind);
  checkSpecial(mod, e, v);
  checkRefusals(mod, e, v);
  checkBatch(mod, e, v);
  ctx = mod.name;
  check(e.e.memory.buffer === buf && buf.byteLength === len, "memory unchanged by all calls");

  fill(v.x, 100000, "uniform");
  for (let i = 0; i < 2000; i++) e.sum(100000); // warm up to the optimising tier
  timing.push(`${mod.name} ${timeNs(() => e.sum(100000), 500).toFixed(0)} ns`);
}
console.log(`sum(100000) per call, median of 7: ${timing.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
