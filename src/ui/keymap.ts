import { createTranslator, type MessageKey, type Translator } from '../engine/i18n/translate.js';

/**
 * Every key the app answers to, in one place. The input hook asks `intentFor`, and the help
 * overlay is generated from `KEYMAP`: a binding that is not here does not exist.
 */

/** What the learner asked for, in their language. Components only ever send these. */
export type Intent =
  | 'cursor-up'
  | 'cursor-down'
  | 'open'
  | 'pick-provider'
  | 'run'
  | 'check'
  | 'hint'
  | 'solution'
  | 'skip'
  | 'reset-step'
  | 'catch-up'
  | 'bundle'
  | 'previous-step'
  | 'next-step'
  | 'lessons'
  | 'output'
  | 'scroll-up'
  | 'scroll-down'
  | 'page-up'
  | 'page-down'
  | 'scroll-top'
  | 'scroll-bottom'
  | 'help'
  | 'confirm-yes'
  | 'confirm-no'
  | 'close'
  | 'interrupt'
  | 'raise-hand'
  | 'switch-language'
  | 'filter'
  | 'filter-close'
  | 'quit';

/** Where a key is read: the screen, or the overlay on top of it (an overlay takes every key). */
/** 'filter': the home screen while the learner types to find a lesson (letters are text there, not keys). */
export type KeyScope = 'home' | 'filter' | 'step' | 'help' | 'confirm' | 'provider' | 'output' | 'recap';

/** The subset of Ink's `Key` the keymap reads (kept structural so the keymap needs no ink import). */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
}

type Special = 'up' | 'down' | 'left' | 'right' | 'page-up' | 'page-down' | 'enter' | 'escape';
type KeySpec = { char: string; ctrl?: boolean } | { special: Special };

export interface Binding {
  intent: Intent;
  keys: KeySpec[];
  /** What the help overlay and the key bar say it does. */
  description: string;
  scopes: KeyScope[];
  /** Shown in the one-line key bar at the bottom of the screen. */
  inKeyBar?: boolean;
}

const ch = (char: string): KeySpec => ({ char });
const special = (name: Special): KeySpec => ({ special: name });

export const KEYMAP: readonly Binding[] = [
  { intent: 'cursor-up', keys: [special('up'), ch('k')], description: 'previous lesson', scopes: ['home'] },
  { intent: 'cursor-down', keys: [special('down'), ch('j')], description: 'next lesson', scopes: ['home'] },
  { intent: 'open', keys: [special('enter')], description: 'open the lesson (resumes where you left off)', scopes: ['home'], inKeyBar: true },
  { intent: 'pick-provider', keys: [ch('p')], description: 'pick the cluster provider', scopes: ['home'], inKeyBar: true },
  { intent: 'filter', keys: [ch('/')], description: 'find a lesson: type part of its title or id', scopes: ['home'] },
  { intent: 'cursor-up', keys: [special('up')], description: 'previous matching lesson', scopes: ['filter'] },
  { intent: 'cursor-down', keys: [special('down')], description: 'next matching lesson', scopes: ['filter'] },
  { intent: 'open', keys: [special('enter')], description: 'open the lesson', scopes: ['filter'], inKeyBar: true },
  { intent: 'filter-close', keys: [special('escape')], description: 'stop filtering: every lesson again', scopes: ['filter'], inKeyBar: true },
  { intent: 'cursor-up', keys: [special('up'), ch('k')], description: 'previous provider', scopes: ['provider'] },
  { intent: 'cursor-down', keys: [special('down'), ch('j')], description: 'next provider', scopes: ['provider'] },
  { intent: 'open', keys: [special('enter')], description: 'use this provider', scopes: ['provider'] },
  { intent: 'run', keys: [ch('r')], description: 'run the step’s commands, then check', scopes: ['step'], inKeyBar: true },
  { intent: 'check', keys: [ch('c')], description: 'check the cluster (after running commands yourself)', scopes: ['step'], inKeyBar: true },
  { intent: 'hint', keys: [ch('h')], description: 'show the next hint', scopes: ['step'], inKeyBar: true },
  { intent: 'solution', keys: [ch('s')], description: 'show the solution (challenge steps)', scopes: ['step'], inKeyBar: true },
  { intent: 'skip', keys: [ch('x')], description: 'skip this step', scopes: ['step'] },
  { intent: 'reset-step', keys: [ch('R')], description: 'reset this step (clears its results and hints)', scopes: ['step'] },
  { intent: 'catch-up', keys: [ch('C')], description: 'catch up: kubelab runs the steps before this one for you (marked caught up, not passed)', scopes: ['step'] },
  { intent: 'bundle', keys: [ch('B')], description: 'write a support bundle for your instructor (secrets redacted)', scopes: ['home', 'step'] },
  { intent: 'previous-step', keys: [special('left'), ch('p')], description: 'previous step', scopes: ['step'] },
  { intent: 'next-step', keys: [special('right'), ch('n')], description: 'next step', scopes: ['step'], inKeyBar: true },
  { intent: 'output', keys: [ch('o')], description: 'the step’s whole output, scrollable (the screen keeps the last lines)', scopes: ['step'], inKeyBar: true },
  { intent: 'lessons', keys: [ch('b'), special('escape')], description: 'back to the lessons', scopes: ['step'] },
  { intent: 'scroll-up', keys: [special('up'), ch('k')], description: 'scroll up a line', scopes: ['output'] },
  { intent: 'scroll-down', keys: [special('down'), ch('j')], description: 'scroll down a line', scopes: ['output'] },
  { intent: 'page-up', keys: [special('page-up'), ch('u')], description: 'scroll up a page', scopes: ['output'] },
  { intent: 'page-down', keys: [special('page-down'), ch(' '), ch('d')], description: 'scroll down a page', scopes: ['output'] },
  { intent: 'scroll-top', keys: [ch('g')], description: 'the first line', scopes: ['output'] },
  { intent: 'scroll-bottom', keys: [ch('G')], description: 'the newest line (and follow)', scopes: ['output'] },
  { intent: 'confirm-yes', keys: [ch('y')], description: 'yes, run it', scopes: ['confirm'] },
  { intent: 'confirm-no', keys: [ch('n'), special('escape')], description: 'no, do not run it', scopes: ['confirm'] },
  { intent: 'close', keys: [special('escape'), ch('?'), ch('q')], description: 'close this overlay', scopes: ['help', 'provider'] },
  { intent: 'close', keys: [special('escape'), ch('o'), ch('q')], description: 'close the output view', scopes: ['output'] },
  { intent: 'close', keys: [special('escape'), special('enter')], description: 'back to the lessons', scopes: ['recap'] },
  { intent: 'quit', keys: [ch('q')], description: 'quit (progress is saved)', scopes: ['recap'] },
  { intent: 'raise-hand', keys: [ch('a')], description: 'raise your hand to ask the instructor for help; again to lower it (in a class)', scopes: ['home', 'step'] },
  { intent: 'help', keys: [ch('?')], description: 'show every key', scopes: ['home', 'step'], inKeyBar: true },
  { intent: 'interrupt', keys: [{ char: 'c', ctrl: true }], description: 'stop the running command; press twice to quit', scopes: ['home', 'filter', 'step', 'help', 'confirm', 'provider', 'output', 'recap'] },
  { intent: 'quit', keys: [ch('q')], description: 'quit (progress is saved)', scopes: ['home', 'step'], inKeyBar: true },
  // Last in the home key bar: its word is the other language's name, for a learner who reads only that one.
  { intent: 'switch-language', keys: [ch('L')], description: 'switch language (English / français)', scopes: ['home', 'step'], inKeyBar: true },
];

function matches(spec: KeySpec, input: string, key: KeyPress): boolean {
  if ('special' in spec) {
    switch (spec.special) {
      case 'up':
        return Boolean(key.upArrow);
      case 'down':
        return Boolean(key.downArrow);
      case 'left':
        return Boolean(key.leftArrow);
      case 'right':
        return Boolean(key.rightArrow);
      case 'page-up':
        return Boolean(key.pageUp);
      case 'page-down':
        return Boolean(key.pageDown);
      case 'enter':
        return Boolean(key.return);
      case 'escape':
        return Boolean(key.escape);
    }
  }
  return input === spec.char && Boolean(key.ctrl) === Boolean(spec.ctrl);
}

/** The intent a key press means in this scope, or undefined when the key does nothing there. */
export function intentFor(scope: KeyScope, input: string, key: KeyPress): Intent | undefined {
  return KEYMAP.find((b) => b.scopes.includes(scope) && b.keys.some((k) => matches(k, input, key)))?.intent;
}

export function keyLabel(spec: KeySpec): string {
  if ('special' in spec) return { up: '↑', down: '↓', left: '←', right: '→', 'page-up': 'PgUp', 'page-down': 'PgDn', enter: 'Enter', escape: 'Esc' }[spec.special];
  if (spec.char === ' ') return 'Space';
  return spec.ctrl ? `Ctrl-${spec.char.toUpperCase()}` : spec.char;
}

export function bindingLabel(binding: Binding): string {
  return binding.keys.map(keyLabel).join('/');
}

export interface HelpLine {
  keys: string;
  description: string;
}

/** The help overlay's lines for a screen: every binding of that screen, in keymap order. */
export function helpLines(scope: KeyScope, t?: Translator): HelpLine[] {
  return KEYMAP.filter((b) => b.scopes.includes(scope)).map((b) => ({ keys: t ? keyNames(bindingLabel(b), t) : bindingLabel(b), description: t ? t.t(bindingTextKey(b)) : b.description }));
}

/** Keys with a name on the keyboard (Enter, Esc, Space) are named as the learner's keyboard names them. */
const keyNames = (label: string, t: Translator): string => label.replace(/\b(Enter|Esc|Space)\b/g, (name) => t.t(`keyname.${name}` as MessageKey));

/** A binding's catalog key: its intent and first scope name it (`key.close.output`). */
export const bindingTextKey = (b: Binding): MessageKey => `key.${b.intent}.${b.scopes[0]}` as MessageKey;

/** The one-line key bar: "r run · c check · …", from the bindings marked for it. */
export function keyBar(scope: KeyScope, t: Translator = createTranslator('en')): string {
  return KEYMAP.filter((b) => b.inKeyBar && b.scopes.includes(scope) && (scope === 'home' || b.intent !== 'switch-language'))
    .map((b) => `${keyNames(keyLabel(b.keys[b.keys.length - 1]), t)} ${t.t(`keybar.${b.intent}` as MessageKey)}`)
    .join(' · ');
}
