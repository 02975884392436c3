/**
 * Float64 matrix products through onnxruntime-node (shipped for transformers.js): a one-node MatMul graph,
 * so large similarity matrices use its optimised, multi-threaded kernels and stay exact to float64 rounding.
 */
import { onnx } from 'onnx-proto';
import type * as OrtModule from 'onnxruntime-node';

type Ort = typeof OrtModule;

/** C[rows × m] = A[rows × d] · B[d × m], all row-major float64. */
export type MatMul = (a: Float64Array, rows: number, d: number, b: Float64Array, m: number) => Promise<Float64Array>;

function matMulModel(): Uint8Array {
  const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
  const value = (name: string, dims: string[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: onnx.TypeProto.create({
        tensorType: onnx.TypeProto.Tensor.create({
          elemType: DOUBLE,
          shape: onnx.TensorShapeProto.create({ dim: dims.map((dimParam) => ({ dimParam })) }),
        }),
      }),
    });
  const graph = onnx.GraphProto.create({
    name: 'matmul',
    node: [onnx.NodeProto.create({ opType: 'MatMul', input: ['A', 'B'], output: ['C'] })],
    input: [value('A', ['rows', 'd']), value('B', ['d', 'm'])],
    output: [value('C', ['rows', 'm'])],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

export async function createMatMul(): Promise<MatMul> {
  // Loaded on first use only: onnxruntime-node is a native module that eval routing alone needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as Ort;
  const session = await ort.InferenceSession.create(matMulModel());
  return async (a, rows, d, b, m) => {
    const out = await session.run({ A: new ort.Tensor('float64', a, [rows, d]), B: new ort.Tensor('float64', b, [d, m]) });
    return (out.C as InstanceType<Ort['Tensor']>).data as Float64Array;
  };
}
