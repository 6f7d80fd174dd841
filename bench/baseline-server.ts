/**
 * The score-* benches' baseline as its own process (bundled to out/node/bench/baseline-server.js): a
 * minimal Node http server that does only JSON.parse + session.run + JSON.stringify with
 * onnxruntime-node on the same model. A process of its own like Preflight's server, so neither shares
 * an event loop with the benchmark's client (a real client never runs inside the server).
 *
 *   fork('baseline-server.js', [modelOnnxPath, '--azure-headers'?]) → sends { port } once listening; exits on disconnect.
 */
import { createBaselineServer } from './baseline-http';

const modelPath = process.argv[2];
if (!modelPath) {
  console.error('usage: baseline-server.js <model.onnx> [--azure-headers]');
  process.exit(2);
}
createBaselineServer(modelPath, process.argv[3] === '--azure-headers').then(
  ({ port }) => process.send?.({ port }),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
process.on('disconnect', () => process.exit(0));
