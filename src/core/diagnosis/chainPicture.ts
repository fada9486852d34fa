import type { Diagnosis } from './runChecks';
import { redactValue } from './redact';
import type { CheckId, CheckResult, CheckStatus, Evidence, FixStepId } from './types';

/**
 * The report's picture: two rows of nodes joined by links. The Azure row follows the trust from
 * the cluster's issuer to the resource the workload reads; the Kubernetes row from the
 * ServiceAccount to its pods. Each link carries the checks that judge it, its colour is the worst
 * of them, and its evidence is theirs (redacted), for the hover.
 */
export type LinkColour = 'green' | 'amber' | 'red' | 'grey';

export type ChainNodeId = 'issuer' | 'credential' | 'identity' | 'role' | 'resource' | 'serviceAccount' | 'pods';

export interface ChainLink {
  readonly from: ChainNodeId;
  readonly to: ChainNodeId;
  readonly colour: LinkColour;
  readonly checks: ReadonlyArray<{
    readonly id: CheckId;
    readonly status: CheckStatus;
    readonly summary: string;
    readonly evidence: Evidence;
  }>;
  /** The provisioning step that repairs it (first broken check's), unless propagation explains it. */
  readonly fix?: FixStepId;
  /** A propagation delay explains the warning: Re-check, not Fix. */
  readonly propagation: boolean;
}

export interface ChainPicture {
  readonly azure: readonly ChainNodeId[];
  readonly kubernetes: readonly ChainNodeId[];
  readonly links: readonly ChainLink[];
}

export const AZURE_ROW: readonly ChainNodeId[] = ['issuer', 'credential', 'identity', 'role', 'resource'];
export const KUBERNETES_ROW: readonly ChainNodeId[] = ['serviceAccount', 'pods'];

/** Which checks judge which link; every check appears exactly once (a unit test holds this). */
export const LINK_CHECKS: ReadonlyArray<readonly [ChainNodeId, ChainNodeId, readonly CheckId[]]> = [
  ['issuer', 'credential', ['cluster.oidc-issuer', 'issuer.discovery']],
  ['credential', 'identity', ['federated-credential', 'token-exchange']],
  ['identity', 'role', ['identity', 'role-assignment']],
  ['role', 'resource', ['resource-access']],
  ['serviceAccount', 'pods', ['serviceaccount', 'cluster.workload-identity', 'pods', 'token-request']],
];

const RANK: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

function colourOf(checks: readonly CheckResult[]): LinkColour {
  const ran = checks.filter((c) => c.status !== 'skip');
  if (ran.length === 0) return 'grey'; // every check skipped: an earlier link failed
  const worst = ran.reduce((a, c) => (RANK[c.status] > RANK[a.status] ? c : a));
  return worst.status === 'fail' ? 'red' : worst.status === 'warn' ? 'amber' : 'green';
}

export function chainPicture(d: Diagnosis): ChainPicture {
  const byId = new Map(d.checks.map((c) => [c.id, c]));
  const links = LINK_CHECKS.map(([from, to, ids]): ChainLink => {
    const checks = ids.map((id) => byId.get(id)).filter((c): c is CheckResult => c !== undefined);
    const broken =
      checks.find((c) => c.status === 'fail' && c.fix && !c.propagation) ??
      checks.find((c) => c.status === 'warn' && c.fix && !c.propagation);
    return {
      from,
      to,
      colour: colourOf(checks),
      checks: checks.map((c) => ({
        id: c.id,
        status: c.status,
        summary: c.summary,
        evidence: redactValue(c.evidence) as Evidence,
      })),
      ...(broken?.fix ? { fix: broken.fix } : {}),
      propagation: checks.some((c) => c.propagation === true && c.status !== 'pass'),
    };
  });
  return { azure: AZURE_ROW, kubernetes: KUBERNETES_ROW, links };
}
