import type { ServiceAccountEntry, ServiceAccountQuery } from '../core/workspaceIndex';
import type { ManifestIndex } from './manifestIndex';
import type { WorkspaceIndexer } from './workspaceIndexer';
import { overrideUi, type Ui } from './ui';

/**
 * What `activate()` returns to the integration tests (and only in ExtensionMode.Test): hooks to
 * answer prompts and to wait for the cold index, which runs after activation by design.
 */
export interface KwiTestApi {
  /** Time spent in activate() itself. */
  readonly activationMs: number;
  /** Time spent evaluating the bundle before activate() (module top levels). */
  readonly bundleLoadMs: number;
  overrideUi(partial: Partial<Ui>): () => void;
  whenIndexed(): Promise<number>;
  /** Asks the core's index, as Reveal Manifest and provisioning do. */
  serviceAccounts(query: ServiceAccountQuery): Promise<ServiceAccountEntry[]>;
}

export function createTestApi(
  timing: { activationMs: () => number; bundleLoadMs: number },
  indexer: WorkspaceIndexer,
  manifests: ManifestIndex,
): KwiTestApi {
  return {
    get activationMs() {
      return timing.activationMs();
    },
    bundleLoadMs: timing.bundleLoadMs,
    overrideUi,
    whenIndexed: () => indexer.whenIndexed(),
    serviceAccounts: (query) => manifests.find(query),
  };
}
