/** The six IDX element types, keyed by name, with their type byte and element size. */
export const IdxType = {
  ubyte: 0x08,
  byte: 0x09,
  short: 0x0b,
  int: 0x0c,
  float: 0x0d,
  double: 0x0e,
} as const;
export type IdxTypeName = keyof typeof IdxType;

/** The typed array each IDX type decodes to. */
export interface IdxArrayTypes {
  ubyte: Uint8Array;
  byte: Int8Array;
  short: Int16Array;
  int: Int32Array;
  float: Float32Array;
  double: Float64Array;
}
export type IdxData = IdxArrayTypes[IdxTypeName];

/** A decoded IDX file: element type, dimensions (outermost first) and the values in row-major order. */
export interface IdxArray<T extends IdxTypeName = IdxTypeName> {
  type: T;
  dims: number[];
  data: IdxArrayTypes[T];
}

interface TypeInfo {
  name: IdxTypeName;
  bytes: number;
  create(n: number): IdxData;
}

const infoByCode = new Map<number, TypeInfo>([
  [0x08, { name: 'ubyte', bytes: 1, create: (n) => new Uint8Array(n) }],
  [0x09, { name: 'byte', bytes: 1, create: (n) => new Int8Array(n) }],
  [0x0b, { name: 'short', bytes: 2, create: (n) => new Int16Array(n) }],
  [0x0c, { name: 'int', bytes: 4, create: (n) => new Int32Array(n) }],
  [0x0d, { name: 'float', bytes: 4, create: (n) => new Float32Array(n) }],
  [0x0e, { name: 'double', bytes: 8, create: (n) => new Float64Array(n) }],
]);

export function idxTypeInfo(code: number): TypeInfo | undefined {
  return infoByCode.get(code);
}

export function idxTypeInfoByName(name: IdxTypeName): TypeInfo {
  return infoByCode.get(IdxType[name])!;
}

/** Default cap on a declared payload: 1 GiB, far above any dataset here (Fashion train is 47 MB). */
export const DEFAULT_MAX_IDX_BYTES = 1 << 30;
