/**
 * Lines the services and the engine write in English for every command (a cluster's state, why a
 * block is not run), as the app shows them in the learner's language: the few shapes the app
 * receives are recognised and re-said; anything else (an error's own text) is shown as it came.
 */
import type { MessageKey, Translator } from '../engine/i18n/translate.js';

const SHAPES: [RegExp, MessageKey, string[]][] = [
  [/^(\S+) answers, Kubernetes (\S+)$/, 'cluster.answers', ['server', 'version']],
  [/^(.+) is down$/, 'cluster.isDown', ['part']],
  [/^Check it with: (.+)$/, 'cluster.checkWith', ['command']],
  [/^Start one with: (.+)$/, 'cluster.startWith', ['command']],
  [/^Restart what stopped with: (.+)$/, 'cluster.restartWith', ['command']],
  [/^shown only: run it yourself when the lesson says so$/, 'skip.shownOnly', []],
  [/^marked not to run$/, 'skip.notToRun', []],
  [/^needs a real node \(a running container\): (.+)$/, 'skip.realNode', ['what']],
  [/^needs AWS: (.+)$/, 'skip.aws', ['what']],
];

export function learnerWords(text: string, { t, language }: Translator): string {
  if (language === 'en') return text;
  for (const [shape, key, names] of SHAPES) {
    const found = shape.exec(text);
    if (found) return t(key, Object.fromEntries(names.map((name, i) => [name, found[i + 1]])));
  }
  return text;
}
