// check.mjs - the built wasm modules under node (V8), against JavaScript.
//
// Run: node wasm/embed/test/check.mjs (after sh wasm/embed/build.sh).
//
// The JavaScript reference is the naive in-order loop, which is what the
// scalar variant computes, so the scalar module must match it exactly and
// the SIMD one within the bound of zerocall.h: 2*n*u*sum|t_i| + 2n*2^-1074
// for a reduction of n terms t_i; axpy must match exactly in both, as
// neither module fuses multiply-add. It also checks zc_init's errors, that
// bad sizes trap instead of touching memory, and that memory never grows
// after zc_init. The last line printed is "P passed, F failed".
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODULES = [
  { name: "scalar", file: "zerocall.wasm", exact: true },
  { name: "simd128", file: "zerocall_simd.wasm", exact: false },
];
const CAP = 1 << 17, TAPS = 256;
const ZC_OK = 0, ZC_ERR_ARG = 1, ZC_ERR_NOMEM = 3;
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

// Whether fn traps on module.c's own check (wasm unreachable), not on an
// out-of-bounds access that got past it (V8 names the two apart).
function traps(fn) {
  try {
    fn();
  } catch (e) {
    return e instanceof WebAssembly.RuntimeError && /unreachable/.test(e.message);
  }
  return false;
}

// The regions of an initialised instance as Float64Array views.
function views(e) {
  const b = e.memory.buffer;
  return {
    x: new Float64Array(b, e.zc_x(), CAP),
    y: new Float64Array(b, e.zc_y(), CAP),
    out: new Float64Array(b, e.zc_out(), CAP),
    taps: new Float64Array(b, e.zc_taps(), TAPS),
  };
}

// --- checks -------------------------------------------------------------------

function checkInit(mod) {
  ctx = `${mod.name} init`;
  let e = instantiate(mod);
  check(e.zc_x() === 0 && e.zc_capacity() === 0, "regions are 0 before zc_init");
  check(traps(() => e.sum(0)), "sum(0) traps before zc_init");
  check(!traps(() => e.noop()), "noop runs before zc_init");
  for (const [c, t] of [[0, 1], [1, 0], [-1, 1], [10, 11], [10, -1], [0x7fffffff, 1]])
    check(e.zc_init(c, t) === ZC_ERR_ARG, `zc_init(${c}, ${t}) is ZC_ERR_ARG`);
  const before = e.memory.buffer.byteLength;
  // 3 * 800 MB fits 32 bits but not the 2 GiB maximum.
  check(e.zc_init(100_000_000, 1) === ZC_ERR_NOMEM, "zc_init beyond 2 GiB is ZC_ERR_NOMEM");
  check(e.memory.buffer.byteLength === before && e.zc_capacity() === 0,
        "a failed zc_init changes nothing");

  check(e.zc_init(CAP, TAPS) === ZC_OK, "zc_init(CAP, TAPS) is ZC_OK");
  check(e.zc_init(CAP, TAPS) === ZC_ERR_ARG, "a second zc_init is ZC_ERR_ARG");
  check(e.zc_init(8, 1) === ZC_ERR_ARG, "a smaller second zc_init is ZC_ERR_ARG");
  check(e.zc_capacity() === CAP && e.zc_taps_capacity() === TAPS, "capacities");
  const [x, y, out, taps] = [e.zc_x(), e.zc_y(), e.zc_out(), e.zc_taps()];
  check([x, y, out, taps].every((p) => p > 0 && p % 64 === 0), "regions are 64-byte aligned");
  check(x + CAP * 8 <= y && y + CAP * 8 <= out && out + CAP * 8 <= taps,
        "regions are disjoint, in order X, Y, Out, Taps");
  const len = e.memory.buffer.byteLength;
  check(taps + TAPS * 8 <= len && len - (taps + TAPS * 8) < 65536,
        "memory holds the regions, within one page");

  // A tiny capacity fits the initial memory and needs no growth.
  e = instantiate(mod);
  const small = e.memory.buffer.byteLength;
  check(e.zc_init(1, 1) === ZC_OK && e.memory.buffer.byteLength === small,
        "zc_init(1, 1) fits without growing");
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
  const outs = k === 0 || k > n ? 0 : n - k + 1;
  check(e.fir(n, k) === outs, `fir returns ${outs}`);
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

function checkTraps(mod, e, v) {
  ctx = `${mod.name} traps`;
  const buf = e.memory.buffer;
  v.out.fill(CANARY);
  const cases = {
    "sum(CAP+1)": () => e.sum(CAP + 1),
    "sum(-1)": () => e.sum(-1),
    "dot(CAP+1)": () => e.dot(CAP + 1),
    "axpy(1, CAP+1)": () => e.axpy(1, CAP + 1),
    "axpy(1, -1)": () => e.axpy(1, -1),
    "fir(CAP+1, 1)": () => e.fir(CAP + 1, 1),
    "fir(1000, TAPS+1)": () => e.fir(1000, TAPS + 1),
    "fir(1000, -1)": () => e.fir(1000, -1),
    "matmul(363)": () => e.matmul(363), // 363^2 > 2^17
    "matmul(46341)": () => e.matmul(46341), // m*m wraps negative in i32
    "matmul(65536)": () => e.matmul(65536), // m*m wraps to 0 in i32
    "matmul(-1)": () => e.matmul(-1),
  };
  for (const [what, fn] of Object.entries(cases)) check(traps(fn), `${what} traps`);
  check(v.out.every((t) => t === CANARY), "trapped calls wrote nothing");
  check(e.matmul(362) === undefined && v.out[362 * 362] === CANARY, "matmul(362) fits");
  check(e.fir(TAPS, TAPS) === 1, "fir(TAPS, TAPS) fits");
  check(e.memory.buffer === buf, "memory did not grow after zc_init");
}

// ns per call of fn: the median of 7 runs of reps calls.
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
  checkInit(mod);
  const e = instantiate(mod);
  e.zc_init(CAP, TAPS);
  const buf = e.memory.buffer, len = buf.byteLength;
  const v = views(e);

  for (const n of [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 1000, 100003, CAP])
    for (const kind of Object.keys(KINDS)) checkSumDotAxpy(mod, e, v, n, kind);
  for (const n of [0, 1, 2, 3, 4, 16, 17, 24, 25, 40, 1000, CAP])
    for (const k of [0, 1, 2, 3, 5, 16, 17, TAPS]) checkFir(mod, e, v, n, k);
  for (const m of [0, 1, 2, 3, 5, 8, 17, 33, 362])
    for (const kind of ["uniform", "mixed"]) checkMatmul(mod, e, v, m, kind);
  checkSpecial(mod, e, v);
  checkTraps(mod, e, v);
  ctx = mod.name;
  check(e.memory.buffer === buf && buf.byteLength === len, "memory unchanged by all calls");

  fill(v.x, 100000, "uniform");
  for (let i = 0; i < 2000; i++) e.sum(100000); // warm up to the optimising tier
  timing.push(`${mod.name} ${timeNs(() => e.sum(100000), 500).toFixed(0)} ns`);
}
console.log(`sum(100000) per call, median of 7: ${timing.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
