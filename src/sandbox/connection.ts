import { subscriptionIdOf } from './scenario';
import type { SandboxState } from './state';

/**
 * What a client needs to talk to a sandbox: endpoints, the CA to trust per client, the tenant and
 * subscription, and the developer sign-in. The in-process `RunningSandbox` is one; a sandbox
 * another process runs on the same state file gives the same through `findRunningSandbox`.
 */
export interface SandboxConnection {
  /** `https://127.0.0.1:PORT`. */
  origin: string;
  armEndpoint: string;
  /** Authority host for @azure/identity (tenant appended by the client). */
  authorityHost: string;
  caPem: string;
  /** Where ca.pem was written. */
  caFile: string;
  /** The state file, or undefined when the state lives in memory. */
  stateFile: string | undefined;
  tenantId: string;
  subscriptionId: string;
  /** Sandbox-only credential: never log or print the secret. */
  developer: { clientId: string; clientSecret: string; objectId: string };
  /** Bearer token of the control API (`/_sandbox/*`), from the state file; never log it. */
  controlToken: string;
  /** YAML, one context per sandbox cluster, each with its cluster's admin token. */
  kubeconfig(): string;
}

/** The fields of a connection that come from its origin, its CA and its state. */
export function connectionFields(
  origin: string,
  caPem: string,
  caFile: string,
  stateFile: string | undefined,
  state: SandboxState,
): Omit<SandboxConnection, 'controlToken' | 'kubeconfig'> {
  return {
    origin,
    armEndpoint: origin,
    authorityHost: origin,
    caPem,
    caFile,
    stateFile,
    tenantId: state.tenantId,
    subscriptionId: subscriptionIdOf(state),
    developer: {
      clientId: state.developer.clientId,
      clientSecret: state.developer.clientSecret,
      objectId: state.developer.objectId,
    },
  };
}
