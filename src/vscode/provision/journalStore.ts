import type * as vscode from 'vscode';
import type { Journal } from '../../core/provision/plan';

const KEY = 'kwi.provision.journals';
const KEEP = 10;

/**
 * What the last runs created (newest first), kept in the workspace state so Undo works after a
 * reload. A journal holds resource IDs and names, never a secret or a token.
 */
export class JournalStore {
  constructor(private readonly memento: vscode.Memento) {}

  list(): Journal[] {
    return this.memento.get<Journal[]>(KEY, []);
  }

  async add(journal: Journal): Promise<void> {
    if (!journal.entries.length) return;
    const rest = this.list().filter((j) => j.startedAt !== journal.startedAt || j.planKind !== journal.planKind);
    await this.memento.update(KEY, [journal, ...rest].slice(0, KEEP));
  }

  async remove(journal: Journal): Promise<void> {
    await this.memento.update(
      KEY,
      this.list().filter((j) => !(j.startedAt === journal.startedAt && j.planKind === journal.planKind)),
    );
  }
}
