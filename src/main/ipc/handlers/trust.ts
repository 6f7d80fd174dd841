import type { FolderTrust } from '../../services/trust/folder-trust';
import type { Handlers } from '../dispatch';

/** `trust.*`: model-folder trust (services/trust/folder-trust.ts); the renderer asks the user, then grants. */
export function trustHandlers(deps: { trust: Pick<FolderTrust, 'status' | 'grant' | 'revoke'> }): Handlers['trust'] {
  const { trust } = deps;
  return {
    status: async ({ path }) => trust.status(path),
    grant: async ({ path }) => trust.grant(path),
    revoke: async ({ path }) => trust.revoke(path),
  };
}
