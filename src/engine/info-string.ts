/**
 * A fence's info string: the language, then attributes as `key=value`, `key="quoted value"` or a
 * bare `flag`. Close to eks-workshop-v2's annotations so their content ports.
 */
export interface InfoString {
  language: string;
  attributes: Map<string, string>;
  /** Column (0-based, within the info string) of each attribute, for error positions. */
  offsets: Map<string, number>;
}

export function parseInfoString(info: string): InfoString {
  const attributes = new Map<string, string>();
  const offsets = new Map<string, number>();
  let i = 0;
  const skipSpace = () => {
    while (i < info.length && /\s/.test(info[i])) i++;
  };
  skipSpace();
  const langStart = i;
  while (i < info.length && !/\s/.test(info[i])) i++;
  const language = info.slice(langStart, i).toLowerCase();
  for (;;) {
    skipSpace();
    if (i >= info.length) break;
    const start = i;
    while (i < info.length && !/[\s=]/.test(info[i])) i++;
    const key = info.slice(start, i);
    let value = 'true';
    if (info[i] === '=') {
      i++;
      if (info[i] === '"' || info[i] === "'") {
        const quote = info[i++];
        const valueStart = i;
        while (i < info.length && info[i] !== quote) i++;
        value = info.slice(valueStart, i);
        i++;
      } else {
        const valueStart = i;
        while (i < info.length && !/\s/.test(info[i])) i++;
        value = info.slice(valueStart, i);
      }
    }
    attributes.set(key, value);
    offsets.set(key, start);
  }
  return { language, attributes, offsets };
}
