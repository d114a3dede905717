import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toClassEvent } from '../../../src/class/client.js';
import { defineChecker, fail, type Checker } from '../../../src/engine/checker.js';
import { REDACTED, Redactor } from '../../../src/engine/running/redact.js';
import { runLessons } from '../../../src/engine/running/run-lessons.js';
import { WorkshopSession } from '../../../src/engine/running/session.js';
import type { EngineEvent, Workshop } from '../../../src/engine/types.js';
import { renderJson } from '../../../src/reporters/json.js';
import { renderJunit } from '../../../src/reporters/junit.js';
import { plain, prettyProgress, renderSummary } from '../../../src/reporters/pretty.js';
import { CONNECTION } from '../../support/ui-app.js';

const SECRET = 'tok-9f8e7d6c5b4a3921';
const location = { file: '/w/lessons/secrets/lesson.md', line: 12, column: 1 };

/** A Secrets lesson as an author writes one: its ids, title and hint name tokens and secrets. */
function secretsWorkshop(): Workshop {
  const check = (id: string) => ({ id, checker: id, args: {}, timeoutSeconds: 1, location });
  return {
    id: 'w', title: 'W', description: '', dir: '/w', variables: {}, providers: ['local'],
    lessons: [{
      id: 'secrets', title: 'Secrets and tokens', minutes: 5, requires: [], tools: [], providers: ['local'], dir: '/w/lessons/secrets', file: location.file, intro: '',
      steps: [{
        id: 'api-token', title: 'Store the token: create the Secret', index: 0, markdown: '', blocks: [], challenge: false, location,
        checks: [check('secret-has-api-token'), check('env-from-secret')],
        hints: ['token: the key is API_TOKEN, not TOKEN'],
      }],
    }],
  };
}

/** The two failures the issue quotes, plus the secret value itself where a careless checker would put it. */
const checkers: Checker<any>[] = [
  defineChecker({ id: 'secret-has-api-token', description: 't', args: z.any(), run: async () => fail('Secret app-secret in default: data.API_TOKEN is missing, expected "/.+/"', { expected: 'data.API_TOKEN: "/.+/"', actual: 'data.API_TOKEN: missing' }) }),
  defineChecker({ id: 'env-from-secret', description: 't', args: z.any(), run: async () => fail(`web's API_TOKEN: env[0].valueFrom.secretKeyRef.key: "TOKEN", expected "API_TOKEN"; password=${SECRET}`, { expected: 'secretKeyRef.key: "API_TOKEN"', actual: `secretKeyRef.key: "TOKEN" api_token: ${SECRET}` }) }),
];

describe('redaction of values only (a Secrets lesson)', () => {
  it('Given a Secrets lesson whose checks fail, when reported as JSON, JUnit, pretty and to the app and the class, then ids, key names and field paths show and the secret value never does', async () => {
    const events: EngineEvent[] = [];
    const workshop = secretsWorkshop();
    const session = new WorkshopSession({
      workshop, connection: CONNECTION, checkers: new Map(checkers.map((c) => [c.id, c])),
      env: { PATH: process.env.PATH, KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-redact-')), APP_API_TOKEN: SECRET },
      emit: (e) => events.push(e),
      ports: { loadKubeConfig: async () => ({}) as KubeConfig, runBlock: async () => ({ exitCode: 0, outcome: 'ok', durationMs: 1, tail: [] }) },
    });
    const report = await runLessons(session, workshop.lessons, { bail: false, prove: false, signal: new AbortController().signal });
    const pretty: string[] = [];
    const progress = prettyProgress((l) => pretty.push(l), plain, true, session.redactor);
    for (const e of events) progress(e);
    const classEvents = events.map((e) => JSON.stringify(toClassEvent(e, session.redactor) ?? null));
    const sinks = {
      json: renderJson(report, session.redactor),
      junit: renderJunit(report, session.redactor),
      pretty: `${pretty.join('\n')}\n${renderSummary(report, plain, session.redactor)}`,
      app: JSON.stringify(events),
      class: classEvents.join('\n'),
    };
    for (const [sink, text] of Object.entries(sinks)) {
      expect(text, sink).not.toContain(SECRET);
      expect(text, sink).toContain('secret-has-api-token');
      if (sink === 'class') continue; // The class sees each check's first line only.
      expect(text, sink).toContain('data.API_TOKEN is missing');
      expect(text, sink).toMatch(/secretKeyRef\.key: (\\"|&quot;|")TOKEN/);
    }
    expect(sinks.json).toContain('data.API_TOKEN: missing');
    expect(sinks.pretty).toContain('secret-has-api-token: Secret app-secret in default: data.API_TOKEN is missing');
    expect(sinks.pretty).toContain(REDACTED);
  });

  it('Given a line with an id, a field path, a placeholder and a real assignment, when redacted, then only the value of the assignment goes', () => {
    const redactor = new Redactor();
    redactor.keepAuthored(['secret-has-api-token'], ['token: the key is API_TOKEN, not TOKEN']);
    expect(redactor.text('secret-has-api-token: data.API_TOKEN not there')).toBe('secret-has-api-token: data.API_TOKEN not there');
    expect(redactor.text('secretKeyRef.key: "TOKEN", expected "API_TOKEN"')).toBe('secretKeyRef.key: "TOKEN", expected "API_TOKEN"');
    expect(redactor.text('actual: data.API_TOKEN: missing')).toBe('actual: data.API_TOKEN: missing');
    expect(redactor.text('token: the key is API_TOKEN, not TOKEN')).toBe('token: the key is API_TOKEN, not TOKEN');
    // Values still go: an unknown id, a data field with a value, a dotted name ending in a secret word.
    expect(redactor.text('other-token: abcdef123456')).toBe(`other-token: ${REDACTED}`);
    expect(redactor.text('data.API_TOKEN: abcdef123456')).toBe(`data.API_TOKEN: ${REDACTED}`);
    expect(redactor.text('db.password=hunter2hunter2')).toBe(`db.password=${REDACTED}`);
  });
});
