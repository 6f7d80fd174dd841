/**
 * What a URL target row says under itself while it is typed (and what a send refuses with): the URL is not one yet,
 * or its path is the other server's scoring route. Words for the Targets row, not the CLI's `server:url` syntax.
 */

/** Why `url` (trimmed, non-empty) cannot be sent to, in the row's words; null when it is an http(s) URL (or empty). */
export function urlTargetProblem(url: string): string | null {
  const u = url.trim();
  if (!u) return null;
  let parsed: URL | null;
  try {
    parsed = new URL(u);
  } catch {
    parsed = null;
  }
  if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host) return null;
  // `localhost:5000/x` parses as a URL whose scheme is `localhost:`; `127.0.0.1:5000/x` does not parse at all.
  const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(u);
  if (schemeless) return `URL target "${u}" has no http:// or https://: write it as http://${u}.`;
  return `URL target "${u}" is not an http or https URL: only those can be compared.`;
}

/**
 * A hint for a URL whose path is the other server's scoring route: MLflow answers on /invocations, Azure ML on
 * /score. The URL is still sent as chosen (a proxy may map paths); the hint says what the choice means.
 */
export function urlTargetMismatch(server: 'azureml' | 'mlflow', url: string): string | null {
  if (urlTargetProblem(url) !== null || !url.trim()) return null;
  const path = new URL(url.trim()).pathname.replace(/\/+$/, '');
  if (server === 'azureml' && path.endsWith('/invocations')) {
    return `${path} is MLflow's scoring route, but this target is set to azureml (it is sent Azure's input_data form, which MLflow refuses): choose mlflow if this is an MLflow server.`;
  }
  if (server === 'mlflow' && path.endsWith('/score')) {
    return `${path} is Azure ML's scoring route, but this target is set to mlflow (it is sent MLflow's form and read as MLflow): choose azureml if this is an Azure ML endpoint.`;
  }
  return null;
}
