/**
 * Clients a checker may need beyond the Kubernetes API (the EKS API, say). The engine does not
 * know them: the caller that opens a session injects a factory per key, and a checker asks for
 * the key it was written against. This keeps the engine free of the AWS SDK.
 */
export interface ServiceKey<T> {
  readonly id: string;
  /** Carries T for the type checker only; never set. */
  readonly type?: T;
}

export function serviceKey<T>(id: string): ServiceKey<T> {
  return { id };
}

/** A factory gets the session's variables (AWS_REGION…) and is called at most once per session. */
export type ServiceFactory = (variables: Record<string, string>) => Promise<unknown>;
export type ServiceFactories = Record<string, ServiceFactory>;

/** Memoised lookups of injected services; asking for one nobody provided is a clear error. */
export function serviceLocator(factories: ServiceFactories, variables: Record<string, string>): <T>(key: ServiceKey<T>) => Promise<T> {
  const made = new Map<string, Promise<unknown>>();
  return <T>(key: ServiceKey<T>): Promise<T> => {
    const factory = factories[key.id];
    if (!factory) return Promise.reject(new Error(`this check needs the "${key.id}" service, which this run does not provide`));
    let instance = made.get(key.id);
    if (!instance) {
      instance = factory(variables);
      // A failed creation (expired credentials) is tried again next time, not remembered.
      instance.catch(() => made.delete(key.id));
      made.set(key.id, instance);
    }
    return instance as Promise<T>;
  };
}
