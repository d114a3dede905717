import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** The reporters' names, in one place: the flags' choices, completion and the checks below read them. */
export const REPORT_FORMATS = ['pretty', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** GitHub annotations: added beside any one report, never a report by itself. */
export const ANNOTATIONS = 'github';
/** What `validate --reporter` takes. */
export const REPORTER_NAMES = [...REPORT_FORMATS, ANNOTATIONS] as const;
/** What `lint --reporter` takes: lint has no JUnit report. */
export const LINT_REPORT_FORMATS = ['pretty', 'json'] as const satisfies readonly ReportFormat[];
export const LINT_REPORTER_NAMES = [...LINT_REPORT_FORMATS, ANNOTATIONS] as const;

export interface ReporterChoice {
  /** The one report (to --output, or to stdout/stderr as before). */
  report: ReportFormat;
  /** GitHub workflow commands on stdout, besides the report: the runner reads them only from there. */
  github: boolean;
}

/**
 * `--reporter` may be given more than once so one CI step both annotates the pull request and
 * writes the JUnit file: `--reporter junit --output report.xml --reporter github`. Only one of
 * pretty/json/junit makes sense at a time (there is one --output).
 */
export function chooseReporters(names: readonly string[], options: { formats?: readonly ReportFormat[]; output?: string } = {}): ReporterChoice {
  const formats = options.formats ?? REPORT_FORMATS;
  const requested = names.flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
  const known: string[] = [...formats, ANNOTATIONS];
  const unknown = requested.find((n) => !known.includes(n));
  if (unknown !== undefined) throw new UsageError(`Unknown reporter "${unknown}": use ${known.join(', ')}.`);
  const reports = [...new Set(requested.filter((n) => n !== ANNOTATIONS))] as ReportFormat[];
  if (reports.length > 1) {
    throw new UsageError(`Choose one of ${formats.join(', ')} (got ${reports.join(' and ')}); --reporter github can be added to any of them.`);
  }
  const choice: ReporterChoice = { report: reports[0] ?? 'pretty', github: requested.includes(ANNOTATIONS) };
  // Annotations and a machine-readable report on the same stdout would corrupt both.
  if (choice.github && choice.report !== 'pretty' && !options.output) {
    throw new UsageError(`--reporter github writes to stdout, and so does --reporter ${choice.report}.`, `Write the ${choice.report} report to a file: --output report.${choice.report === 'junit' ? 'xml' : 'json'}`);
  }
  return choice;
}

/** Where GitHub annotations are relative to: the checkout when running in Actions, else here. */
export function annotationRoot(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.GITHUB_WORKSPACE || cwd;
}

/**
 * `--output FILE` must be writable before the run starts: finding out after twenty minutes of
 * lessons loses the report. Returns the absolute path.
 */
export function requireOutputFile(output: string, cwd: string): string {
  const file = resolve(cwd, output);
  const folder = dirname(file);
  const next = 'Pass --output a file in a folder that exists, e.g. --output report.xml';
  let stat;
  try {
    stat = statSync(file);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new UsageError(`--output ${output} is a folder, not a file.`, `Name a file inside it: --output ${output.replace(/\/$/, '')}/report.xml`);
  let parent;
  try {
    parent = statSync(folder);
  } catch {
    throw new UsageError(`--output ${output}: the folder ${folder} does not exist.`, next);
  }
  if (!parent.isDirectory()) throw new UsageError(`--output ${output}: ${folder} is not a folder.`, next);
  try {
    accessSync(stat ? file : folder, constants.W_OK);
  } catch {
    throw new UsageError(`--output ${output}: ${stat ? file : folder} is not writable.`, next);
  }
  return file;
}
