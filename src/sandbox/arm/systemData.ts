import type { SandboxContext } from '../context';
import { checkBearer } from '../entra/accessTokens';
import { ARM_AUDIENCES } from '../entra/resources';
import type { SandboxRequest } from '../http';

/**
 * ARM's `systemData` (azure-resource-manager-rpc, "Resource API reference": system metadata):
 * who created and last modified a resource and when. For an app-only token the actor is the
 * application's client ID and its type `Application`.
 */
export interface SystemData {
  createdBy: string;
  createdByType: string;
  createdAt: string;
  lastModifiedBy: string;
  lastModifiedByType: string;
  lastModifiedAt: string;
}

export function touchSystemData(
  ctx: SandboxContext,
  req: SandboxRequest,
  previous: SystemData | undefined,
): SystemData {
  const check = checkBearer(ctx, req.headers.authorization, ARM_AUDIENCES);
  const actor = check.ok && typeof check.claims.appid === 'string' ? check.claims.appid : '';
  const at = new Date(ctx.now()).toISOString();
  return {
    createdBy: previous?.createdBy ?? actor,
    createdByType: previous?.createdByType ?? 'Application',
    createdAt: previous?.createdAt ?? at,
    lastModifiedBy: actor,
    lastModifiedByType: 'Application',
    lastModifiedAt: at,
  };
}

/** For a resource the scenario seeds: created and last modified by the developer at `ms`. */
export function seededSystemData(developerClientId: string, ms: number): SystemData {
  const at = new Date(ms).toISOString();
  return {
    createdBy: developerClientId,
    createdByType: 'Application',
    createdAt: at,
    lastModifiedBy: developerClientId,
    lastModifiedByType: 'Application',
    lastModifiedAt: at,
  };
}
