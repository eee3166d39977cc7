// A small ONNX writer: graphs of standard operators with float32 weights as raw_data, written as
// IR 8 / opset 17 ModelProto bytes. Deterministic: the same graph gives the same bytes.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export const IR_VERSION = 8;
export const OPSET = 17;
const PRODUCER = { name: 'reportgraph-models', version: '1' };

type Dim = number | string;
type AttrValue = number | number[] | string | { ints: number[] } | { float: number };

export class Graph {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  private valueInfo(name: string, dims: Dim[], elemType = onnx.TensorProto.DataType.FLOAT) {
    return onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType,
          shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
  }

  input(name: string, dims: Dim[]): string {
    this.inputs.push(this.valueInfo(name, dims));
    return name;
  }

  output(name: string, dims: Dim[]): void {
    this.outputs.push(this.valueInfo(name, dims));
  }

  /** A float32 weight or constant. */
  floats(name: string, values: ArrayLike<number>, dims: number[]): string {
    const data = Float32Array.from(values as ArrayLike<number>);
    if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${name}: ${data.length} values for dims ${dims}`);
    this.initializers.push(
      onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) }),
    );
    return name;
  }

  /** An int64 constant (indices, shapes, K of TopK). */
  ints(name: string, values: number[], dims: number[]): string {
    const data = BigInt64Array.from(values.map(BigInt));
    this.initializers.push(
      onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) }),
    );
    return name;
  }

  /** Adds a node; returns its output names (generated unless given). */
  node(
    opType: string,
    inputs: string[],
    { outputs, attrs = {}, count = 1 }: { outputs?: string[]; attrs?: Record<string, AttrValue>; count?: number } = {},
  ): string[] {
    const names = outputs ?? Array.from({ length: count }, (_, i) => `${opType.toLowerCase()}_${this.counter}${count > 1 ? `_${i}` : ''}`);
    this.nodes.push(
      onnx.NodeProto.create({
        name: `${opType}_${this.counter++}`,
        opType,
        input: inputs,
        output: names,
        attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
      }),
    );
    return names;
  }

  /** Shorthand for a one-output node. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.node(opType, inputs, { attrs, outputs: output ? [output] : undefined })[0]!;
  }

  toBytes(docString: string, metadata: Record<string, string> = {}): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: PRODUCER.name,
      producerVersion: PRODUCER.version,
      docString,
      opsetImport: [{ domain: '', version: OPSET }],
      metadataProps: Object.keys(metadata)
        .sort()
        .map((key) => ({ key, value: metadata[key] })),
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function attribute(name: string, v: AttrValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (typeof v === 'object' && 'ints' in v) return { name, type: T.INTS, ints: v.ints };
  if (typeof v === 'object' && 'float' in v) return { name, type: T.FLOAT, f: v.float };
  return { name, type: T.INT, i: v };
}

/** Reads the graph's inputs and outputs back from ONNX bytes (name, element type, shape). */
export function describeModel(bytes: Uint8Array) {
  const model = onnx.ModelProto.decode(bytes);
  const spec = (v: onnxProto.onnx.IValueInfoProto) => ({
    name: v.name ?? '',
    type: onnx.TensorProto.DataType[v.type?.tensorType?.elemType ?? 0] ?? 'UNDEFINED',
    shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : String(d.dimValue ?? '?'))),
  });
  return {
    irVersion: Number(model.irVersion),
    opset: Number(model.opsetImport[0]?.version ?? 0),
    inputs: (model.graph?.input ?? []).map(spec),
    outputs: (model.graph?.output ?? []).map(spec),
    metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value])) as Record<string, string>,
  };
}
