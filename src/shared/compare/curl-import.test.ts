import { describe, expect, it } from 'vitest';
import { importCurl } from './curl-import';

describe('importCurl', () => {
  it("reads Azure ML studio's curl: URL, headers, a single-quoted JSON body over continued lines", () => {
    const r = importCurl(`curl -X POST 'https://ep.westeurope.inference.ml.azure.com/score' \\
  -H 'Content-Type: application/json' \\
  -H "Authorization: Bearer $AZUREML_KEY" \\
  -H 'azureml-model-deployment: blue' \\
  --data-binary '{"input_data": {"columns": ["a"], "data": [[1]]}}'`);
    expect(r).toEqual({
      ok: true,
      request: {
        url: 'https://ep.westeurope.inference.ml.azure.com/score',
        method: 'POST',
        headers: [
          { name: 'Authorization', value: 'Bearer $AZUREML_KEY' },
          { name: 'azureml-model-deployment', value: 'blue' },
        ],
        body: '{"input_data": {"columns": ["a"], "data": [[1]]}}',
        contentType: 'application/json',
        bodyFile: null,
        notes: [],
      },
    });
  });

  it('double quotes with escapes, --json, ignored flags noted', () => {
    const r = importCurl('curl -sS --json "{\\"instances\\": [1]}" http://127.0.0.1:5000/invocations --retry 3 --foo');
    expect(r.ok && r.request).toMatchObject({ url: 'http://127.0.0.1:5000/invocations', method: 'POST', body: '{"instances": [1]}', contentType: 'application/json', notes: ['--foo ignored'] });
  });

  it('refuses what it cannot import, saying why', () => {
    expect(importCurl('wget http://x')).toMatchObject({ ok: false, message: /starts with curl/ });
    expect(importCurl("curl 'http://x")).toMatchObject({ ok: false, message: /never closed/ });
    // a body read from a file (Azure ML's docs: -d @request.json): the URL and headers are imported, the file is named, not read
    expect(importCurl("curl -d @body.json -H 'Authorization: Bearer $KEY' http://x/score")).toMatchObject({ ok: true, request: { url: 'http://x/score', method: 'POST', body: null, bodyFile: 'body.json', headers: [{ name: 'Authorization', value: 'Bearer $KEY' }] } });
    expect(importCurl('curl -X POST')).toMatchObject({ ok: false, message: /no URL/ });
  });
});
