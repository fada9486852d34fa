import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chainPicture, LINK_CHECKS } from '../../../src/core/diagnosis/chainPicture';
import type { Diagnosis } from '../../../src/core/diagnosis/runChecks';
import { CHECK_IDS } from '../../../src/core/diagnosis/types';
import { diagnoseServiceAccount } from '../../../src/diagnosis/session';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { reportHtml, type ReportLabels } from '../../../src/vscode/diagnosis/reportHtml';
import { startDoctorHarness, type DoctorHarness } from './doctorHarness';

const opts = { resourceGroup: SCENARIO.resourceGroup, cluster: SCENARIO.clusterWithIssuer };
const LABELS: ReportLabels = {
  title: 'T',
  azure: 'Azure',
  kubernetes: 'Kubernetes',
  nodes: {
    issuer: 'Cluster issuer',
    credential: 'Federated credential',
    identity: 'Identity',
    role: 'Role',
    resource: 'Resource',
    serviceAccount: 'ServiceAccount',
    pods: 'Pods',
  },
  colours: { green: 'works', amber: 'warning', red: 'broken', grey: 'not checked' },
  verdict: 'v',
  fix: 'Fix',
  recheck: 'Re-check',
  copy: 'Copy report',
  checking: 'Checking…',
  checks: 'Checks',
};

describe('the report picture', () => {
  let h: DoctorHarness;
  let broken: Diagnosis;
  let working: Diagnosis;
  before(async () => {
    h = await startDoctorHarness();
    const b = await h.msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.brokenIdentity);
    await h.serviceAccount(SCENARIO.brokenServiceAccount, b.clientId!);
    const w = await h.msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);
    await h.serviceAccount(SCENARIO.serviceAccount, w.clientId!);
    await h.pod('working-app', SCENARIO.serviceAccount);
    [broken, working] = await Promise.all([
      diagnoseServiceAccount(h.backend, opts, 'default', SCENARIO.brokenServiceAccount),
      diagnoseServiceAccount(h.backend, opts, 'default', SCENARIO.serviceAccount),
    ]);
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('every check judges exactly one link', () => {
    const ids = LINK_CHECKS.flatMap(([, , checks]) => checks);
    assert.deepEqual([...ids].sort(), [...CHECK_IDS].sort());
  });

  it('the trailing-slash credential turns the credential → identity link red with the credential step as its fix; the issuer link stays green', () => {
    const p = chainPicture(broken);
    const link = (from: string) => p.links.find((l) => l.from === from)!;
    assert.equal(link('credential').colour, 'red');
    assert.equal(link('credential').fix, 'federated-credential');
    assert.deepEqual(
      link('credential').checks.map((c) => c.id),
      ['federated-credential', 'token-exchange'],
    );
    assert.equal(link('issuer').colour, 'green');
    assert.equal(link('issuer').fix, undefined);
  });

  it('a working chain is green on every link, with no Fix', () => {
    const p = chainPicture(working);
    assert.deepEqual(
      p.links.map((l) => l.colour),
      ['green', 'green', 'green', 'green', 'green'],
      JSON.stringify(working.checks.filter((c) => c.status !== 'pass')),
    );
    assert.ok(p.links.every((l) => l.fix === undefined));
  });

  it('evidence shown on hover is redacted', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlLXZhbHVl';
    const d: Diagnosis = {
      ...broken,
      checks: broken.checks.map((c) =>
        c.id === 'token-request' ? { ...c, evidence: { ...c.evidence, token: jwt, note: `Bearer ${jwt}` } } : c,
      ),
    };
    const html = reportHtml(d, chainPicture(d), LABELS, 'NONCE123', 'vscode-resource:', false);
    assert.ok(!html.includes(jwt));
    assert.match(html, /\[redacted/);
  });

  it('the page: strict CSP by nonce, nothing remote, no inline handlers, one Fix button on the red link', () => {
    const html = reportHtml(broken, chainPicture(broken), LABELS, 'NONCE123', 'vscode-resource:', false);
    assert.match(
      html,
      /default-src 'none'; img-src vscode-resource:; style-src 'nonce-NONCE123'; script-src 'nonce-NONCE123';/,
    );
    assert.equal((html.match(/<script /g) ?? []).length, (html.match(/<script nonce="NONCE123">/g) ?? []).length);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /(src|href)="https?:/);
    const fixes = [...html.matchAll(/class="fix" data-link="(\d+)" data-fix="([^"]+)"/g)].map((m) => [
      Number(m[1]),
      m[2],
    ]);
    assert.deepEqual(fixes, [[1, 'federated-credential']]);
    // While re-checking, no Fix and no Re-check to press twice.
    const busy = reportHtml(broken, chainPicture(broken), LABELS, 'N', 'c', true);
    assert.doesNotMatch(busy, /class="fix"|id="recheck"/);
  });

  it('the checks table shows each status in the display language', () => {
    const ko = { ...LABELS, statuses: { pass: '통과', fail: '실패', skip: '건너뜀', warn: '경고' } };
    const html = reportHtml(broken, chainPicture(broken), ko, 'N', 'c', false);
    assert.match(html, /<tr class="fail"><td>실패<\/td><td><code>federated-credential<\/code>/);
    assert.doesNotMatch(html, /<td>(pass|fail|skip|warn)<\/td>/);
  });
});
