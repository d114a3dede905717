import { PassThrough } from 'node:stream';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { kubelabBinDir, kubelabHome } from '../../../src/paths.js';
import { chooseProvider, parseProvider } from '../../../src/services/connection.js';
import { openWorkshop, requireLesson, requireSteps, workshopRoot } from '../../../src/services/workshop.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const context = { cwd: ROOT, stderr: new PassThrough() };

describe('workshop services', () => {
  it('given no --workshop, when the root is asked for, then it is the bundled workshop in the install folder', () => {
    expect(kubelabHome()).toBe(ROOT);
    expect(kubelabBinDir()).toBe(resolve(ROOT, 'bin'));
    expect(workshopRoot(undefined, '/elsewhere')).toBe(ROOT);
    expect(workshopRoot('w', '/elsewhere')).toBe('/elsewhere/w');
  });

  it('given a lesson id that does not exist, when it is required, then a usage error lists the lessons', async () => {
    const workshop = await openWorkshop(undefined, context);
    const error = (() => {
      try {
        requireLesson(workshop, 'nope');
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.exitCode).toBe(ExitCode.usage);
    expect(error?.message).toBe(`No lesson "nope". Lessons: ${workshop.lessons.map((l) => l.id).join(', ')}.`);
  });

  it('given a step id, when steps are required, then only that step comes back, and an unknown one lists the steps', async () => {
    const workshop = await openWorkshop(undefined, context);
    const lesson = requireLesson(workshop, workshop.lessons.at(-1)!.id);
    expect(requireSteps(lesson, undefined)).toEqual(lesson.steps);
    expect(requireSteps(lesson, lesson.steps[1].id).map((s) => s.id)).toEqual([lesson.steps[1].id]);
    expect(() => requireSteps(lesson, 'nope')).toThrow(`Lesson ${lesson.id} has no step "nope". Steps: ${lesson.steps.map((s) => s.id).join(', ')}.`);
  });
});

describe('connection services', () => {
  it('given the flags and the provider used last, when a provider is chosen, then --provider wins, then --kubeconfig/--context, then the last one, then local', () => {
    expect(chooseProvider({ provider: 'kind', kubeconfig: 'k' }, 'eks')).toBe('kind');
    expect(chooseProvider({ context: 'c' }, 'eks')).toBe('existing');
    expect(chooseProvider({}, 'eks')).toBe('eks');
    expect(chooseProvider({})).toBe('local');
  });

  it('given an unknown provider, when parsed, then a usage error lists the providers', () => {
    expect(parseProvider(undefined)).toBeUndefined();
    expect(() => parseProvider('minikube')).toThrow('Unknown provider "minikube". Providers: local, kind, eks, existing.');
  });
});
