/**
 * The MLmodel of a wide model as MLflow writes it: the signature's inputs are one single-quoted scalar that PyYAML
 * wraps at 80 columns, continuation lines indented by 4 (checked against `yaml.safe_dump` of a 60 000-column
 * signature: 45 015 lines, 3.9 MB).
 */
export function wideMlmodel(columns: number, loaderModule = 'mlflow.sklearn'): string {
  // json.dumps' separators (", " and ": ")
  const json = JSON.stringify(Array.from({ length: columns }, (_, i) => ({ type: 'double', name: `feature_${i}`, required: true })))
    .replace(/,"/g, ', "')
    .replace(/":/g, '": ')
    .replace(/},\{/g, '}, {');
  // PyYAML (write_single_quoted) turns a space into a line break once the line is past the width (80)
  const lines: string[] = [];
  let line = '';
  for (const word of json.split(' ')) {
    if (line === '') line = `  inputs: '${word}`;
    else if (line.length > 80) {
      lines.push(line);
      line = `    ${word}`;
    } else line += ` ${word}`;
  }
  lines.push(`${line}'`);
  const outputs = `  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'`;
  return `flavors:\n  python_function:\n    loader_module: ${loaderModule}\n    model_path: model.pkl\nmlflow_version: 2.12.2\nsignature:\n${lines.join('\n')}\n${outputs}\n`;
}
