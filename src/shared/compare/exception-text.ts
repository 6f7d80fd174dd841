/** Exception text read for a person: shared by the compare root cause (main) and the playground's marks (renderer). */

/**
 * An exception whose message runs over several lines because it quotes data — MLflow's schema enforcement raises
 * "Failed to enforce schema of data '<DataFrame repr>' with schema '<schema>'. Error: <what is wrong>"
 * (mlflow/pyfunc/__init__.py, `_enforce_schema` wrapped in `PyFuncModel.predict`) — has the part that says what is
 * wrong on its last line, after the data: the first line alone quotes only the DataFrame's column header. Then the
 * head (up to the quote), an ellipsis for the quoted data, and that last `Error: …` are kept.
 */
export function withInnerError(line: string, rest: string[]): string {
  // the message continues: lines that are not a traceback's (a frame, the next "Traceback", "During handling…")
  // — and only when the line leaves a quote open (the quoted data goes on), so a log's next line is never glued on
  const quote = line.indexOf(" '");
  const open = quote >= 0 && (line.slice(quote).match(/'/g)?.length ?? 0) % 2 === 1;
  const continued = open && rest.length > 0 && rest.every((l) => !/^(File "|Traceback \(|During handling|The above exception)/.test(l));
  if (!continued) return line;
  const last = rest[rest.length - 1]!;
  const inner = last.lastIndexOf('Error: ');
  if (inner < 0) return line;
  return `${line.slice(0, quote)} '…' … ${last.slice(inner)}`;
}
