/**
 * A request-body editor (Request and Run tabs): monospace, no spell-check or auto-correction (they would rewrite
 * JSON). With `onSubmit`, Ctrl+Enter / ⌘+Enter submits.
 */
export function BodyTextarea({
  value,
  onChange,
  testId,
  className,
  onSubmit,
}: {
  value: string;
  onChange(value: string): void;
  testId: string;
  className: string;
  onSubmit?: () => void;
}) {
  return (
    <textarea
      className={`body-editor ${className} mono`}
      data-testid={testId}
      aria-label="Request body"
      aria-keyshortcuts={onSubmit ? 'Control+Enter Meta+Enter' : undefined}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={
        onSubmit
          ? (e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                onSubmit();
              }
            }
          : undefined
      }
    />
  );
}
