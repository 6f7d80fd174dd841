import { create } from 'zustand';
import type { TrustQuestion } from './trust-transport';

interface TrustPromptState {
  /** The question on screen, if any; one at a time (later ones wait their turn). */
  pending: (TrustQuestion & { answer(yes: boolean): void }) | null;
  ask(question: TrustQuestion): Promise<boolean>;
}

/** The model-folder trust question the shell's TrustDialog shows; `ask` is what `withTrustPrompt` calls. */
export const useTrustPrompt = create<TrustPromptState>()((set) => {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    pending: null,
    ask(question) {
      const turn = queue.then(
        () =>
          new Promise<boolean>((resolve) => {
            set({
              pending: {
                ...question,
                answer: (yes) => {
                  set({ pending: null });
                  resolve(yes);
                },
              },
            });
          }),
      );
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
});
