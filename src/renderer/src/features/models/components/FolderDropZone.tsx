import type { ReactNode } from 'react';
import { useFolderDrop } from '../hooks/use-folder-drop';

/** The main pane as a drop target for a model folder; shows where to drop while dragging. */
export function FolderDropZone({ pathForFile, children }: { pathForFile: ((file: File) => string | null) | null; children: ReactNode }) {
  const { dragging, handlers } = useFolderDrop(pathForFile);
  return (
    <div className={dragging ? 'dropzone dropzone-active' : 'dropzone'} {...handlers} data-testid="drop-zone">
      {children}
      {dragging ? (
        <div className="dropzone-overlay" aria-hidden="true">
          {pathForFile ? 'Drop a model folder to inspect it' : 'Drop needs the desktop app — paste the path instead'}
        </div>
      ) : null}
    </div>
  );
}
