/**
 * `kubelab/checker`: what a workshop's own checker modules import. The same `defineChecker` and
 * result helpers as the built-in checkers, zod's `z` (so authors install nothing), and the helpers
 * the generic checkers use to read any kind and match partial objects. Types: types/checker.d.ts.
 */
export { defineChecker, pass, fail, pending, broken, notApplicable, missing, wrong, converging } from './engine/checker.js';
export { stillWorking } from './engine/running/settle.js';
export { z } from 'zod';
export { matchPartial, describeDifferences, textMatches } from '../checkers/match.js';
export { getJson, resolveKind, listPath, objectName } from '../checkers/dynamic.js';
