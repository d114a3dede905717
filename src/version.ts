/** Replaced at build time would be nicer; reading package.json keeps one source of truth. */
export const KUBELAB_VERSION = '0.1.0';
