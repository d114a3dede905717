/**
 * `kubelab --name walk2` runs the workshop on a cluster of that name, but lessons are written for
 * the usual one (`kubelab cluster up --provider local`). Every `kubelab cluster up|down|status`
 * a lesson shows or runs is given the name, so what the learner reads, copies and runs all act on
 * the cluster they chose — not on "kubelab".
 */
const CLUSTER_COMMAND = /(\bkubelab\s+cluster\s+(?:up|down|status)\b)([^\n;&|]*)/g;

/** Shell-safe as written: names are letters, digits, - and _ (the providers refuse anything else). */
const quoted = (name: string): string => (/^[A-Za-z0-9._-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`);

export function withClusterName(text: string, name: string | undefined): string {
  if (!name) return text;
  return text.replace(CLUSTER_COMMAND, (whole, command: string, rest: string) => (/(^|\s)--name(\s|=)/.test(rest) ? whole : `${command} --name ${quoted(name)}${rest}`));
}
