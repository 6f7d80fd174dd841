"""
What CPython's json.loads does with a body's bytes before parsing (A4 `ObjectInput._parse_post_input` hands the raw
bytes to json.loads): json.detect_encoding, then bytes.decode(encoding, 'surrogatepass'). Writes random bodies built
to reach every codec and every UnicodeDecodeError, with the text or the error CPython gives, to
test/fixtures/a4-decode/cpython.jsonl; src/shared/mlflow/payload/azureml-body.test.ts replays them.

    python3 test/fidelity/azure-a1/record_decode.py   (CPython 3.11, as the Azure images run)
"""
import json
import os
import random
import sys

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'a4-decode', 'cpython.jsonl')
STARTS = [b'', b'\xef\xbb\xbf', b'\xff\xfe', b'\xfe\xff', b'\xff\xfe\x00\x00', b'\x00\x00\xfe\xff', b'{\x00', b'\x00{', b'{\x00\x00\x00', b'\x00\x00\x00{']
# UTF-8 pieces (valid, edges of the ranges, encoded surrogates, cut and stray bytes) and raw 16/32-bit units
UTF8 = [b'a', b'\x00', b'\xc3\xa9', b'\xe2\x82\xac', b'\xf0\x9f\x98\x80', b'\xed\xa0\x80', b'\xed\xbf\xbf', b'\xe0\x9f\x80', b'\xf4\x90\x80\x80',
        b'\x80', b'\xc2', b'\xe2\x82', b'\xff']
UNITS16 = [b'{\x00', b'\x00{', b'\x00\xd8', b'\xd8\x00', b'\x00\xdc', b'\xdc\x00', b'\x3d\xd8\x00\xde', b'\xe9\x00']
UNITS32 = [b'{\x00\x00\x00', b'\x00\x00\x00{', b'\x00\xd8\x00\x00', b'\x00\x00\xd8\x00', b'\x00\xf6\x01\x00', b'\x00\x01\xf6\x00', b'\x00\x00\x11\x00', b'\xff\xff\xff\x7f']
# each start mostly with the pieces of its own codec, sometimes with any
FAMILY = {0: UTF8, 1: UTF8, 2: UNITS16, 3: UNITS16, 4: UNITS32, 5: UNITS32, 6: UNITS16, 7: UNITS16, 8: UNITS32, 9: UNITS32}
PIECES = UTF8 + UNITS16 + UNITS32


def main() -> None:
    rng = random.Random(20261203)
    rows = []
    for k in range(1500):
        start = rng.randrange(len(STARTS))
        pool = FAMILY[start] if rng.random() < 0.8 else PIECES
        body = STARTS[start] + b''.join(rng.choice(pool) for _ in range(rng.randrange(10)))
        if k % 4 == 0 and body:
            body = body[:-rng.randrange(1, 4)] if len(body) > 3 else body
        enc = json.detect_encoding(body)
        row = {'hex': body.hex(), 'encoding': enc}
        try:
            row['text'] = body.decode(enc, 'surrogatepass')
        except UnicodeDecodeError as e:
            row['error'] = f'UnicodeDecodeError: {e}'
        rows.append(row)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=True) + '\n')
    print(f'{len(rows)} bodies, {sum("error" in r for r in rows)} refused, python {sys.version.split()[0]} -> {OUT}')


if __name__ == '__main__':
    main()
