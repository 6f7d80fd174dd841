/**
 * The fourth fresh differential suite (docs/fidelity.md §9.3): requests from test/fidelity/generate_fresh4.py — a new
 * seed and request kinds no earlier generator had (bodies a user edits by hand: trailing commas, comments, single
 * quotes, Python literals, BOMs; bodies nested near and past Python's recursion limit; every top-level key with every
 * other; `columns` / `index` / `data` of each wrong JSON type; per-row record shapes; ragged / empty / scalar tensor
 * shapes per named tensor; charset values; routes and methods) — recorded from the real MLflow 2.7.1 and 2.12.2 servers
 * and replayed against `serve`, `predict` and `validate` with its own known-gaps list.
 */
import { fresh4Dir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'fourth fresh differential suite', dir: fresh4Dir, minAnswers: 1200 });
