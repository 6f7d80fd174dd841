import { useState, type DragEvent } from 'react';
import { useModels } from './models-store-context';

/** Explains why a drop did nothing in a plain browser page (it has no file paths, by design). */
export const BROWSER_DROP_MESSAGE =
  'Dropping a folder needs the desktop app: a browser page is never told where a dropped folder lives. ' +
  'Paste the folder path into the field above instead.';

export interface FolderDrop {
  dragging: boolean;
  handlers: {
    onDragEnter(e: DragEvent): void;
    onDragOver(e: DragEvent): void;
    onDragLeave(e: DragEvent): void;
    onDrop(e: DragEvent): void;
  };
}

/**
 * Drag-and-drop of a model folder (or .onnx file). Electron resolves the dropped item's absolute path through the
 * preload (`webUtils.getPathForFile`); browser mode cannot, so it says so instead of failing silently.
 */
export function useFolderDrop(pathForFile: ((file: File) => string | null) | null): FolderDrop {
  const open = useModels((s) => s.open);
  const setNotice = useModels((s) => s.setNotice);
  const [depth, setDepth] = useState(0);

  const carriesFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer.types).includes('Files');

  return {
    dragging: depth > 0,
    handlers: {
      onDragEnter(e) {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        setDepth((d) => d + 1);
      },
      onDragOver(e) {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave(e) {
        if (!carriesFiles(e)) return;
        setDepth((d) => Math.max(0, d - 1));
      },
      onDrop(e) {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        setDepth(0);
        const file = e.dataTransfer.files[0];
        if (!file) return;
        if (!pathForFile) {
          setNotice(BROWSER_DROP_MESSAGE);
          return;
        }
        const path = pathForFile(file);
        if (!path) {
          setNotice(`"${file.name}" has no path on disk (was it dragged from another app?); drop the folder from your file manager.`);
          return;
        }
        void open(path);
      },
    },
  };
}
