/**
 * The third fresh differential suite (docs/fidelity.md §9.2): requests from test/fidelity/generate_fresh3.py — a new
 * seed and request kinds no earlier generator had (bodies as Python's json.dumps/requests and R's httr/jsonlite write
 * them from real frames, a missing value in every column on every path, int32/int64/float32 bounds in every JSON
 * spelling, CSV dialect quirks, content-type parameters, very wide rows, pandas' datetime output, numpy-typed params)
 * — recorded from the real MLflow 2.7.1 and 2.12.2 servers and replayed against `serve`, `predict` and `validate`
 * with its own known-gaps list.
 */
import { fresh3Dir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'third fresh differential suite', dir: fresh3Dir, minAnswers: 1200 });
