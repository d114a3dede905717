import React, { useEffect, useMemo, useSyncExternalStore } from 'react';
import { Box, Static, useInput, useStdout } from 'ink';
import type { AppController, Store } from '../controller.js';
import { intentFor } from '../keymap.js';
import { scopeOf } from '../state.js';
import { Home } from './Home.js';
import { OutputView } from './OutputView.js';
import { Recap } from './Recap.js';
import { ConfirmOverlay, HelpOverlay, ProviderOverlay } from './Overlays.js';
import { StatusBar } from './StatusBar.js';
import { StepScreen } from './StepScreen.js';
import { ColorContext, WidthContext } from './styled.js';
import { TranscriptEntry } from './Transcript.js';
import { TranslatorContext } from '../i18n.js';
import { createTranslator } from '../../engine/i18n/translate.js';

export interface AppProps {
  store: Store;
  controller: Pick<AppController, 'handle' | 'resized' | 'filterTyped'>;
}

/** Renders the state and sends intents; every decision is the controller's. */
export function App({ store, controller }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { stdout } = useStdout();

  useInput(
    (input, key) => {
      // The scope as it is now, not as last drawn: a key typed before the screen caught up with the
      // previous one (a fast typist, a busy machine) must still go where that key led.
      const scope = scopeOf(store.getState());
      const intent = intentFor(scope, input, key);
      if (intent) controller.handle(intent);
      // Finding a lesson: what is typed is the filter's text.
      else if (scope === 'filter' && (key.backspace || key.delete)) controller.filterTyped('erase');
      else if (scope === 'filter' && input && !key.ctrl && !key.meta && /^[\p{L}\p{N} ._-]+$/u.test(input)) controller.filterTyped(input);
    },
    { isActive: !state.quitting },
  );

  useEffect(() => {
    const onResize = () => {
      const columns = stdout.columns || 80;
      // A new width redraws the whole transcript (a new <Static> key): clear what the terminal
      // re-wrapped at the old width first, or every line would show twice, cut mid-word.
      if (columns !== store.getState().size.columns) stdout.write('\u001b[2J\u001b[3J\u001b[H');
      controller.resized(columns, stdout.rows || 24);
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, controller, store]);

  const overlay = state.overlay;
  const translator = useMemo(() => createTranslator(state.language), [state.language]);
  return (
    <TranslatorContext.Provider value={translator}>
    <ColorContext.Provider value={state.color}>
      <WidthContext.Provider value={state.size.columns}>
      <Static key={state.transcriptEpoch} items={state.transcript}>
        {(item) => (
          <Box key={item.id} width={state.size.columns} flexDirection="column">
            <TranscriptEntry item={item} />
          </Box>
        )}
      </Static>
      {!state.quitting && (
        <Box flexDirection="column" width={state.size.columns} marginTop={1}>
          {overlay.kind === 'help' ? (
            <HelpOverlay scope={state.screen} />
          ) : overlay.kind === 'confirm' ? (
            <ConfirmOverlay items={overlay.items} />
          ) : overlay.kind === 'output' ? (
            <OutputView state={state} />
          ) : overlay.kind === 'recap' ? (
            <Recap state={state} />
          ) : overlay.kind === 'provider' ? (
            <ProviderOverlay providers={state.providers} cursor={overlay.cursor} current={state.cluster.provider} missing={state.providerMissing} />
          ) : state.screen === 'home' ? (
            <Home state={state} />
          ) : (
            <StepScreen state={state} />
          )}
          <StatusBar cluster={state.cluster} classStatus={state.classStatus} clusterStart={state.clusterStart} />
        </Box>
      )}
      </WidthContext.Provider>
    </ColorContext.Provider>
    </TranslatorContext.Provider>
  );
}

/** The root element, made here so run.ts needs no React import of its own. */
export function appElement(props: AppProps) {
  return <App {...props} />;
}
