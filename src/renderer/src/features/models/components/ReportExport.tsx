import { useState } from 'react';
import type { ModelReport } from '@shared/mlflow/model-report';
import { reportToMarkdown } from '@shared/mlflow/report-markdown';

/** Hands a file to the browser (or Electron's save dialog) without a round trip: the report is already here. */
function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from the model's name that every OS accepts. */
const baseName = (report: ModelReport): string => `${report.name.replace(/[^\w.-]+/g, '_') || 'model'}-preflight`;

/** Copy or save the report (Markdown for a PR or ticket; JSON, the `inspect --json` shape, for tools). */
export function ReportExport({ report }: { report: ModelReport }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(reportToMarkdown(report));
      setCopied('done');
    } catch {
      // The clipboard can be denied; saving the file always works.
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <div className="report-export" role="group" aria-label="Export the report">
      <button type="button" className="btn btn-small" onClick={() => void copy()} data-testid="export-copy-markdown">
        {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed — use Save' : 'Copy as Markdown'}
      </button>
      <button type="button" className="btn btn-small" onClick={() => download(`${baseName(report)}.md`, reportToMarkdown(report), 'text/markdown')} data-testid="export-save-markdown">
        Save Markdown
      </button>
      <button type="button" className="btn btn-small" onClick={() => download(`${baseName(report)}.json`, `${JSON.stringify(report, null, 2)}\n`, 'application/json')} data-testid="export-save-json">
        Save JSON
      </button>
    </div>
  );
}
