/**
 * No Electron binary exists here, so Electron's UtilityProcess is a fake in this file, and only the adapter's
 * framing is tested: what crosses postMessage / 'message' / 'exit', and that kill() is a SIGKILL (on a real
 * process). The real proof is the Electron Playwright project (test/e2e/electron-workers.spec.ts) where a
 * binary exists; every integration test drives the same supervisor through child_process.fork.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parentChannel } from '../services/child/parent-channel';
import { utilityWorkerLauncher, type UtilityProcessLike } from './utility-worker';

class FakeUtilityProcess extends EventEmitter implements UtilityProcessLike {
  posted: unknown[] = [];
  stderr = new PassThrough();
  constructor(public pid: number | undefined) {
    super();
  }
  postMessage(message: unknown): void {
    // Electron's postMessage is a structured clone: the receiver never shares the sender's object.
    this.posted.push(structuredClone(message));
  }
  kill(): boolean {
    return true;
  }
}

describe('utilityWorkerLauncher (Electron host, with a fake UtilityProcess)', () => {
  it('starts the entry with the worker flags, no stdin/stdout, stderr piped, and a service name', () => {
    let seen: unknown[] = [];
    const launch = utilityWorkerLauncher((...args) => {
      seen = args;
      return new FakeUtilityProcess(1);
    });
    launch('/app/out/node/onnx-worker.js', { name: 'onnx-serving', execArgv: ['--max-old-space-size=2048'] });
    expect(seen).toEqual(['/app/out/node/onnx-worker.js', [], { execArgv: ['--max-old-space-size=2048'], stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'Preflight onnx-serving' }]);
  });

  it('messages cross both ways as structured clones (typed arrays, bigints); a send after exit fails instead of throwing', () => {
    const fake = new FakeUtilityProcess(1);
    const worker = utilityWorkerLauncher(() => fake)('/w.js', { name: 'onnx-worker' });
    const got: unknown[] = [];
    const exits: unknown[] = [];
    worker.onMessage((m) => got.push(m));
    worker.onExit((e) => exits.push(e));
    const failed: Error[] = [];
    worker.send({ id: 1, type: 'run', feeds: { x: new Float32Array([1, 2]) }, label: 7n }, (e) => failed.push(e));
    expect(fake.posted).toEqual([{ id: 1, type: 'run', feeds: { x: new Float32Array([1, 2]) }, label: 7n }]);
    fake.emit('message', { id: 1, type: 'result' });
    expect(got).toEqual([{ id: 1, type: 'result' }]);
    expect(worker.stderr).toBe(fake.stderr);
    fake.emit('exit', 134);
    expect(exits).toEqual([{ exitCode: 134, signal: null, spawnError: null }]);
    worker.send({ id: 2 }, (e) => failed.push(e));
    expect(failed.map((e) => e.message)).toEqual(['the worker process has exited']);
  });

  it('kill() is a SIGKILL of the process (utilityProcess.kill() would only send SIGTERM)', async () => {
    // A real process that ignores SIGTERM, standing behind the fake's pid.
    const real = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((r) => real.once('spawn', r));
    const worker = utilityWorkerLauncher(() => new FakeUtilityProcess(real.pid))('/w.js', { name: 'file-reader' });
    const ended = new Promise<NodeJS.Signals | null>((r) => real.once('exit', (_code, signal) => r(signal)));
    worker.kill();
    expect(await ended).toBe('SIGKILL');
  });
});

describe('parentChannel (the worker side)', () => {
  it('in a utility process, reads MessagePortMain events ({ data }) and posts replies on process.parentPort', async () => {
    const port = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void; posted: unknown[] };
    port.posted = [];
    port.postMessage = (m) => port.posted.push(m);
    const fakeProcess = { parentPort: port, on: () => fakeProcess } as unknown as NodeJS.Process;
    const channel = parentChannel(fakeProcess);
    const got: unknown[] = [];
    channel.onMessage((m) => got.push(m));
    port.emit('message', { data: { id: 3, type: 'ping' } });
    expect(got).toEqual([{ id: 3, type: 'ping' }]);
    await new Promise<void>((sent) => channel.send({ id: 3, type: 'pong' }, sent));
    expect(port.posted).toEqual([{ id: 3, type: 'pong' }]);
  });
});
