import { AppError, ErrorCodes } from '@shared/errors';
import type { AppEvents } from '../../app/events';
import type { DialogPort } from '../../ports/dialogs';
import type { ModelReader } from '../../ports/model-reader';
import type { AppStore } from '../../services/store/app-store';
import type { Handlers } from '../dispatch';


export function modelHandlers(deps: {
  model: ModelReader;
  store: AppStore;
  dialogs: DialogPort;
  events: AppEvents;
}): Handlers['model'] {
  const { model, store, dialogs, events } = deps;
  return {
    inspect: async ({ path }, ctx) => {
      const report = await model.inspect(path, { signal: ctx.signal });
      // The report is the user's answer; failing to remember it in the recent list must not take it away.
      try {
        const items = await store.addRecent({ path: report.path, name: report.name });
        events.emit('model.recent-changed', { items });
      } catch (err) {
        ctx.log.warn(`could not record ${report.path} in the recent list`, err);
      }
      return report;
    },
    pickFolder: async () => {
      if (!dialogs.available) {
        throw new AppError(
          ErrorCodes.ENVIRONMENT,
          'This host has no native folder dialog (browser mode). Type or paste the model folder path, or drag the folder onto the window.',
        );
      }
      return { path: await dialogs.pickFolder() };
    },
    recent: async () => ({ items: store.recent() }),
    forgetRecent: async ({ path }) => {
      const items = await store.forgetRecent(path);
      events.emit('model.recent-changed', { items });
      return { items };
    },
  };
}
