/** Native dialogs. The Electron host implements them; headless hosts have none (they return `available: false`). */
export interface DialogPort {
  readonly available: boolean;
  /** Resolves the chosen folder, or null when the user cancels. */
  pickFolder(): Promise<string | null>;
  /** Resolves the chosen file, or null when the user cancels; absent where the host has no file dialog. */
  pickFile?(options: { title: string; extensions: string[] }): Promise<string | null>;
}

export const noDialogs: DialogPort = {
  available: false,
  pickFolder: () => Promise.resolve(null),
};
