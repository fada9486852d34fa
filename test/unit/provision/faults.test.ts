// Every realism knob of the sandbox against the whole provisioning chain, with the real SDK
// clients and @kubernetes/client-node: faults end as step results (code + message) or are retried,
// never as an unhandled error, and a re-run completes what a failed run left.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPlan, planSetup } from '../../../src/provision/session';
import type { Plan } from '../../../src/core/provision/plan';
import type { Knobs } from '../../../src/sandbox/server';
import { assignRole, resolveRole } from '../../../src/azure/provision/roleAssignment';
import { newCounters, provisionClients } from '../../../src/azure/provision/provisionClients';
import { FAST, provisionSandbox, tutorialInputs, vaultId } from './provisionHarness';

function assertSettled(plan: Plan): void {
  for (const s of plan.steps) {
    if (s.state === 'failed') {
      assert.ok(
        s.error?.code && s.error.message,
        `${s.id} failed without code and message: ${JSON.stringify(s.error)}`,
      );
    } else {
      assert.ok(['applied', 'done', 'skipped', 'blocked'].includes(s.state), `${s.id}: ${s.state}`);
    }
  }
}

function assertComplete(plan: Plan): void {
  for (const s of plan.steps) {
    assert.ok(s.state === 'applied' || s.state === 'done', `${s.id}: ${s.state} ${JSON.stringify(s.error)}`);
  }
}

/** Plans and applies under the knobs; whatever it leaves, a re-run without faults completes with one of each resource. */
async function runUnder(knobs: Partial<Knobs>): Promise<void> {
  const { sandbox, backend } = await provisionSandbox({ knobs: { lroSeconds: 0.2, retryAfterSeconds: 0, ...knobs } });
  try {
    const inputs = tutorialInputs(sandbox);
    let first: Plan | undefined;
    try {
      first = (await applyPlan(backend, await planSetup(backend, inputs), FAST)).plan;
    } catch (e) {
      assert.fail(`unhandled error under ${JSON.stringify(knobs)}: ${(e as Error).stack}`);
    }
    assertSettled(first);
    assert.ok(
      sandbox.stats().faults.drop + sandbox.stats().faults.throttle + sandbox.stats().faults.error > 0,
      'the knob injected faults',
    );
    sandbox.setKnobs({ throttleRate: 0, errorRate: 0, dropRate: 0 });
    const second = await applyPlan(backend, await planSetup(backend, inputs), FAST);
    assertComplete(second.plan);
    const st = sandbox.state();
    assert.equal(Object.values(st.identities).filter((x) => x.name === inputs.identityName).length, 1, 'one identity');
  } finally {
    await sandbox.close();
  }
}

describe('provisioning under the sandbox fault knobs', () => {
  it('429 with Retry-After: retried by the SDKs, the run completes or fails as a step result', async () => {
    await runUnder({ throttleRate: 0.25 });
  });
  it('5xx: the run completes or fails as a step result with the code and message', async () => {
    await runUnder({ errorRate: 0.25 });
  });
  it('dropped connections: the run completes or fails as a step result', async () => {
    await runUnder({ dropRate: 0.15 });
  });

  it("lroFailRate: the cluster step fails with the operation's message; a re-run retries it and completes", async () => {
    const { sandbox, backend } = await provisionSandbox({ knobs: { lroSeconds: 0.2, lroFailRate: 1 } });
    try {
      const inputs = tutorialInputs(sandbox);
      const first = await applyPlan(backend, await planSetup(backend, inputs), FAST);
      const issuer = first.plan.steps.find((s) => s.id === 'cluster.oidc-issuer')!;
      assert.equal(issuer.state, 'failed');
      assert.ok(issuer.error?.code, JSON.stringify(issuer.error));
      assert.ok(issuer.error.message.length > 0);
      // Independent steps still ran: the identity does not wait for the cluster.
      assert.equal(first.plan.steps.find((s) => s.id === 'identity')!.state, 'applied');
      sandbox.setKnobs({ lroFailRate: 0 });
      const again = await planSetup(backend, inputs);
      assert.equal(
        again.steps.find((s) => s.id === 'cluster.oidc-issuer')!.state,
        'todo',
        'the failed operation is seen as not done',
      );
      assert.equal(again.steps.find((s) => s.id === 'identity')!.state, 'done');
      assertComplete((await applyPlan(backend, again, FAST)).plan);
    } finally {
      await sandbox.close();
    }
  });

  it('credential propagation: the exchange wait retries until the delay has passed, then succeeds (no fixed sleep)', async () => {
    const delay = 1.5;
    const { sandbox, backend } = await provisionSandbox({ knobs: { lroSeconds: 0.2, ficPropagationSeconds: delay } });
    try {
      const waits: string[] = [];
      const timing: Record<string, number> = {};
      const r = await applyPlan(backend, await planSetup(backend, tutorialInputs(sandbox)), {
        ...FAST,
        onProgress: (id, state, detail) => {
          if (id === 'propagation' && state === 'waiting' && detail) waits.push(detail);
          if (id === 'federated-credential' && (state === 'applied' || state === 'done')) {
            timing.credential = Date.now();
          }
          if (id === 'propagation' && state === 'applied') timing.done = Date.now();
        },
      });
      assertComplete(r.plan);
      assert.ok(waits.length > 0, 'the wait is shown as what is being waited for');
      const waited = timing.done! - timing.credential!;
      // At least the propagation delay (the exchange really failed until then), and not much more
      // than one capped back-off step after it (a fixed long sleep would overshoot).
      assert.ok(waited >= delay * 1000 - 100, `waited ${waited} ms`);
      assert.ok(waited < delay * 1000 + FAST.backoff.maxMs + 3000, `waited ${waited} ms`);
    } finally {
      await sandbox.close();
    }
  });

  it('RBAC propagation: the optional data-plane wait gets 403 until the role has propagated, then reads the secret', async () => {
    const delay = 1.5;
    const { sandbox, backend } = await provisionSandbox({ knobs: { lroSeconds: 0.2, rbacPropagationSeconds: delay } });
    try {
      let roleAt = 0;
      let doneAt = 0;
      const r = await applyPlan(
        backend,
        await planSetup(backend, tutorialInputs(sandbox, { dataPlaneCheck: { secretName: 'my-secret' } })),
        {
          ...FAST,
          onProgress: (id, state) => {
            if (id === 'role-assignment' && state === 'applied') roleAt = Date.now();
            if (id === 'propagation' && state === 'applied') doneAt = Date.now();
          },
        },
      );
      assertComplete(r.plan);
      assert.ok(doneAt - roleAt >= delay * 1000 - 150, `data-plane wait ${doneAt - roleAt} ms`);
      const kvForbidden = sandbox.stats().byStatus['403'] ?? 0;
      assert.ok(kvForbidden > 0, 'Key Vault said 403 while the role propagated');
    } finally {
      await sandbox.close();
    }
  });

  it('principal replication: PrincipalNotFound right after the identity was created, retried with backoff, then success', async () => {
    const { sandbox, backend } = await provisionSandbox({ knobs: { principalReplicationSeconds: 1 } });
    try {
      const inputs = tutorialInputs(sandbox);
      const plan = await planSetup(backend, { ...inputs, scope: undefined });
      const applied = await applyPlan(backend, plan, FAST);
      const identity = Object.values(sandbox.state().identities).find((x) => x.name === inputs.identityName)!;
      assert.ok(applied.plan.steps.find((s) => s.id === 'identity')!.state === 'applied');
      // Where ARM checks the directory (no principalType), the fresh principal is not found yet.
      const c = provisionClients(backend.arm, sandbox.subscriptionId, newCounters());
      const role = (await resolveRole(c, vaultId(sandbox), undefined))!;
      const retries: Array<{ code: string; delayMs: number }> = [];
      const started = Date.now();
      const id = await assignRole(c, vaultId(sandbox), role, identity.principalId, {
        principalType: undefined,
        backoff: FAST.backoff,
        onRetry: (code, delayMs) => retries.push({ code, delayMs }),
      });
      assert.ok(id.includes('/providers/Microsoft.Authorization/roleAssignments/'));
      assert.ok(retries.length >= 2, JSON.stringify(retries));
      assert.ok(retries.every((x) => x.code === 'PrincipalNotFound'));
      assert.ok(retries[1]!.delayMs >= retries[0]!.delayMs, 'backoff grows');
      assert.ok(
        Date.now() - started < 1000 + FAST.backoff.maxMs + 3000,
        'retried with capped backoff, not a long fixed sleep',
      );
      // The whole chain (principalType: ServicePrincipal, as production sends) completes under the same knob.
      const { sandbox: s2, backend: b2 } = await provisionSandbox({
        knobs: { lroSeconds: 0.2, principalReplicationSeconds: 2 },
      });
      try {
        assertComplete((await applyPlan(b2, await planSetup(b2, tutorialInputs(s2)), FAST)).plan);
      } finally {
        await s2.close();
      }
    } finally {
      await sandbox.close();
    }
  });
});
