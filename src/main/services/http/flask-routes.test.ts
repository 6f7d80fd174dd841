import { describe, expect, it } from 'vitest';
import { flaskPath } from './flask-routes';

// What the real MLflow 2.7.1 / 2.12.2 servers (gunicorn + werkzeug 2.2) routed each target to: test/fixtures/fidelity/fresh2, class route2.
describe('flaskPath: the path werkzeug matches behind gunicorn', () => {
  it('merges leading slashes (a base URL ending in "/" plus "/invocations") and percent-decodes', () => {
    expect(flaskPath('//invocations')).toBe('/invocations');
    expect(flaskPath('///invocations')).toBe('/invocations');
    expect(flaskPath('//ping')).toBe('/ping');
    expect(flaskPath('/%69nvocations')).toBe('/invocations');
    expect(flaskPath('/%70ing')).toBe('/ping');
    expect(flaskPath('/caf%C3%A9')).toBe('/café');
  });
  it('keeps dot segments, trailing slashes, inner double slashes and a decoded space (all 404 on the real servers)', () => {
    expect(flaskPath('/./invocations')).toBe('/./invocations');
    expect(flaskPath('/ping/../version')).toBe('/ping/../version');
    expect(flaskPath('/invocations//')).toBe('/invocations//');
    expect(flaskPath('/ping%20')).toBe('/ping ');
    expect(flaskPath('/invocations;x')).toBe('/invocations;x');
  });
  it('drops the query and the fragment', () => {
    expect(flaskPath('/invocations?format=pandas-split')).toBe('/invocations');
    expect(flaskPath('/health?')).toBe('/health');
    expect(flaskPath('/ping#x?y')).toBe('/ping');
    expect(flaskPath(undefined)).toBe('/');
  });
});
