import { describe, expect, it } from 'vitest';
import { CATALOGS, createTranslator } from '../../../src/engine/i18n/translate.js';
import { bindingTextKey, helpLines, KEYMAP, keyBar } from '../../../src/ui/keymap.js';

describe('the app’s keys in the learner’s language', () => {
  it('given every key binding, when its catalog key is looked up, then both languages have it and English says what the keymap says', () => {
    for (const binding of KEYMAP) {
      const key = bindingTextKey(binding);
      expect(CATALOGS.en[key], key).toBe(binding.description);
      expect(CATALOGS.fr[key], key).toBeTruthy();
    }
  });

  it('given French, when the key bar and the help are drawn, then their words and key names are French and L offers English', () => {
    const fr = createTranslator('fr');
    expect(keyBar('home', fr)).toBe('Entrée ouvrir · p fournisseur · ? aide · q quitter · L English');
    expect(keyBar('step', fr)).toBe('r lancer · c vérifier · h indice · s solution · n suivante · o sortie · ? aide · q quitter');
    expect(helpLines('step', fr)).toContainEqual({ keys: 'L', description: 'changer de langue (English / français)' });
    expect(helpLines('output', fr)).toContainEqual({ keys: 'Échap/o/q', description: 'fermer la vue de la sortie' });
  });

  it('given English, when the key bar is drawn, then it is as before with L offering French on the home screen only', () => {
    expect(keyBar('home')).toBe('Enter open · p provider · ? help · q quit · L français');
    expect(keyBar('step')).toBe('r run · c check · h hint · s solution · n next · o output · ? help · q quit');
  });
});

describe('lines the services and the engine write, as the app shows them', () => {
  it('given a known English shape, when shown in French, then it is re-said in French; an unknown line passes as it came; English is untouched', async () => {
    const { learnerWords } = await import('../../../src/ui/learner-words.js');
    const fr = createTranslator('fr');
    expect(learnerWords('Start one with: kubelab cluster up --provider local', fr)).toBe('Démarrez-en un avec\u00a0: kubelab cluster up --provider local');
    expect(learnerWords('kube-controller-manager is down', fr)).toBe('kube-controller-manager est arrêté');
    expect(learnerWords('needs a real node (a running container): kubectl exec', fr)).toBe('il faut un vrai nœud (un conteneur qui tourne)\u00a0: kubectl exec');
    expect(learnerWords('dial tcp 127.0.0.1:6443: connection refused', fr)).toBe('dial tcp 127.0.0.1:6443: connection refused');
    expect(learnerWords('Start one with: kubelab cluster up', createTranslator('en'))).toBe('Start one with: kubelab cluster up');
  });
});
