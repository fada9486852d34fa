import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  issuerDifference,
  matchCredential,
  matchServiceAccount,
  parseSubject,
  serviceAccountSubject,
  serviceAccountTrust,
  WORKLOAD_IDENTITY_AUDIENCE,
  type KnownIssuer,
} from '../../../src/azure/federationMatch';

const ISSUER = 'https://eastus.oic.prod-aks.azure.com/tenant/1111/';
const known: KnownIssuer[] = [
  {
    issuer: ISSUER,
    source: 'aks-demo',
    serviceAccounts: [
      { namespace: 'demo', name: 'workload-sa' },
      { namespace: 'default', name: 'default' },
    ],
  },
  { issuer: 'https://oidc.eks.us-west-2.amazonaws.com/id/ABC', source: 'eks' },
];
const cred = (
  issuer: string,
  subject = 'system:serviceaccount:demo:workload-sa',
  audiences = [WORKLOAD_IDENTITY_AUDIENCE],
) => ({ issuer, subject, audiences });

describe('federationMatch', () => {
  it('an exact issuer and an existing ServiceAccount give no warning', () => {
    const m = matchCredential(cred(ISSUER), known);
    assert.equal(m.issuer?.source, 'aks-demo');
    assert.deepEqual(m.warnings, []);
  });

  it('a missing trailing slash is a near miss, not a match', () => {
    const m = matchCredential(cred(ISSUER.slice(0, -1)), known);
    assert.equal(m.issuer, undefined);
    assert.equal(m.intended?.source, 'aks-demo');
    assert.deepEqual(
      m.warnings.map((w) => w.kind),
      ['issuerTrailingSlash'],
    );
  });

  it('an extra trailing slash is flagged too', () => {
    const m = matchCredential(cred('https://oidc.eks.us-west-2.amazonaws.com/id/ABC/'), known);
    assert.deepEqual(
      m.warnings.map((w) => w.kind),
      ['issuerTrailingSlash'],
    );
  });

  it('a case-only difference is flagged, with slash differences reported separately', () => {
    assert.deepEqual(
      matchCredential(cred(ISSUER.toUpperCase()), known).warnings.map((w) => w.kind),
      ['issuerCase'],
    );
    const both = matchCredential(cred(ISSUER.toUpperCase().slice(0, -1)), known);
    assert.deepEqual(both.warnings.map((w) => w.kind).sort(), ['issuerCase', 'issuerTrailingSlash']);
  });

  it('whitespace around the issuer is flagged', () => {
    assert.deepEqual(
      matchCredential(cred(` ${ISSUER}`), known).warnings.map((w) => w.kind),
      ['issuerWhitespace'],
    );
  });

  it('an issuer no cluster has is unknown', () => {
    const m = matchCredential(cred('https://example.com/other/'), known);
    assert.deepEqual(m.warnings, [{ kind: 'issuerUnknown', issuer: 'https://example.com/other/' }]);
  });

  it("the subject's ServiceAccount must exist on the matched cluster", () => {
    const m = matchCredential(cred(ISSUER, 'system:serviceaccount:demo:missing'), known);
    assert.deepEqual(m.warnings, [
      { kind: 'serviceAccountNotFound', namespace: 'demo', name: 'missing', source: 'aks-demo' },
    ]);
    const c = matchCredential(cred(ISSUER, 'system:serviceaccount:demo:Workload-SA'), known);
    assert.equal(c.warnings[0].kind, 'serviceAccountCase');
  });

  it('unknown ServiceAccount lists do not produce not-found warnings', () => {
    const m = matchCredential(
      cred('https://oidc.eks.us-west-2.amazonaws.com/id/ABC', 'system:serviceaccount:x:y'),
      known,
    );
    assert.deepEqual(m.warnings, []);
  });

  it('a subject that is not a ServiceAccount, and a wrong audience, are flagged', () => {
    const m = matchCredential(cred(ISSUER, 'repo:org/repo:ref:refs/heads/main', ['api://other']), known);
    assert.deepEqual(m.warnings.map((w) => w.kind).sort(), ['audience', 'subjectNotServiceAccount']);
  });

  it('parses and builds subjects', () => {
    assert.deepEqual(parseSubject('system:serviceaccount:ns:name'), { namespace: 'ns', name: 'name' });
    assert.equal(parseSubject('system:serviceaccount:ns'), undefined);
    assert.equal(parseSubject('system:serviceaccount:a:b:c'), undefined);
    assert.equal(serviceAccountSubject({ namespace: 'a', name: 'b' }), 'system:serviceaccount:a:b');
  });

  it('issuerDifference is undefined for different hosts', () => {
    assert.equal(issuerDifference('https://a/', 'https://b/'), undefined);
    assert.deepEqual(issuerDifference('https://a/', 'https://a/'), { slash: false, case: false, whitespace: false });
  });

  describe('matchServiceAccount', () => {
    const identities = [{ clientId: 'AAAA-1', name: 'id-demo', credentials: [cred(ISSUER)] }];
    it('matches exactly', () => {
      const m = matchServiceAccount({ namespace: 'demo', name: 'workload-sa', clientId: 'aaaa-1' }, ISSUER, identities);
      assert.equal(m.status, 'matched');
      assert.equal(m.credential?.issuer, ISSUER);
    });
    it('reports a near match, a missing credential, an unknown identity, no issuer and IRSA', () => {
      const near = [{ clientId: 'AAAA-1', name: 'id', credentials: [cred(ISSUER.slice(0, -1))] }];
      assert.equal(
        matchServiceAccount({ namespace: 'demo', name: 'workload-sa', clientId: 'AAAA-1' }, ISSUER, near).status,
        'nearMatch',
      );
      assert.equal(
        matchServiceAccount({ namespace: 'demo', name: 'other', clientId: 'AAAA-1' }, ISSUER, identities).status,
        'noCredential',
      );
      assert.equal(
        matchServiceAccount({ namespace: 'demo', name: 'workload-sa', clientId: 'bbbb' }, ISSUER, identities).status,
        'unknownIdentity',
      );
      assert.equal(
        matchServiceAccount({ namespace: 'demo', name: 'workload-sa', clientId: 'AAAA-1' }, undefined, identities)
          .status,
        'noIssuer',
      );
      assert.equal(
        matchServiceAccount(
          { namespace: 'demo', name: 's3', roleArn: 'arn:aws:iam::123456789012:role/x' },
          ISSUER,
          identities,
        ).status,
        'irsa',
      );
    });
  });
});

describe('serviceAccountTrust', () => {
  it("reports each credential for the ServiceAccount's subject, matched to the issuers", () => {
    const creds = [
      { name: 'ok', ...cred(ISSUER) },
      { name: 'noslash', ...cred(ISSUER.slice(0, -1)) },
      { name: 'other', ...cred(ISSUER, 'system:serviceaccount:demo:other') },
      { name: 'case', ...cred(ISSUER, 'system:serviceaccount:Demo:workload-sa') },
    ];
    const t = serviceAccountTrust({ namespace: 'demo', name: 'workload-sa' }, creds, known);
    assert.equal(t.subject, 'system:serviceaccount:demo:workload-sa');
    assert.deepEqual(
      t.trusts.map((x) => [x.credential.name, x.match.issuer?.source, x.match.warnings.map((w) => w.kind)]),
      [
        ['ok', 'aks-demo', []],
        ['noslash', undefined, ['issuerTrailingSlash']],
      ],
    );
    assert.deepEqual(
      t.nearSubjects.map((c) => c.name),
      ['case'],
    );
  });
});
