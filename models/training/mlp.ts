// A dense network trained with Adam, in plain TypeScript (float64): enough for the autoencoder
// and the chart classifier. Layers are affine maps with tanh, ReLU or no activation.
import { gaussian, rng } from '../../lib/random.js';

export type Activation = 'tanh' | 'relu' | 'linear';

export interface Layer {
  inputs: number;
  outputs: number;
  activation: Activation;
  /** Row-major [inputs × outputs], as ONNX MatMul expects. */
  weights: Float64Array;
  bias: Float64Array;
}

export function createLayers(sizes: number[], activations: Activation[], seed: number): Layer[] {
  const normal = gaussian(rng(seed));
  return activations.map((activation, i) => {
    const inputs = sizes[i]!;
    const outputs = sizes[i + 1]!;
    const scale = Math.sqrt((activation === 'relu' ? 2 : 1) / inputs);
    return {
      inputs,
      outputs,
      activation,
      weights: Float64Array.from({ length: inputs * outputs }, () => normal() * scale),
      bias: new Float64Array(outputs),
    };
  });
}

const activate = (a: Activation, v: number) => (a === 'tanh' ? Math.tanh(v) : a === 'relu' ? Math.max(0, v) : v);

/** Forward pass for one sample; returns every layer's output (the last is the network's). */
export function forward(layers: Layer[], input: ArrayLike<number>): Float64Array[] {
  const outs: Float64Array[] = [];
  let x = input;
  for (const l of layers) {
    const y = new Float64Array(l.outputs);
    for (let o = 0; o < l.outputs; o++) {
      let s = l.bias[o]!;
      for (let i = 0; i < l.inputs; i++) s += x[i]! * l.weights[i * l.outputs + o]!;
      y[o] = activate(l.activation, s);
    }
    outs.push(y);
    x = y;
  }
  return outs;
}

export function softmax(z: ArrayLike<number>): Float64Array {
  const max = Math.max(...Array.from(z));
  const e = Float64Array.from(z, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** `mse` against `targets`, or `softmax` cross-entropy against class indices in `labels`. */
  loss: 'mse' | 'softmax';
}

/** Mini-batch Adam. Returns the mean loss of the last epoch. */
export function train(
  layers: Layer[],
  inputs: Float64Array[],
  targets: { values?: Float64Array[]; labels?: number[] },
  { epochs, batchSize, learningRate, seed, loss }: TrainOptions,
): number {
  const u = rng(seed);
  const params = layers.flatMap((l) => [l.weights, l.bias]);
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const grads = params.map((p) => new Float64Array(p.length));
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let step = 0;
  let lastLoss = 0;
  const order = inputs.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      grads.forEach((g) => g.fill(0));
      for (const idx of batch) {
        const x = inputs[idx]!;
        const outs = forward(layers, x);
        const out = outs.at(-1)!;
        // dLoss/dOutput (pre-activation for softmax; the last layer is linear for both losses).
        let delta: Float64Array;
        if (loss === 'mse') {
          const t = targets.values![idx]!;
          delta = out.map((o, k) => (2 * (o - t[k]!)) / out.length);
          total += out.reduce((s, o, k) => s + (o - t[k]!) ** 2, 0) / out.length;
        } else {
          const p = softmax(out);
          const label = targets.labels![idx]!;
          delta = p.map((pk, k) => pk - (k === label ? 1 : 0));
          total += -Math.log(Math.max(p[label]!, 1e-12));
        }
        for (let li = layers.length - 1; li >= 0; li--) {
          const l = layers[li]!;
          const input = li === 0 ? x : outs[li - 1]!;
          const gw = grads[li * 2]!;
          const gb = grads[li * 2 + 1]!;
          if (l.activation !== 'linear') {
            const y = outs[li]!;
            delta = delta.map((d, k) => d * (l.activation === 'tanh' ? 1 - y[k]! ** 2 : y[k]! > 0 ? 1 : 0));
          }
          for (let o = 0; o < l.outputs; o++) gb[o]! += delta[o]!;
          for (let i = 0; i < l.inputs; i++) {
            const xi = input[i]!;
            if (xi === 0) continue;
            for (let o = 0; o < l.outputs; o++) gw[i * l.outputs + o]! += xi * delta[o]!;
          }
          if (li > 0) {
            const next = new Float64Array(l.inputs);
            for (let i = 0; i < l.inputs; i++) {
              let s = 0;
              for (let o = 0; o < l.outputs; o++) s += l.weights[i * l.outputs + o]! * delta[o]!;
              next[i] = s;
            }
            delta = next;
          }
        }
      }
      step++;
      const lr = (learningRate * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
      params.forEach((p, pi) => {
        const g = grads[pi]!;
        const mp = m[pi]!;
        const vp = v[pi]!;
        for (let k = 0; k < p.length; k++) {
          const gk = g[k]! / batch.length;
          mp[k] = b1 * mp[k]! + (1 - b1) * gk;
          vp[k] = b2 * vp[k]! + (1 - b2) * gk * gk;
          p[k]! -= (lr * mp[k]!) / (Math.sqrt(vp[k]!) + eps);
        }
      });
    }
    lastLoss = total / order.length;
  }
  return lastLoss;
}

/** Appends the layers to an ONNX graph (MatMul + Add + activation each); returns the output name. */
export function emitLayers(
  g: { floats(name: string, v: ArrayLike<number>, dims: number[]): string; op(t: string, i: string[]): string },
  layers: Layer[],
  input: string,
  prefix: string,
): string {
  let x = input;
  layers.forEach((l, i) => {
    const w = g.floats(`${prefix}${i}_weight`, l.weights, [l.inputs, l.outputs]);
    const b = g.floats(`${prefix}${i}_bias`, l.bias, [l.outputs]);
    x = g.op('Add', [g.op('MatMul', [x, w]), b]);
    if (l.activation === 'tanh') x = g.op('Tanh', [x]);
    else if (l.activation === 'relu') x = g.op('Relu', [x]);
  });
  return x;
}
