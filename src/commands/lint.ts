import { ExitCode } from '../errors.js';
import { formatDiagnostic, lintSummary } from '../engine/diagnostics.js';
import { lintWorkshop } from '../engine/loading/lint.js';
import { lintTranslations, type TranslationStatus } from '../engine/loading/translation-drift.js';
import { loadWorkshop } from '../engine/loading/sources.js';
import { inspectCheckers } from '../services/session.js';
import { workshopRoot } from '../services/workshop.js';
import { lintAnnotations, renderAnnotations } from '../reporters/github.js';
import { annotationRoot, chooseReporters, LINT_REPORT_FORMATS } from '../services/reporters.js';
import { LINT } from './catalog.js';
import { declaredCommand } from './declare.js';

export const lintCommand = declaredCommand(LINT, async ({ values }, context) => {
  const reporters = chooseReporters([...values.reporter, ...(values.json ? ['json'] : [])], { formats: LINT_REPORT_FORMATS });
  const root = workshopRoot(values.workshop, context.cwd);
  const { workshop, diagnostics } = await loadWorkshop(root);
  let translations: TranslationStatus[] = [];
  if (workshop) {
    translations = lintTranslations(workshop.lessons, diagnostics);
    // The workshop's checker modules are read, never run: lint is for workshops not trusted yet.
    const { checkers, declared } = await inspectCheckers(workshop, diagnostics);
    lintWorkshop(workshop, checkers, diagnostics, declared);
  }
  const errors = diagnostics.items.filter((d) => d.severity === 'error').length;
  if (reporters.github) context.stdout.write(renderAnnotations(lintAnnotations(diagnostics.items, annotationRoot(context.env, context.cwd))));
  if (reporters.report === 'json') {
    context.stdout.write(`${JSON.stringify({ workshop: root, errors, diagnostics: diagnostics.items, translations }, null, 2)}\n`);
  } else {
    // With annotations on stdout, the readable lines go to stderr (the job log still shows them).
    const out = reporters.github ? context.stderr : context.stdout;
    for (const d of diagnostics.items) out.write(`${formatDiagnostic(d)}\n`);
    context.stderr.write(`${lintSummary(workshop?.lessons.length ?? 0, diagnostics.items)}\n`);
  }
  return errors ? ExitCode.usage : ExitCode.ok;
});
