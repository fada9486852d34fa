import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startSandbox } from '../../../src/sandbox/server';
import type { IdentityRecord } from '../../../src/sandbox/state';
import { journalFile, Store } from '../../../src/sandbox/store';

describe('sandbox state journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwi-journal-'));
  const stateFile = join(dir, 'state.json');
  after(() => rmSync(dir, { recursive: true, force: true }));

  const identity = (name: string, tags: Record<string, string> = {}): IdentityRecord => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
    name,
    subscriptionId: 's',
    resourceGroup: 'rg',
    location: 'eastus',
    tags,
    clientId: `c-${name}`,
    principalId: `p-${name}`,
    tenantId: 't',
    isolationScope: 'None',
    federatedCredentials: {},
  });

  it('a named change appends only that entry; the snapshot is untouched; a reader replays the journal', async () => {
    const s = await startSandbox({ stateFile });
    await s.close();
    const state = Store.read(stateFile)!;
    const store = new Store(state, stateFile);
    store.markDirty();
    store.flush(); // first flush of a store: a snapshot, pointing at a fresh journal
    const snapshot = readFileSync(stateFile, 'utf8');
    const generation = (JSON.parse(snapshot) as { journal: number }).journal;
    state.identities['key-a'] = identity('a');
    store.markDirty({ map: 'identities', key: 'key-a' });
    store.flush();
    state.identities['key-b'] = identity('b');
    store.markDirty({ map: 'identities', key: 'key-b' });
    store.flush();
    delete state.identities['key-a'];
    store.markDirty({ map: 'identities', key: 'key-a' });
    store.flush();
    assert.equal(readFileSync(stateFile, 'utf8'), snapshot, 'the snapshot was not rewritten');
    const journal = readFileSync(journalFile(stateFile, generation), 'utf8');
    assert.equal(journal.trim().split('\n').length, 3);
    assert.ok(journal.length < 2000, `journal lines hold the entries only (${journal.length} bytes)`);
    assert.equal((statSync(journalFile(stateFile, generation)).mode & 0o777).toString(8), '600');
    const back = Store.read(stateFile)!;
    assert.equal(back.identities['key-a'], undefined);
    assert.equal(back.identities['key-b']?.name, 'b');
  });

  it('a torn last line (a write never acknowledged) is ignored', () => {
    const state = Store.read(stateFile)!;
    const generation = state.journal!;
    appendFileSync(journalFile(stateFile, generation), '{"set":[["identities","key-c",{"name":"c"');
    const back = Store.read(stateFile)!;
    assert.equal(back.identities['key-c'], undefined);
    assert.equal(back.identities['key-b']?.name, 'b');
  });

  it('compaction writes a snapshot with everything and drops the old journals; a new store never reuses a journal', () => {
    const state = Store.read(stateFile)!;
    const store = new Store(state, stateFile);
    store.markDirty();
    store.flush();
    state.identities['key-d'] = identity('d', { t: '1' });
    store.markDirty({ map: 'identities', key: 'key-d' });
    store.flush();
    store.compact();
    const journals = readdirSync(dir).filter((f) => f.endsWith('.journal'));
    assert.deepEqual(journals, [], 'no journal before the new snapshot remains');
    const snap = JSON.parse(readFileSync(stateFile, 'utf8')) as { identities: Record<string, IdentityRecord> };
    assert.equal(snap.identities['key-d']?.tags?.t, '1');
    assert.equal(snap.identities['key-b']?.name, 'b');
    state.identities['key-e'] = identity('e');
    store.markDirty({ map: 'identities', key: 'key-e' });
    store.flush();
    assert.equal(Store.read(stateFile)!.identities['key-e']?.name, 'e');
  });

  it('an unnamed change journals the whole state', () => {
    const state = Store.read(stateFile)!;
    const store = new Store(state, stateFile);
    store.markDirty();
    store.flush();
    state.tenantDisplayName = 'Renamed';
    store.markDirty();
    store.flush();
    assert.equal(Store.read(stateFile)!.tenantDisplayName, 'Renamed');
  });
});
