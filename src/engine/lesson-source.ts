/**
 * What a lesson format is to kubelab: a module that recognises its own layout and turns it into a
 * workshop whose steps carry their plan (what runs, in which order, where) and their render model
 * (what the learner reads). Nothing outside a source branches on the format: the session runs the
 * plan, the app draws the render model, lint and watch ask both.
 */
import type { DiagnosticBag } from './diagnostics.js';
import type { ActionRunner } from './plan.js';
import type { Lesson, Workshop } from './types.js';

export interface LoadOptions {
  /** The environment a format may read settings from (KUBELAB_EKS_MANIFESTS…). */
  env?: NodeJS.ProcessEnv;
  /** The languages to read translations in (lesson.fr.md…), besides the source language; none: every one. */
  languages?: readonly string[];
}

export interface LoadedWorkshop {
  /** Present whenever the content could be read; run it only when diagnostics has no error. */
  workshop?: Workshop;
  diagnostics: DiagnosticBag;
}

export interface LessonSource {
  /** Its name in reports, bundles and messages: 'kubelab', 'docusaurus', 'killercoda'… */
  readonly format: string;
  /** What the format is, for a learner reading "took FOLDER for …": "a kubelab workshop (workshop.yaml)". */
  readonly description: string;
  /**
   * Whether this path is content of this format, by the format's own markers (a manifest file, a
   * frontmatter key): cheap and synchronous, since every source is asked in turn.
   */
  detect(path: string): boolean;
  /**
   * Reads it all. Never throws for bad content: everything wrong is a diagnostic with its file and
   * line (a module outside kubelab may return `{ items: [...] }`: the registry makes it a bag).
   */
  load(path: string, options: LoadOptions): Promise<LoadedWorkshop | { workshop?: Workshop; diagnostics: Pick<DiagnosticBag, 'items'> }>;
  /** Lint rules only this format has (run by `kubelab lint` and watch after the shared ones). */
  lint?(workshop: Workshop, bag: DiagnosticBag): void;
  /**
   * The files a lesson is read from, so watch re-runs exactly the lessons whose files changed.
   * Unset: every file under the lesson's folder.
   */
  lessonFiles?(lesson: Lesson, workshop: Workshop): string[];
  /** The format's own kinds of step action (plan.ts `FormatAction.type`), run by the session. */
  readonly actions?: Readonly<Record<string, ActionRunner>>;
}

/** The source that read a workshop (set by `loadWorkshop`), with everything it offers. */
export const sourceOfWorkshop = (workshop: Workshop): LessonSource | undefined => workshop.source as LessonSource | undefined;
