/**
 * The Python engine of the local runner (issue 4): interpreter discovery, the JSON-lines worker in
 * `resources/python/preflight_worker.py`, and `PythonEngine`, which runs a model there and returns each
 * server's exact response body.
 */
export { PythonEngine, DEFAULT_LOAD_TIMEOUT_MS, DEFAULT_PREDICT_TIMEOUT_MS } from './python-engine';
export type { PythonEngineOptions, PythonModelRef, PythonLoadInfo, PythonPrediction, ServerBody, RunOptions } from './python-engine';
export { discoverPython, listCandidates, requireInterpreter, interpreterFindings, CORE_PACKAGES } from './interpreter-discovery';
export type { Candidate, CandidateReport, CandidateSource, DiscoverOptions, PythonDiscovery, PythonInterpreter } from './interpreter-discovery';
export { modelNeedsFromReport, loadPlan, type ModelNeeds, type LoadPlan } from './model-needs';
export { probeInterpreter, type ProbedInterpreter, type ProbeResult } from './interpreter-probe';
export { toWireInput, toWireValue, type PredictInput, type WireInput, type WireValue } from './wire-input';
export { satisfies } from './version-spec';
