import { describe, expect, it } from 'vitest';
import { helpLines, intentFor, KEYMAP, keyBar, type KeyScope } from '../../../src/ui/keymap.js';

const SCOPES: KeyScope[] = ['home', 'step', 'help', 'confirm', 'provider'];

describe('keymap', () => {
  it('Given a step, when r, c, h, s, x, R, n, p, b, ? or q is pressed, then each means its one intent', () => {
    const keys: [string, string][] = [
      ['r', 'run'],
      ['c', 'check'],
      ['h', 'hint'],
      ['s', 'solution'],
      ['x', 'skip'],
      ['R', 'reset-step'],
      ['n', 'next-step'],
      ['p', 'previous-step'],
      ['b', 'lessons'],
      ['?', 'help'],
      ['q', 'quit'],
    ];
    for (const [input, intent] of keys) expect(intentFor('step', input, {}), input).toBe(intent);
    expect(intentFor('step', '', { rightArrow: true })).toBe('next-step');
    expect(intentFor('step', '', { leftArrow: true })).toBe('previous-step');
    expect(intentFor('step', '', { escape: true })).toBe('lessons');
  });

  it('Given any screen or overlay, when Ctrl-C is pressed, then it means interrupt (never a plain c)', () => {
    for (const scope of SCOPES) expect(intentFor(scope, 'c', { ctrl: true }), scope).toBe('interrupt');
    expect(intentFor('step', 'c', {})).toBe('check');
  });

  it('Given the home screen, when keys are pressed, then they move, open, pick the provider', () => {
    expect(intentFor('home', '', { downArrow: true })).toBe('cursor-down');
    expect(intentFor('home', 'k', {})).toBe('cursor-up');
    expect(intentFor('home', '', { return: true })).toBe('open');
    expect(intentFor('home', 'p', {})).toBe('pick-provider');
    expect(intentFor('home', 'r', {})).toBeUndefined();
  });

  it('Given an overlay, when a screen key is pressed, then the overlay takes it or ignores it', () => {
    expect(intentFor('confirm', 'y', {})).toBe('confirm-yes');
    expect(intentFor('confirm', 'n', {})).toBe('confirm-no');
    expect(intentFor('confirm', 'r', {})).toBeUndefined();
    expect(intentFor('help', '?', {})).toBe('close');
    expect(intentFor('provider', '', { return: true })).toBe('open');
  });

  it('Given the keymap, then no key means two things in one scope', () => {
    for (const scope of SCOPES) {
      const seen = new Map<string, string>();
      for (const b of KEYMAP.filter((x) => x.scopes.includes(scope))) {
        for (const k of b.keys) {
          const id = JSON.stringify(k);
          expect(seen.get(id) ?? b.intent, `${scope}: ${id}`).toBe(b.intent);
          seen.set(id, b.intent);
        }
      }
    }
  });

  it('Given the help overlay, then it lists every binding of the screen with its keys', () => {
    const lines = helpLines('step');
    expect(lines.length).toBe(KEYMAP.filter((b) => b.scopes.includes('step')).length);
    expect(lines).toContainEqual({ keys: 'Ctrl-C', description: 'stop the running command; press twice to quit' });
    expect(lines).toContainEqual({ keys: '←/p', description: 'previous step' });
    expect(keyBar('step')).toBe('r run · c check · h hint · s solution · n next · o output · ? help · q quit');
  });
});
