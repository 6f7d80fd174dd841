import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { methodChannel } from '../../src/shared/ipc/channels';
import { createDispatcher, type Handlers } from '../../src/main/ipc/dispatch';
import type { Logger } from '../../src/main/ports/logger';
import type { ModelReport } from '../../src/shared/mlflow/model-report';

function recordingLogger() {
  const errors: unknown[][] = [];
  const log: Logger = { info: () => {}, warn: () => {}, error: (m, ...d) => errors.push([m, ...d]) };
  return { log, errors };
}

const info = { version: '1.0.0', host: 'browser' as const, sampleModelPath: null, initialModelPath: null, canPickFolder: false };

/** Handlers with distinct behaviours per method so each dispatch path can be driven. */
function handlers(overrides: Partial<Handlers['model']> = {}): Handlers {
  const some: Pick<Handlers, 'app' | 'model'> = {
    app: { info: async () => info },
    model: {
      inspect: async ({ path }) => {
        throw new AppError('E_NOT_FOUND', `No folder at "${path}".`, { details: { path } });
      },
      pickFolder: async () => {
        throw new Error('dialog exploded: /home/user/secret-path');
      },
      recent: async () => ({ items: [{ path: '/m', name: 'm', openedAt: 'not checked here' }] }),
      forgetRecent: async () => ({ items: 'not an array' }) as never,
      ...overrides,
    },
  };
  // Other namespaces are not dispatched here; the assertion keeps this file valid as the contract grows.
  return some as Handlers;
}

const ctx = { senderId: 'test', signal: new AbortController().signal };

describe('dispatch', () => {
  it('returns the value in an ok envelope', async () => {
    const { log } = recordingLogger();
    const dispatch = createDispatcher(handlers(), { strictOutputs: true, log });
    expect(await dispatch(methodChannel('app', 'info'), {}, ctx)).toEqual({ ok: true, value: info });
  });

  it('refuses an unknown channel with E_FORBIDDEN and does not call anything', async () => {
    const { log } = recordingLogger();
    const dispatch = createDispatcher(handlers(), { strictOutputs: true, log });
    const result = await dispatch('preflight:shell.exec', { cmd: 'rm -rf /' }, ctx);
    expect(result).toEqual({ ok: false, error: { code: 'E_FORBIDDEN', message: 'Unknown channel "preflight:shell.exec".' } });
  });

  it('rejects invalid input with E_INVALID_INPUT naming the field', async () => {
    const { log } = recordingLogger();
    const dispatch = createDispatcher(handlers(), { strictOutputs: true, log });
    const wrongType = await dispatch(methodChannel('model', 'inspect'), { path: 42 }, ctx);
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT', details: { issues: [{ path: 'path' }] } } });
    expect(!wrongType.ok && wrongType.error.message).toMatch(/^Invalid input for model\.inspect — path: /);
    const extraKey = await dispatch(methodChannel('app', 'info'), { debug: true }, ctx);
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT' } });
  });

  it('passes an AppError through with its code, message and details', async () => {
    const { log, errors } = recordingLogger();
    const dispatch = createDispatcher(handlers(), { strictOutputs: true, log });
    const result = await dispatch(methodChannel('model', 'inspect'), { path: '/nowhere' }, ctx);
    expect(result).toEqual({ ok: false, error: { code: 'E_NOT_FOUND', message: 'No folder at "/nowhere".', details: { path: '/nowhere' } } });
    expect(errors).toEqual([]);
  });

  it('sanitises an unexpected error: E_INTERNAL for the caller, the full error in the log', async () => {
    const { log, errors } = recordingLogger();
    const dispatch = createDispatcher(handlers(), { strictOutputs: true, log });
    const result = await dispatch(methodChannel('model', 'pickFolder'), {}, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret-path');
    expect(errors).toHaveLength(1);
    expect(String(errors[0][1])).toContain('dialog exploded');
  });

  it('with strictOutputs, an output that breaks the contract becomes E_INTERNAL', async () => {
    const { log, errors } = recordingLogger();
    const strict = createDispatcher(handlers(), { strictOutputs: true, log });
    const result = await strict(methodChannel('model', 'forgetRecent'), { path: '/m' }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'E_INTERNAL', message: 'Output of model.forgetRecent does not match the contract.' } });
    expect(errors[0][0]).toContain('does not match the contract');

    const lax = createDispatcher(handlers(), { strictOutputs: false, log });
    expect(await lax(methodChannel('model', 'forgetRecent'), { path: '/m' }, ctx)).toEqual({ ok: true, value: { items: 'not an array' } });
  });

  it('with strictOutputs, a report missing a required field is caught', async () => {
    const { log } = recordingLogger();
    const dispatch = createDispatcher(handlers({ inspect: async () => ({ schemaVersion: 1, path: '/m' }) as unknown as ModelReport }), { strictOutputs: true, log });
    const result = await dispatch(methodChannel('model', 'inspect'), { path: '/m' }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
  });
});
