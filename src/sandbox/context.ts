import type { RegisteredCertificate } from './entra/certificateCredential';
import type { Knobs } from './knobs';
import type { Store } from './store';
import type { VaultRecord } from './state';

/** What every service handler gets besides the request: the state and the server's settings. */
export interface SandboxContext {
  readonly store: Store;
  /** `https://127.0.0.1:PORT` of the main listener. */
  readonly origin: string;
  readonly caPem: string;
  readonly knobs: Knobs;
  readonly webhookLayout: 'v1.6' | 'v1.5';
  now(): number;
  /** `https://127.0.0.1:{vault port}/`: the vault's data-plane URL (docs/contracts.md explains the port per vault). */
  vaultUri(vault: VaultRecord): string;
  /** Opens the vault's data-plane listener if it is not open yet. */
  openVault(vault: VaultRecord): Promise<void>;
  /** Whether the long-running operation being started should end Failed (the `lroFailRate` knob). */
  lroFails(): boolean;
  /** Identities with a federated-credential write in progress (the service answers 409 to a second one). */
  readonly ficWritesInFlight: Set<string>;
  /** The developer principal's registered certificate (its client assertions are checked against it); loaded on first use. */
  developerCertificate?(): RegisteredCertificate;
}
