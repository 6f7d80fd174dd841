import { describe, expect, it } from 'vitest';
import { methodChannel } from '@shared/ipc/channels';
import type { Transport } from '@shared/ipc/create-api';
import type { Result } from '@shared/ipc/result';
import { withTrustPrompt, type TrustQuestion } from './trust-transport';

/** A host that refuses runs from /models/a until trust.grant was called for it. */
function host(): { transport: Transport; calls: string[]; trusted: Set<string> } {
  const calls: string[] = [];
  const trusted = new Set<string>();
  const transport: Transport = {
    on: () => () => undefined,
    async invoke(channel, input): Promise<Result<unknown>> {
      calls.push(channel);
      const { path, modelPath } = input as { path?: string; modelPath?: string };
      if (channel === methodChannel('trust', 'grant')) {
        trusted.add(path!);
        return { ok: true, value: { folder: path, trusted: true } };
      }
      if (channel === methodChannel('trust', 'status')) return { ok: true, value: { folder: modelPath ?? path, trusted: trusted.has(path!) } };
      if (trusted.has(modelPath!)) return channel === methodChannel('batch', 'run') ? { ok: true, value: { status: 'succeeded', error: null } } : { ok: true, value: { status: 200 } };
      if (channel === methodChannel('batch', 'run')) return { ok: true, value: { status: 'failed', error: { code: 'E_UNTRUSTED', message: 'runs code', file: null } } };
      return { ok: false, error: { code: 'E_UNTRUSTED', message: 'Running this model runs the Python code in /models/a', details: { folder: modelPath } } };
    },
  };
  return { transport, calls, trusted };
}

describe('withTrustPrompt (model-folder trust asked once, for every feature)', () => {
  it('asks with the folder and the host\'s reason; on yes it trusts the folder and runs the call again', async () => {
    const h = host();
    const asked: TrustQuestion[] = [];
    const t = withTrustPrompt(h.transport, async (q) => (asked.push(q), true));
    expect(await t.invoke(methodChannel('runner', 'predict'), { modelPath: '/models/a' })).toEqual({ ok: true, value: { status: 200 } });
    expect(asked).toEqual([{ folder: '/models/a', message: 'Running this model runs the Python code in /models/a' }]);
    expect(h.trusted.has('/models/a')).toBe(true);
    // Trusted now: the next call does not ask.
    await t.invoke(methodChannel('runner', 'predict'), { modelPath: '/models/a' });
    expect(asked).toHaveLength(1);
  });

  it('on no, the call ends with the host\'s E_UNTRUSTED and nothing is trusted', async () => {
    const h = host();
    const t = withTrustPrompt(h.transport, async () => false);
    expect(await t.invoke(methodChannel('server', 'start'), { modelPath: '/models/a' })).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED' } });
    expect(h.calls).not.toContain(methodChannel('trust', 'grant'));
  });

  it('a batch job that failed as untrusted asks too (its folder from trust.status) and is run again', async () => {
    const h = host();
    const t = withTrustPrompt(h.transport, async () => true);
    expect(await t.invoke(methodChannel('batch', 'run'), { modelPath: '/models/a' })).toEqual({ ok: true, value: { status: 'succeeded', error: null } });
  });
});
