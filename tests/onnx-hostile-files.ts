/**
 * A tiny, independent protobuf writer for crafting hostile .onnx files in tests: it writes
 * whatever it is told (negative dims, lengths that lie, cycles), which model-format's writer never would.
 */
type Value = number | bigint | string | Uint8Array | { f32: number } | { rawLength: number; bytes: Uint8Array };
export type Field = [number, Value];

function varint(v: bigint): number[] {
  const out: number[] = [];
  let n = BigInt.asUintN(64, v);
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return out;
}

/** One message from [field number, value] pairs; `{ rawLength, bytes }` declares a length that may lie. */
export function msg(fields: Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const head = (field: number, wire: number, length?: number) => parts.push(Uint8Array.from([...varint(BigInt(field * 8 + wire)), ...(length === undefined ? [] : varint(BigInt(length)))]));
  for (const [field, value] of fields) {
    if (typeof value === 'number' || typeof value === 'bigint') {
      head(field, 0);
      parts.push(Uint8Array.from(varint(BigInt(value))));
    } else if (typeof value === 'string' || value instanceof Uint8Array) {
      const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      head(field, 2, bytes.length);
      parts.push(bytes);
    } else if ('f32' in value) {
      head(field, 5);
      const b = new Uint8Array(4);
      new DataView(b.buffer).setFloat32(0, value.f32, true);
      parts.push(b);
    } else {
      head(field, 2, value.rawLength);
      parts.push(value.bytes);
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

export function tensor(name: string, dims: number[], raw: Uint8Array, dataType = 1): Uint8Array {
  return msg([...dims.map((d): Field => [1, d]), [2, dataType], [8, name], [9, raw]]);
}

export function floatTensor(name: string, dims: number[], values: number[]): Uint8Array {
  return tensor(name, dims, f32(values));
}

export function int64Tensor(name: string, values: number[]): Uint8Array {
  const raw = new Uint8Array(values.length * 8);
  values.forEach((v, i) => new DataView(raw.buffer).setBigInt64(i * 8, BigInt(v), true));
  return tensor(name, [values.length], raw, 7);
}

export type Attr = [string, number | number[] | { f32: number } | { tensor: Uint8Array } | { graph: Uint8Array } | { s: string }];

export function node(op: string, inputs: string[], outputs: string[], name = `${op}_${outputs[0]}`, attrs: Attr[] = [], domain?: string): Uint8Array {
  const attributes = attrs.map(([n, v]): Field => {
    if (typeof v === 'number') return [5, msg([[1, n], [3, v], [20, 2]])];
    if (Array.isArray(v)) return [5, msg([[1, n], ...v.map((i): Field => [8, i]), [20, 7]])];
    if ('f32' in v) return [5, msg([[1, n], [2, v], [20, 1]])];
    if ('tensor' in v) return [5, msg([[1, n], [5, v.tensor], [20, 4]])];
    if ('s' in v) return [5, msg([[1, n], [4, v.s], [20, 3]])];
    return [5, msg([[1, n], [6, v.graph], [20, 5]])];
  });
  return msg([...inputs.map((i): Field => [1, i]), ...outputs.map((o): Field => [2, o]), [3, name], [4, op], ...attributes, ...(domain ? [[7, domain] as Field] : [])]);
}

export function valueInfo(name: string, dims: Array<number | string>, elemType = 1): Uint8Array {
  const shape = msg(dims.map((d): Field => [1, msg([[typeof d === 'number' ? 1 : 2, d]])]));
  return msg([[1, name], [2, msg([[1, msg([[1, elemType], [2, shape]])]])]]);
}

export function graph(parts: { nodes: Uint8Array[]; initializers?: Uint8Array[]; inputs?: Uint8Array[]; outputs?: Uint8Array[] }): Uint8Array {
  return msg([
    ...parts.nodes.map((n): Field => [1, n]),
    [2, 'hostile'],
    ...(parts.initializers ?? []).map((t): Field => [5, t]),
    ...(parts.inputs ?? [valueInfo('x', ['batch', 4])]).map((v): Field => [11, v]),
    ...(parts.outputs ?? [valueInfo('y', ['batch', 2])]).map((v): Field => [12, v]),
  ]);
}

export function model(graphBytes: Uint8Array, options: { ir?: number; opset?: number; metadata?: Array<[string, string]> } = {}): Uint8Array {
  return msg([
    [1, options.ir ?? 7],
    [2, 'hostile-test'],
    [7, graphBytes],
    [8, msg([[1, ''], [2, options.opset ?? 13]])],
    ...(options.metadata ?? []).map(([k, v]): Field => [14, msg([[1, k], [2, v]])]),
  ]);
}

/** A valid 4-2 dense model: Gemm then Relu; the base the structured cases break one way each. */
export function validDense(extraNodes: Uint8Array[] = [], metadata?: Array<[string, string]>): Uint8Array {
  return model(
    graph({
      nodes: [node('Gemm', ['x', 'w', 'b'], ['h'], 'gemm', [['transB', 1]]), node('Relu', ['h'], ['y'], 'relu'), ...extraNodes],
      initializers: [floatTensor('w', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), floatTensor('b', [2], [0.5, -0.5])],
    }),
    { metadata },
  );
}
