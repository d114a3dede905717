/**
 * Module resolve hook (runs on Node's loader thread): a bare import that the script's own folder
 * cannot satisfy is resolved again from kubelab's install, so workshop scripts get kubelab's zx.
 */
interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null; shortCircuit?: boolean }>;

// Set once by initialize(); the hook thread has no other way to learn where kubelab is.
const kubelab: { parentURL?: string } = {};

export function initialize(data: { parentURL: string }): void {
  kubelab.parentURL = data.parentURL;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string; format?: string | null; shortCircuit?: boolean }> {
  const bare = !/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!bare || !kubelab.parentURL || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return next(specifier, { ...context, parentURL: kubelab.parentURL });
  }
}
