import type { WorkspaceIndexer } from './workspaceIndexer';
import { overrideUi, type Ui } from './ui';

/**
 * What `activate()` returns to the integration tests (and only in ExtensionMode.Test): hooks to
 * answer prompts and to wait for the cold index, which runs after activation by design.
 */
export interface KwiTestApi {
  readonly activationMs: number;
  overrideUi(partial: Partial<Ui>): () => void;
  whenIndexed(): Promise<number>;
}

export function createTestApi(activationMs: () => number, indexer: WorkspaceIndexer): KwiTestApi {
  return {
    get activationMs() { return activationMs(); },
    overrideUi,
    whenIndexed: () => indexer.whenIndexed(),
  };
}
