import type { RequestCollections } from '../../services/compare/collections';
import type { Handlers } from '../dispatch';

/** `collections.*`: saved playground requests as files in a folder of the user's choice. */
export function collectionHandlers(deps: { collections: RequestCollections }): Handlers['collections'] {
  const { collections } = deps;
  return {
    list: async ({ folder }) => collections.list(folder),
    open: async ({ folder, file }) => collections.open(folder, file),
    save: async ({ folder, request, overwrite }) => collections.save(folder, request, overwrite ?? false),
    rename: async ({ folder, file, name }) => collections.rename(folder, file, name),
  };
}
