/**
 * The one seam to binaryen. Everything else builds kernels through the
 * small typed vocabulary here: a module with an imported memory, functions
 * whose parameters are i32 (pointers and sizes), named locals, counted loops,
 * scalar and 128-bit SIMD arithmetic, and `fma`, which emits relaxed-SIMD
 * `f32x4.relaxed_madd` in the relaxed variant and `mul` + `add` otherwise.
 * binaryen is loaded lazily (it is ~15 MB of JavaScript).
 */
import { LadonError } from '@ladon/ir';

import type BinaryenDefault from 'binaryen';

type Binaryen = typeof BinaryenDefault;
type BinaryenModule = InstanceType<Binaryen['Module']>;

/**
 * A binaryen expression. Expressions form a tree: never use the same Expr
 * in two places (build it twice, or keep the value in a local).
 */
export type Expr = number;

/** Value types of locals. */
export type ValueType = 'i32' | 'i64' | 'f32' | 'v128';

let loaded: Binaryen | undefined;

/** The raw C API entry for relaxed FMA (binaryen.js has no typed wrapper; see FIELD-NOTES). */
interface RelaxedSimdApi {
  _BinaryenSIMDTernary(module: number, op: number, a: Expr, b: Expr, c: Expr): Expr;
  RelaxedMaddVecF32x4: number;
}

function relaxedMadd(binaryen: Binaryen, module: BinaryenModule, a: Expr, b: Expr, c: Expr): Expr {
  const api = binaryen as unknown as RelaxedSimdApi;
  return api._BinaryenSIMDTernary(module.ptr, api.RelaxedMaddVecF32x4, a, b, c);
}

async function loadBinaryen(): Promise<Binaryen> {
  loaded ??= (await import('binaryen')).default;
  return loaded;
}

/** A module under construction. */
export class WasmModule {
  private readonly exports: string[] = [];

  private constructor(
    readonly binaryen: Binaryen,
    readonly module: BinaryenModule,
    /** True for the relaxed-SIMD variant (fma is one instruction). */
    readonly relaxed: boolean,
  ) {}

  /** A new module importing `env.memory`. */
  static async create(relaxed: boolean): Promise<WasmModule> {
    const binaryen = await loadBinaryen();
    const module = new binaryen.Module();
    const features = binaryen.Features;
    const bulkMemoryOpt = (features as unknown as { BulkMemoryOpt?: number }).BulkMemoryOpt ?? 0;
    let flags = features.SIMD128 | features.BulkMemory | bulkMemoryOpt | features.SignExt | features.MutableGlobals | features.NontrappingFPToInt;
    if (relaxed) flags |= features.RelaxedSIMD;
    module.setFeatures(flags);
    module.setMemory(1, 65536, null, [], false, false, '0');
    module.addMemoryImport('0', 'env', 'memory');
    return new WasmModule(binaryen, module, relaxed);
  }

  /** True when a function of this name exists. */
  has(name: string): boolean {
    return this.exports.includes(name);
  }

  /** Adds an exported function with i32 parameters; `build` returns its body statements. */
  addFunction(name: string, params: readonly string[], build: (f: FunctionBuilder) => Expr[]): void {
    if (this.has(name)) return;
    const f = new FunctionBuilder(this, params);
    const body = build(f);
    const b = this.binaryen;
    this.module.addFunction(name, b.createType(params.map(() => b.i32)), b.none, f.localTypes(), this.module.block(null, body));
    this.module.addFunctionExport(name, name);
    this.exports.push(name);
  }

  /** Validates, optimises (-O3) and returns the binary and its text form. */
  finish(): { binary: Uint8Array; text: string } {
    if (!this.module.validate()) {
      throw new LadonError('E_COMPILE', `binaryen rejected the generated module:\n${this.module.emitText().slice(0, 2000)}`);
    }
    this.binaryen.setOptimizeLevel(3);
    this.binaryen.setShrinkLevel(0);
    this.module.optimize();
    const binary = new Uint8Array(this.module.emitBinary());
    const text = this.module.emitText();
    this.module.dispose();
    return { binary, text };
  }
}

/** A named local (or parameter) of a function. */
export interface Local {
  readonly index: number;
  readonly type: ValueType;
  get(): Expr;
  set(value: Expr): Expr;
  tee(value: Expr): Expr;
}

/** Builds one function's body: locals, control flow, arithmetic. */
export class FunctionBuilder {
  private readonly locals: Local[] = [];
  private readonly byName = new Map<string, Local>();
  private labels = 0;
  private readonly paramCount: number;
  private readonly m: BinaryenModule;
  private readonly b: Binaryen;

  constructor(
    private readonly owner: WasmModule,
    params: readonly string[],
  ) {
    this.m = owner.module;
    this.b = owner.binaryen;
    for (const name of params) this.declare(name, 'i32');
    this.paramCount = params.length;
  }

  /** True for the relaxed-SIMD variant. */
  get relaxed(): boolean {
    return this.owner.relaxed;
  }

  /** The parameter or local called `name`. */
  v(name: string): Local {
    const local = this.byName.get(name);
    if (!local) throw new LadonError('E_COMPILE', `kernel uses undeclared local '${name}'`);
    return local;
  }

  /** The value of parameter or local `name`. */
  get(name: string): Expr {
    return this.v(name).get();
  }

  /** Declares a local (named uniquely per function). */
  local(name: string, type: ValueType): Local {
    if (this.byName.has(name)) throw new LadonError('E_COMPILE', `kernel declares local '${name}' twice`);
    return this.declare(name, type);
  }

  /** A fresh local with a generated name (for temporaries of expression helpers). */
  temp(type: ValueType): Local {
    return this.declare(`$t${this.locals.length}`, type);
  }

  /** The non-parameter locals' types, for addFunction. */
  localTypes(): number[] {
    return this.locals.filter((_, i) => i >= this.paramCount).map((local) => this.typeRef(local.type));
  }

  private declare(name: string, type: ValueType): Local {
    const index = this.locals.length;
    const typeRef = this.typeRef(type);
    const m = this.m;
    const local: Local = {
      index,
      type,
      get: () => m.local.get(index, typeRef),
      set: (value) => m.local.set(index, value),
      tee: (value) => m.local.tee(index, value, typeRef),
    };
    this.locals.push(local);
    this.byName.set(name, local);
    return local;
  }

  private typeRef(type: ValueType): number {
    return { i32: this.b.i32, i64: this.b.i64, f32: this.b.f32, v128: this.b.v128 }[type];
  }

  // ---- control flow ----

  /** A block of statements. */
  block(statements: readonly Expr[]): Expr {
    return this.m.block(null, [...statements]);
  }

  /** A block of statements ending in a value: the block's value. */
  valueBlock(statements: readonly Expr[], value: Expr): Expr {
    return this.m.block(null, [...statements, value], this.b.auto);
  }

  /** `for (counter = start; counter < end; counter += step) body` (skipped when start >= end); `step` is a constant or a local. */
  for(counter: Local, start: Expr, end: Expr, step: number | Local, body: readonly Expr[]): Expr {
    const label = `L${this.labels++}`;
    const exit = `${label}_exit`;
    const m = this.m;
    // a run-time step is a local (an Expr is a number too, so it could not be told from a constant)
    const increment = typeof step === 'number' ? m.i32.const(step) : step.get();
    const limit = this.temp('i32');
    return m.block(exit, [
      limit.set(end),
      counter.set(start),
      m.br(exit, m.i32.ge_s(counter.get(), limit.get())),
      m.loop(label, m.block(null, [...body, counter.set(m.i32.add(counter.get(), increment)), m.br(label, m.i32.lt_s(counter.get(), limit.get()))])),
    ]);
  }

  /** `while (condition) body` (the condition is evaluated before every pass). */
  while(condition: Expr, body: readonly Expr[]): Expr {
    const label = `W${this.labels++}`;
    const exit = `${label}_exit`;
    const m = this.m;
    return m.block(exit, [m.loop(label, m.block(null, [m.br(exit, m.i32.eqz(condition)), ...body, m.br(label)]))]);
  }

  /** `if (condition) then else otherwise`. */
  if(condition: Expr, then: readonly Expr[], otherwise?: readonly Expr[]): Expr {
    return this.m.if(condition, this.m.block(null, [...then]), otherwise ? this.m.block(null, [...otherwise]) : undefined);
  }

  /** A statement that does nothing. */
  nop(): Expr {
    return this.m.nop();
  }

  // ---- i32 ----

  /** i32 arithmetic and comparisons. */
  get i32() {
    const m = this.m;
    const pick = (a: Expr, b: Expr, takeFirst: (x: Expr, y: Expr) => Expr): Expr => {
      const first = this.temp('i32');
      const second = this.temp('i32');
      return m.select(takeFirst(first.get(), second.get()), first.tee(a), second.tee(b));
    };
    return {
      const: (value: number) => m.i32.const(value | 0),
      add: (a: Expr, b: Expr) => m.i32.add(a, b),
      sub: (a: Expr, b: Expr) => m.i32.sub(a, b),
      mul: (a: Expr, b: Expr) => m.i32.mul(a, b),
      divS: (a: Expr, b: Expr) => m.i32.div_s(a, b),
      remS: (a: Expr, b: Expr) => m.i32.rem_s(a, b),
      shl: (a: Expr, bits: number) => m.i32.shl(a, m.i32.const(bits)),
      shrS: (a: Expr, bits: number) => m.i32.shr_s(a, m.i32.const(bits)),
      and: (a: Expr, b: Expr) => m.i32.and(a, b),
      or: (a: Expr, b: Expr) => m.i32.or(a, b),
      eq: (a: Expr, b: Expr) => m.i32.eq(a, b),
      ne: (a: Expr, b: Expr) => m.i32.ne(a, b),
      eqz: (a: Expr) => m.i32.eqz(a),
      lt: (a: Expr, b: Expr) => m.i32.lt_s(a, b),
      le: (a: Expr, b: Expr) => m.i32.le_s(a, b),
      gt: (a: Expr, b: Expr) => m.i32.gt_s(a, b),
      ge: (a: Expr, b: Expr) => m.i32.ge_s(a, b),
      /** a >= b, both read as unsigned. */
      geU: (a: Expr, b: Expr) => m.i32.ge_u(a, b),
      /** min(a, b); each operand is evaluated once. */
      min: (a: Expr, b: Expr) => pick(a, b, (x, y) => m.i32.lt_s(x, y)),
      /** max(a, b); each operand is evaluated once. */
      max: (a: Expr, b: Expr) => pick(a, b, (x, y) => m.i32.gt_s(x, y)),
      select: (condition: Expr, ifTrue: Expr, ifFalse: Expr) => m.select(condition, ifTrue, ifFalse),
      load: (pointer: Expr, offset = 0) => m.i32.load(offset, 4, pointer),
      load8: (pointer: Expr, offset = 0) => m.i32.load8_u(offset, 1, pointer),
      /** Loads a byte sign-extended. */
      load8S: (pointer: Expr, offset = 0) => m.i32.load8_s(offset, 1, pointer),
      load16: (pointer: Expr, offset = 0) => m.i32.load16_u(offset, 2, pointer),
      store16: (pointer: Expr, value: Expr, offset = 0) => m.i32.store16(offset, 2, pointer, value),
      shrU: (a: Expr, bits: number) => m.i32.shr_u(a, m.i32.const(bits)),
      /** a << b for a run-time shift amount. */
      shlBy: (a: Expr, b: Expr) => m.i32.shl(a, b),
      /** a >>> b (logical) for a run-time shift amount. */
      shrUBy: (a: Expr, b: Expr) => m.i32.shr_u(a, b),
      xor: (a: Expr, b: Expr) => m.i32.xor(a, b),
      store: (pointer: Expr, value: Expr, offset = 0) => m.i32.store(offset, 4, pointer, value),
      store8: (pointer: Expr, value: Expr, offset = 0) => m.i32.store8(offset, 1, pointer, value),
      /** The low 32 bits of an i64 in memory. */
      loadI64Low: (pointer: Expr, offset = 0) => m.i32.wrap(m.i64.load(offset, 8, pointer)),
      /** Stores an i32 sign-extended to i64. */
      storeAsI64: (pointer: Expr, value: Expr, offset = 0) => m.i64.store(offset, 8, pointer, m.i64.extend_s(value)),
      fromF32: (value: Expr) => m.i32.trunc_s_sat.f32(value),
    };
  }

  // ---- f32 ----

  /** Scalar f32 arithmetic. */
  get f32() {
    const m = this.m;
    return {
      const: (value: number) => m.f32.const(value),
      add: (a: Expr, b: Expr) => m.f32.add(a, b),
      sub: (a: Expr, b: Expr) => m.f32.sub(a, b),
      mul: (a: Expr, b: Expr) => m.f32.mul(a, b),
      div: (a: Expr, b: Expr) => m.f32.div(a, b),
      max: (a: Expr, b: Expr) => m.f32.max(a, b),
      min: (a: Expr, b: Expr) => m.f32.min(a, b),
      sqrt: (a: Expr) => m.f32.sqrt(a),
      abs: (a: Expr) => m.f32.abs(a),
      neg: (a: Expr) => m.f32.neg(a),
      floor: (a: Expr) => m.f32.floor(a),
      trunc: (a: Expr) => m.f32.trunc(a),
      /** Rounds to the nearest integer, ties to even. */
      nearest: (a: Expr) => m.f32.nearest(a),
      eq: (a: Expr, b: Expr) => m.f32.eq(a, b),
      ne: (a: Expr, b: Expr) => m.f32.ne(a, b),
      lt: (a: Expr, b: Expr) => m.f32.lt(a, b),
      le: (a: Expr, b: Expr) => m.f32.le(a, b),
      gt: (a: Expr, b: Expr) => m.f32.gt(a, b),
      ge: (a: Expr, b: Expr) => m.f32.ge(a, b),
      select: (condition: Expr, ifTrue: Expr, ifFalse: Expr) => m.select(condition, ifTrue, ifFalse),
      load: (pointer: Expr, offset = 0) => m.f32.load(offset, 4, pointer),
      store: (pointer: Expr, value: Expr, offset = 0) => m.f32.store(offset, 4, pointer, value),
      fromI32: (value: Expr) => m.f32.convert_s.i32(value),
      /** Reads an i64 in memory as f32. */
      fromI64At: (pointer: Expr, offset = 0) => m.f32.convert_s.i64(m.i64.load(offset, 8, pointer)),
      /** Stores f32 as i64 (truncating, saturating). */
      storeAsI64: (pointer: Expr, value: Expr, offset = 0) => m.i64.store(offset, 8, pointer, m.i64.trunc_s_sat.f32(value)),
      reinterpretI32: (value: Expr) => m.f32.reinterpret(value),
      bitsOf: (value: Expr) => m.i32.reinterpret(value),
    };
  }

  // ---- v128 as f32x4 ----

  /** 128-bit SIMD on four f32 lanes. */
  get f32x4() {
    const m = this.m;
    const b = this.b;
    const relaxed = this.relaxed;
    return {
      splat: (value: Expr) => m.f32x4.splat(value),
      const: (value: number) => m.f32x4.splat(m.f32.const(value)),
      zero: () => m.v128.const([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      load: (pointer: Expr, offset = 0) => m.v128.load(offset, 4, pointer),
      store: (pointer: Expr, value: Expr, offset = 0) => m.v128.store(offset, 4, pointer, value),
      add: (a: Expr, c: Expr) => m.f32x4.add(a, c),
      sub: (a: Expr, c: Expr) => m.f32x4.sub(a, c),
      mul: (a: Expr, c: Expr) => m.f32x4.mul(a, c),
      div: (a: Expr, c: Expr) => m.f32x4.div(a, c),
      max: (a: Expr, c: Expr) => m.f32x4.max(a, c),
      min: (a: Expr, c: Expr) => m.f32x4.min(a, c),
      pmax: (a: Expr, c: Expr) => m.f32x4.pmax(a, c),
      pmin: (a: Expr, c: Expr) => m.f32x4.pmin(a, c),
      abs: (a: Expr) => m.f32x4.abs(a),
      neg: (a: Expr) => m.f32x4.neg(a),
      sqrt: (a: Expr) => m.f32x4.sqrt(a),
      floor: (a: Expr) => m.f32x4.floor(a),
      nearest: (a: Expr) => m.f32x4.nearest(a),
      lt: (a: Expr, c: Expr) => m.f32x4.lt(a, c),
      le: (a: Expr, c: Expr) => m.f32x4.le(a, c),
      gt: (a: Expr, c: Expr) => m.f32x4.gt(a, c),
      ge: (a: Expr, c: Expr) => m.f32x4.ge(a, c),
      eq: (a: Expr, c: Expr) => m.f32x4.eq(a, c),
      /** Lane-wise `mask ? a : c` (bitselect). */
      select: (mask: Expr, a: Expr, c: Expr) => m.v128.bitselect(a, c, mask),
      and: (a: Expr, c: Expr) => m.v128.and(a, c),
      extract: (vector: Expr, lane: number) => m.f32x4.extract_lane(vector, lane),
      /** `a * c + d`: one relaxed FMA, or a multiply and an add. */
      fma: (a: Expr, c: Expr, d: Expr) => (relaxed ? relaxedMadd(b, m, a, c, d) : m.f32x4.add(m.f32x4.mul(a, c), d)),
      /** Converts four i32 lanes to f32. */
      fromI32x4: (a: Expr) => m.f32x4.convert_i32x4_s(a),
      /** Four i32 lanes, all `value`. */
      i32x4Splat: (value: Expr) => m.i32x4.splat(value),
      /** The i32x4 constant (a, b, c, d). */
      i32x4Const: (lanes: readonly [number, number, number, number]) => m.v128.const(Array.from(new Uint8Array(new Int32Array(lanes).buffer))),
      i32x4Lt: (a: Expr, c: Expr) => m.i32x4.lt_s(a, c),
      i32x4Gt: (a: Expr, c: Expr) => m.i32x4.gt_s(a, c),
      i32x4Le: (a: Expr, c: Expr) => m.i32x4.le_s(a, c),
      i32x4Ge: (a: Expr, c: Expr) => m.i32x4.ge_s(a, c),
      /** Loads one f32 and splats it to all four lanes. */
      loadSplat: (pointer: Expr, offset = 0) => m.v128.load32_splat(offset, 4, pointer),
      /** Loads four bytes and widens them to four i32 lanes (bool masks). */
      loadBytesAsI32x4: (pointer: Expr, offset = 0) => m.i32x4.extend_low_i16x8_u(m.i16x8.extend_low_i8x16_u(m.v128.load32_zero(offset, 1, pointer))),
      or: (a: Expr, c: Expr) => m.v128.or(a, c),
      not: (a: Expr) => m.v128.not(a),
      anyTrue: (a: Expr) => m.v128.any_true(a),
      i32x4Add: (a: Expr, c: Expr) => m.i32x4.add(a, c),
      i32x4Shl: (a: Expr, bits: number) => m.i32x4.shl(a, m.i32.const(bits)),
      i32x4TruncSat: (a: Expr) => m.i32x4.trunc_sat_f32x4_s(a),
      /** Horizontal sum of the four lanes. */
      sum: (vector: Local) => m.f32.add(m.f32.add(m.f32x4.extract_lane(vector.get(), 0), m.f32x4.extract_lane(vector.get(), 1)), m.f32.add(m.f32x4.extract_lane(vector.get(), 2), m.f32x4.extract_lane(vector.get(), 3))),
      /** Horizontal max of the four lanes. */
      maxLanes: (vector: Local) => m.f32.max(m.f32.max(m.f32x4.extract_lane(vector.get(), 0), m.f32x4.extract_lane(vector.get(), 1)), m.f32.max(m.f32x4.extract_lane(vector.get(), 2), m.f32x4.extract_lane(vector.get(), 3))),
    };
  }

  /** Memory intrinsics. */
  get memory() {
    const m = this.m;
    return {
      copy: (destination: Expr, source: Expr, bytes: Expr) => m.memory.copy(destination, source, bytes),
      fill: (destination: Expr, value: Expr, bytes: Expr) => m.memory.fill(destination, value, bytes),
    };
  }

  // ---- additions for the op kernels (element-wise, data movement, GEMM) ----

  /** i64 arithmetic (values in i64 locals, or flowing from loads into stores, conversions or comparisons). */
  get i64() {
    const m = this.m;
    return {
      /** An i64 constant from a safe integer in the i32 range. */
      const: (value: number) => m.i64.const(BigInt(value | 0)),
      /** Any i64 constant. */
      constBig: (value: bigint) => m.i64.const(BigInt.asIntN(64, value)),
      load: (pointer: Expr, offset = 0) => m.i64.load(offset, 8, pointer),
      store: (pointer: Expr, value: Expr, offset = 0) => m.i64.store(offset, 8, pointer, value),
      add: (a: Expr, b: Expr) => m.i64.add(a, b),
      sub: (a: Expr, b: Expr) => m.i64.sub(a, b),
      mul: (a: Expr, b: Expr) => m.i64.mul(a, b),
      divS: (a: Expr, b: Expr) => m.i64.div_s(a, b),
      eq: (a: Expr, b: Expr) => m.i64.eq(a, b),
      ne: (a: Expr, b: Expr) => m.i64.ne(a, b),
      eqz: (a: Expr) => m.i64.eqz(a),
      lt: (a: Expr, b: Expr) => m.i64.lt_s(a, b),
      le: (a: Expr, b: Expr) => m.i64.le_s(a, b),
      gt: (a: Expr, b: Expr) => m.i64.gt_s(a, b),
      ge: (a: Expr, b: Expr) => m.i64.ge_s(a, b),
      /** Sign-extends an i32. */
      fromI32: (value: Expr) => m.i64.extend_s(value),
      /** The low 32 bits. */
      toI32: (value: Expr) => m.i32.wrap(value),
      /** Truncates an f32 towards zero, saturating (NaN gives 0). */
      fromF32: (value: Expr) => m.i64.trunc_s_sat.f32(value),
      toF32: (value: Expr) => m.f32.convert_s.i64(value),
      select: (condition: Expr, ifTrue: Expr, ifFalse: Expr) => m.select(condition, ifTrue, ifFalse),
    };
  }

  /**
   * Raw element moves by byte size (1, 2, 4 or 8): data movement kernels
   * copy elements of any dtype without interpreting them.
   */
  get raw() {
    const m = this.m;
    const load = (bytes: number, pointer: Expr, offset: number): Expr => {
      switch (bytes) {
        case 1: return m.i32.load8_u(offset, 1, pointer);
        case 2: return m.i32.load16_u(offset, 2, pointer);
        case 4: return m.i32.load(offset, 4, pointer);
        case 8: return m.i64.load(offset, 8, pointer);
        default: throw new LadonError('E_COMPILE', `no raw load for elements of ${bytes} bytes`);
      }
    };
    const store = (bytes: number, pointer: Expr, value: Expr, offset: number): Expr => {
      switch (bytes) {
        case 1: return m.i32.store8(offset, 1, pointer, value);
        case 2: return m.i32.store16(offset, 2, pointer, value);
        case 4: return m.i32.store(offset, 4, pointer, value);
        case 8: return m.i64.store(offset, 8, pointer, value);
        default: throw new LadonError('E_COMPILE', `no raw store for elements of ${bytes} bytes`);
      }
    };
    return {
      /** Loads one element of `bytes` bytes (an i32, or an i64 for 8 bytes). */
      load: (bytes: number, pointer: Expr, offset = 0) => load(bytes, pointer, offset),
      /** Stores one element of `bytes` bytes. */
      store: (bytes: number, pointer: Expr, value: Expr, offset = 0) => store(bytes, pointer, value, offset),
      /** Copies one element of `bytes` bytes from `source` to `destination`. */
      copy: (bytes: number, destination: Expr, source: Expr) => store(bytes, destination, load(bytes, source, 0), 0),
    };
  }

  /** Lane operations the f32x4 set lacks: lane replacement, integer lanes, bit operations. */
  get lanes() {
    const m = this.m;
    return {
      /** `vector` with f32 lane `lane` replaced by `value`. */
      replaceF32: (vector: Expr, lane: number, value: Expr) => m.f32x4.replace_lane(vector, lane, value),
      /** i32 lane `lane` of `vector`. */
      extractI32: (vector: Expr, lane: number) => m.i32x4.extract_lane(vector, lane),
      f32Ne: (a: Expr, b: Expr) => m.f32x4.ne(a, b),
      f32Trunc: (a: Expr) => m.f32x4.trunc(a),
      i32Sub: (a: Expr, b: Expr) => m.i32x4.sub(a, b),
      i32Mul: (a: Expr, b: Expr) => m.i32x4.mul(a, b),
      i32Eq: (a: Expr, b: Expr) => m.i32x4.eq(a, b),
      i32Ne: (a: Expr, b: Expr) => m.i32x4.ne(a, b),
      i32Abs: (a: Expr) => m.i32x4.abs(a),
      i32Max: (a: Expr, b: Expr) => m.i32x4.max_s(a, b),
      i32Min: (a: Expr, b: Expr) => m.i32x4.min_s(a, b),
      i32ShrS: (a: Expr, bits: number) => m.i32x4.shr_s(a, m.i32.const(bits)),
      xor: (a: Expr, b: Expr) => m.v128.xor(a, b),
      /** `a & ~b`. */
      andNot: (a: Expr, b: Expr) => m.v128.andnot(a, b),
      /** Picks four 32-bit lanes from the eight of `a` (0-3) and `b` (4-7). */
      shuffle32: (a: Expr, b: Expr, lanes: readonly [number, number, number, number]) =>
        m.i8x16.shuffle(a, b, lanes.flatMap((lane) => [4 * lane, 4 * lane + 1, 4 * lane + 2, 4 * lane + 3])),
    };
  }
}
