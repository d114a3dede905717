import { describe, expect, it } from 'vitest';
import { toolsInstalled } from '../../../checkers/cluster.js';
import type { CheckContext } from '../../../src/engine/checker.js';

// tools-installed never talks to the cluster: its context needs only the PATH it searches.
const context = (language?: string) => ({ variables: { PATH: '/nonexistent' }, ...(language && { language }) }) as unknown as CheckContext;

describe('built-in checkers in the learner’s language', () => {
  it('given ctx.language fr, when a check fails, then its message, found label and install hint are French', async () => {
    const result = await toolsInstalled.run(context('fr'), { tools: ['kubelab-no-such-tool'] });
    expect(result).toMatchObject({ status: 'fail', message: 'manquant\u00a0: kubelab-no-such-tool', actual: 'aucun', hint: 'kubelab-no-such-tool: installez-le et ouvrez un nouveau terminal' });
  });

  it('given no language (a caller from before ctx.language), when the same check fails, then it answers in English word for word as before', async () => {
    expect(await toolsInstalled.run(context(), { tools: ['kubelab-no-such-tool'] })).toMatchObject({ status: 'fail', message: 'missing: kubelab-no-such-tool', actual: 'none', hint: 'kubelab-no-such-tool: install it and open a new terminal' });
    expect(await toolsInstalled.run(context('de'), { tools: ['kubelab-no-such-tool'] })).toMatchObject({ message: 'missing: kubelab-no-such-tool' });
  });
});
