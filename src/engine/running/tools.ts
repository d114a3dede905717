import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where a command would be found on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Install hints for the workshop's usual tools, shown when one is missing. */
export const INSTALL_HINTS: Record<string, string> = {
  kubectl: 'https://kubernetes.io/docs/tasks/tools/ (or your package manager: apt-get install kubectl)',
  openssl: 'apt-get install openssl (Debian/Ubuntu) or brew install openssl (macOS)',
  jq: 'apt-get install jq or brew install jq',
  envsubst: 'apt-get install gettext-base or brew install gettext',
  eksctl: 'https://eksctl.io/installation/ (then check: eksctl version)',
  aws: 'the AWS CLI v2, https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html (then check: aws --version)',
  kind: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  docker: 'https://docs.docker.com/engine/install/',
  curl: 'apt-get install curl',
  helm: 'https://helm.sh/docs/intro/install/ (or brew install helm; then check: helm version)',
  terraform: 'https://developer.hashicorp.com/terraform/install (then check: terraform version)',
  yq: 'https://github.com/mikefarah/yq#install (or brew install yq)',
  git: 'apt-get install git or brew install git',
};

/** What to tell a person whose PATH lacks a tool. */
export function installHint(tool: string): string {
  const hint = INSTALL_HINTS[tool];
  return hint ? `Install ${tool}: ${hint}` : `Install ${tool}.`;
}

/** The tools each provider's cluster needs on this machine (kubectl is every lesson's, named by the lessons). */
export const PROVIDER_TOOLS: Record<string, readonly string[]> = {
  local: [],
  kind: ['docker', 'kind'],
  eks: ['eksctl', 'aws'],
  existing: [],
};

/** The tools a provider needs that this PATH lacks, in the order PROVIDER_TOOLS names them. */
export function missingProviderTools(provider: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return (PROVIDER_TOOLS[provider] ?? []).filter((tool) => !findOnPath(tool, env));
}
