/**
 * Step `federated-credential`: a credential on the identity that trusts the cluster's issuer and
 * the ServiceAccount's subject, audience `api://AzureADTokenExchange`. The service keys a
 * credential on (issuer, subject): an existing one is found by those, whatever its name; at most
 * 20 per identity (learn.microsoft.com, "Workload identity federation: considerations").
 */
import { cmd } from '../shell';
import { MAX_CREDENTIALS_PER_IDENTITY, WI_AUDIENCE, type PlanStep } from '../plan';
import { blocked, deps, t, type StepContext } from './stepContext';

export function credentialFor(ctx: StepContext, issuer: string | undefined) {
  return ctx.obs.credentials?.find((c) => c.issuer === issuer && c.subject === ctx.subject);
}

export function federatedCredentialStep(ctx: StepContext): PlanStep {
  const { inputs, obs } = ctx;
  const issuer = obs.cluster?.issuerUrl;
  const found = issuer ? credentialFor(ctx, issuer) : undefined;
  const name = found?.name ?? ctx.credentialName;
  const count = obs.credentials?.length ?? 0;
  const notes = [t(ctx, 'note.credentialCount', count)];
  if (found && found.name !== ctx.credentialName) notes.push(t(ctx, 'note.foundByIssuerSubject', found.name));
  const base: Omit<PlanStep, 'state'> = {
    id: 'federated-credential',
    title: t(ctx, 'step.credential', name),
    dependsOn: deps('identity', 'cluster.oidc-issuer'),
    changes: found
      ? []
      : [
          { field: 'name', after: name },
          { field: 'issuer', after: issuer ?? '${AKS_OIDC_ISSUER}' },
          { field: 'subject', after: ctx.subject },
          { field: 'audiences', after: WI_AUDIENCE },
        ],
    equivalent: cmd(
      'az',
      'identity',
      'federated-credential',
      'create',
      '--name',
      name,
      '--identity-name',
      inputs.identityName,
      '--resource-group',
      ctx.identityGroup,
      '--issuer',
      issuer ?? '${AKS_OIDC_ISSUER}',
      '--subject',
      ctx.subject,
      '--audience',
      WI_AUDIENCE,
    ),
    resource: `${ctx.identityId}/federatedIdentityCredentials/${name}`,
    notes,
  };
  if (found) return { ...base, state: 'done' };
  if (count >= MAX_CREDENTIALS_PER_IDENTITY) {
    return blocked(
      base,
      t(ctx, 'blocked.credentialLimit', inputs.identityName, count),
      t(ctx, 'unblock.credentialLimit'),
    );
  }
  if (obs.clusterMissing) {
    return blocked(
      base,
      t(ctx, 'blocked.clusterNotFound', inputs.clusterName, inputs.resourceGroup),
      t(ctx, 'unblock.clusterNotFound'),
    );
  }
  return { ...base, state: 'todo' };
}
