import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyPlan, planSetup, undoJournal } from '../../../src/provision/session';
import type { RunningSandbox } from '../../../src/sandbox/server';
import type { ProvisionBackend } from '../../../src/provision/session';
import { FAST, provisionSandbox, tutorialInputs } from './provisionHarness';

describe('provisioning: the whole chain against the sandbox', () => {
  let sandbox: RunningSandbox;
  let backend: ProvisionBackend;
  before(async () => {
    ({ sandbox, backend } = await provisionSandbox({ knobs: { lroSeconds: 0.3 } }));
  });
  after(async () => {
    await sandbox.close();
  });

  it('plans on aks-legacy: issuer and workload identity off, everything to do, nothing written', async () => {
    const before = sandbox.stats().writes;
    const plan = await planSetup(backend, tutorialInputs(sandbox, { dataPlaneCheck: { secretName: 'my-secret' } }));
    assert.equal(sandbox.stats().writes, before, 'planning writes nothing');
    const states = Object.fromEntries(plan.steps.map((s) => [s.id, s.state]));
    assert.deepEqual(states, {
      'cluster.oidc-issuer': 'todo',
      'cluster.workload-identity': 'todo',
      identity: 'todo',
      serviceaccount: 'todo',
      'federated-credential': 'todo',
      'role-assignment': 'todo',
      propagation: 'todo',
      'workload-restart': 'done',
    });
    const applied = await applyPlan(backend, plan, FAST);
    for (const s of applied.plan.steps) {
      assert.ok(s.state === 'applied' || s.state === 'done', `${s.id}: ${s.state} ${JSON.stringify(s.error)}`);
    }
    assert.ok(applied.writes >= 5, `writes ${applied.writes}`);
    assert.deepEqual(
      applied.journal.entries.map((e) => e.kind),
      ['identity', 'serviceaccount', 'federated-credential', 'role-assignment'].filter((k) =>
        applied.journal.entries.some((e) => e.kind === k),
      ).length === 4
        ? applied.journal.entries.map((e) => e.kind)
        : ['missing'],
    );

    const again = await planSetup(backend, tutorialInputs(sandbox, { dataPlaneCheck: { secretName: 'my-secret' } }));
    assert.ok(
      again.steps.every((s) => s.state === 'done'),
      JSON.stringify(again.steps.map((s) => [s.id, s.state])),
    );
    const w = sandbox.stats().writes;
    const rerun = await applyPlan(backend, again, FAST);
    assert.equal(rerun.writes, 0);
    assert.equal(sandbox.stats().writes, w);

    const undone = await undoJournal(backend, applied.journal);
    assert.ok(
      undone.items.every((i) => i.state === 'removed'),
      JSON.stringify(undone.items),
    );
  });
});
