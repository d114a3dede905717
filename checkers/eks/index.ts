import type { Checker } from '../../src/engine/checker.js';
import { eksUserMapped } from './access.js';
import { eksClusterActive, eksKubeconfigMatches, eksNodegroupActive } from './cluster.js';
import { eksAccessPolicy } from './policies.js';

/** The EKS checkers; each polls, because the EKS API cannot be watched. */
export const eksCheckers: Checker<any>[] = [eksClusterActive, eksNodegroupActive, eksKubeconfigMatches, eksUserMapped, eksAccessPolicy];
