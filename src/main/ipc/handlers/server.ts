import { SERVER_STOPPED_BY_USER } from '@shared/ipc/contract';
import type { ServerManager } from '../../services/server/server-manager';
import type { Handlers } from '../dispatch';

/**
 * `server.*`: the app's local scoring servers. Outputs never carry a key: `copyKey` writes it to the
 * clipboard inside the host (see ServerManager).
 */
export function serverHandlers(deps: { servers: ServerManager }): Handlers['server'] {
  const { servers } = deps;
  return {
    start: async (input) => servers.start(input),
    stop: async ({ id }) => ({ stopped: await servers.stop(id, SERVER_STOPPED_BY_USER) }),
    list: async () => ({ servers: servers.list(), clipboard: servers.clipboard }),
    copyKey: async ({ id }) => servers.copyKey(id),
  };
}
