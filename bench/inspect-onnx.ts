import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectOnnx } from '../src/main/services/model/onnx/inspect-onnx';
import { tensorType } from '../src/main/services/model/onnx/onnx-types';
import { writeOnnxModel, type OnnxModelSpec } from '../test/support/onnx-writer';
import { measure, ratioLine, type Bench, type BenchResult } from './harness';

/**
 * Issue 2 "Done when": inspecting a model with ≥ 1 GiB of initializers must cost about the same as
 * the same graph with 1 MiB (target ratio ≤ 2), because the reader seeks over tensor payloads.
 */

const LAYERS = 16;
const CHUNK = new Uint8Array(4 << 20).fill(0x3c); // any bytes will do; they are never read back

/** x [N,d] → MatMul W0 [d,d] → … → W15 → y [N,d]; each weight is d·d float32s of streamed raw_data. */
function chainModel(d: number): OnnxModelSpec {
  const bytes = d * d * 4;
  return {
    opsetImports: [{ domain: '', version: 17 }],
    producerName: 'preflight-bench',
    graph: {
      name: 'matmul_chain',
      nodes: Array.from({ length: LAYERS }, (_, i) => ({
        opType: 'MatMul',
        inputs: [i === 0 ? 'x' : `h${i - 1}`, `W${i}`],
        outputs: [i === LAYERS - 1 ? 'y' : `h${i}`],
      })),
      initializers: Array.from({ length: LAYERS }, (_, i) => ({
        name: `W${i}`,
        elemType: 'float' as const,
        dims: [d, d],
        data: {
          kind: 'streamed' as const,
          source: {
            byteLength: bytes,
            *chunks() {
              for (let left = bytes; left > 0; left -= CHUNK.length) yield left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
            },
          },
        },
      })),
      inputs: [{ name: 'x', type: tensorType('float', ['N', d]) }],
      outputs: [{ name: 'y', type: tensorType('float', ['N', d]) }],
    },
  };
}

async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bench-inspect-'));
  try {
    const big = join(dir, 'big.onnx');
    const small = join(dir, 'small.onnx');
    // 16 × 4096² × 4 B = 1 GiB; 16 × 128² × 4 B = 1 MiB.
    const bigSize = await writeOnnxModel(big, chainModel(4096));
    const smallSize = await writeOnnxModel(small, chainModel(128));
    const [a, b] = await Promise.all([inspectOnnx(big, 'big.onnx'), inspectOnnx(small, 'small.onnx')]);
    if (a.initializerBytes < 2 ** 30 || b.initializerBytes !== 2 ** 20 || a.nodeCount !== b.nodeCount) {
      throw new Error(`generated models are not what the bench expects (${a.initializerBytes} / ${b.initializerBytes} bytes)`);
    }
    let bigRead = 0;
    await inspectOnnx(big, 'big.onnx', { onReadStats: (s) => (bigRead = s.bytesRead) });
    // Rounds alternate which file goes first, so JIT warm-up and noise from other processes on the
    // machine land on both sides; the result is the median of the per-round medians.
    const bigRounds: number[] = [];
    const smallRounds: number[] = [];
    for (let round = 0; round < 9; round++) {
      const warmup = round === 0 ? 30 : 2;
      const timeBig = async (): Promise<number> => measure('inspect 1 GiB', () => inspectOnnx(big, 'big.onnx'), { iterations: 15, warmup });
      const timeSmall = async (): Promise<number> => measure('inspect 1 MiB', () => inspectOnnx(small, 'small.onnx'), { iterations: 15, warmup });
      if (round % 2 === 0) {
        bigRounds.push(await timeBig());
        smallRounds.push(await timeSmall());
      } else {
        smallRounds.push(await timeSmall());
        bigRounds.push(await timeBig());
      }
    }
    const bigMs = median(bigRounds);
    const smallMs = median(smallRounds);
    console.log(
      `inspect-onnx: files ${(bigSize / 2 ** 30).toFixed(2)} GiB and ${(smallSize / 2 ** 20).toFixed(2)} MiB; ` +
        `bytes read from the big one: ${(bigRead / 1024).toFixed(0)} KiB`,
    );
    return ratioLine('inspect-onnx', bigMs, smallMs, 2, { value: '1GiB', baseline: '1MiB' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const inspectOnnxBench: Bench = { name: 'inspect-onnx', run };
