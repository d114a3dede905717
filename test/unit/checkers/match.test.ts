import { describe, expect, it } from 'vitest';
import { countMismatch, describeDifferences, matchPartial, textMatches } from '../../../checkers/match.js';

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', labels: { app: 'web' } }, data: { GREETING: 'hello', COLOR: 'blue' } };
const deployment = {
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] }, { name: 'sidecar', image: 'busybox' }] } } },
  status: { readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }] },
};

describe('partial-object match', () => {
  it('given a subset of a map, when matched, then extra fields are ignored', () => {
    expect(matchPartial({ data: { GREETING: 'hello' }, metadata: { labels: { app: 'web' } } }, configMap)).toEqual([]);
  });

  it('given a wrong value, when matched, then the difference names the field, what is there and what was expected', () => {
    const diffs = matchPartial({ data: { GREETING: 'bonjour' } }, configMap);
    expect(diffs).toEqual([{ path: 'data.GREETING', expected: '"bonjour"', found: '"hello"' }]);
    expect(describeDifferences(diffs)).toBe('data.GREETING is "hello", expected "bonjour"');
  });

  it('given a missing key, when matched, then it is reported as missing', () => {
    expect(describeDifferences(matchPartial({ data: { LANG: 'fr' } }, configMap))).toBe('data.LANG is missing, expected "fr"');
  });

  it('given comparisons, when matched, then numbers compare by the operator', () => {
    expect(matchPartial({ status: { readyReplicas: '>= 2' }, spec: { replicas: '< 4' } }, deployment)).toEqual([]);
    expect(describeDifferences(matchPartial({ status: { readyReplicas: '>= 3' } }, deployment))).toBe('status.readyReplicas is 2, expected >= 3');
    expect(matchPartial({ status: { readyReplicas: '!= 0' } }, {})).toHaveLength(1);
  });

  it('given a /pattern/, when matched, then the value is tested against it', () => {
    expect(matchPartial({ spec: { template: { spec: { containers: [{ image: '/^nginx:1\\.2[6-9]$/' }] } } } }, deployment)).toEqual([]);
    expect(describeDifferences(matchPartial({ metadata: { name: '/^web-/' } }, configMap))).toBe('metadata.name is "app-config", to match /^web-/');
  });

  it('given a list, when matched, then each expected element must match some element, in any order', () => {
    expect(matchPartial({ status: { conditions: [{ type: 'Progressing' }, { type: 'Available', status: 'True' }] } }, deployment)).toEqual([]);
  });

  it('given a list element nothing matches, when matched, then the closest element explains why, with its index', () => {
    const diffs = matchPartial({ spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } }, deployment);
    expect(describeDifferences(diffs)).toBe('spec.template.spec.containers[0].image is "nginx:1.27", expected "nginx:1.25"');
  });

  it('given null, when matched, then the field must be absent', () => {
    expect(matchPartial({ metadata: { labels: { tier: null } } }, configMap)).toEqual([]);
    expect(describeDifferences(matchPartial({ metadata: { labels: { app: null } } }, configMap))).toBe('metadata.labels.app is "web", expected absent');
  });

  it('given a number written as a string (YAML quoting), when matched, then their text compares', () => {
    expect(matchPartial({ spec: { replicas: '3' } }, deployment)).toEqual([]);
    expect(matchPartial({ data: { PORT: 8080 } }, { data: { PORT: '8080' } })).toEqual([]);
  });

  it('given hidden fields, when they differ, then the found value is never shown', () => {
    const diffs = matchPartial({ data: { password: 'right' } }, { data: { password: 'd3Jvbmc=' } }, {
      hidden: (path) => path[0] === 'data',
      transform: (path, value) => (path[0] === 'data' && path.length === 2 ? Buffer.from(String(value), 'base64').toString() : value),
    });
    expect(describeDifferences(diffs)).toBe('data.password is (hidden), expected "right"');
  });

  it('counts and text patterns', () => {
    expect(countMismatch(2, 2)).toBeUndefined();
    expect(countMismatch(2, 3)).toBe('exactly 2');
    expect(countMismatch('>= 1', 0)).toBe('>= 1');
    expect(textMatches('exceeded quota', 'pods "x" is forbidden: exceeded quota: compute')).toBe(true);
    expect(textMatches('/exceeded quota: \\w+/', 'forbidden: exceeded quota: compute')).toBe(true);
    expect(textMatches('/^exceeded/', 'forbidden: exceeded quota')).toBe(false);
  });
});
