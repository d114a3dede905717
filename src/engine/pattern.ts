/**
 * Text a lesson gives to look for (expectOutput, a check's stdout or message, a value in a match):
 * written as `/regex/flags` it is a pattern, anything else is a plain substring.
 */
export const PATTERN = /^\/(.*)\/([imsu]*)$/s;

/** Why a text written as /pattern/ does not compile (for lint), or undefined. */
export function patternProblem(pattern: string): string | undefined {
  const regex = PATTERN.exec(pattern);
  if (!regex) return undefined;
  try {
    new RegExp(regex[1], regex[2]);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Does `text` show `pattern` (a /regex/ or a substring)? A pattern that does not compile is taken literally. */
export function textMatches(pattern: string, text: string): boolean {
  const regex = PATTERN.exec(pattern);
  if (!regex) return text.includes(pattern);
  try {
    return new RegExp(regex[1], regex[2]).test(text);
  } catch {
    return text.includes(pattern);
  }
}
