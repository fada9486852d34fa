import { ageSeconds, errorEvidence, msg, passed, result, skipAfter, type Check } from '../checkContext';
import type { RoleAssignmentObservation } from '../observation';

/** An assignment at a scope applies to that scope and everything below it (Azure RBAC scope inheritance). */
export function scopeCovers(assigned: string, target: string): boolean {
  const a = assigned.replace(/\/+$/, '').toLowerCase();
  const t = target.replace(/\/+$/, '').toLowerCase();
  return a === '' || t === a || t.startsWith(`${a}/`);
}

/** ARM permission patterns: `*` matches any run of characters, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}

export function grants(a: RoleAssignmentObservation, dataAction: string): boolean {
  return (
    a.dataActions.some((p) => actionMatches(p, dataAction)) &&
    !a.notDataActions.some((p) => actionMatches(p, dataAction))
  );
}

/** The identity's principal must hold, at or above the target, a role whose data actions include the one needed. */
export const checkRoleAssignment: Check = (c) => {
  const id = 'role-assignment';
  const { o } = c;
  if (!passed(c, 'identity') || !o.identity?.ok || !o.identity.value.identity) return skipAfter(c, id, 'identity');
  if (!o.resource) return result(id, 'skip', msg(c, 'skip.noTarget'), { reason: 'no target resource' });
  if (!o.resource.ok) {
    return result(id, 'warn', msg(c, 'observe.failed', o.resource.error.message), errorEvidence(o.resource));
  }
  const target = o.resource.value;
  if (!target) return result(id, 'skip', msg(c, 'skip.noTarget'), { reason: 'no target resource' });
  if (!o.roleAssignments) return skipAfter(c, id, 'identity');
  if (!o.roleAssignments.ok) {
    return result(
      id,
      'warn',
      msg(c, 'role.unreadable', o.roleAssignments.error.message),
      errorEvidence(o.roleAssignments),
    );
  }
  const covering = o.roleAssignments.value.filter((a) => scopeCovers(a.scope, target.scope));
  const evidence = {
    principalId: o.identity.value.identity.principalId,
    target: target.scope,
    targetFrom: target.source === 'user' ? '--scope' : (target.from ?? 'pod environment'),
    dataAction: target.dataAction ?? null,
    assignments: o.roleAssignments.value.map((a) => ({
      role: a.roleName,
      scope: a.scope,
      covers: scopeCovers(a.scope, target.scope),
    })),
  };
  const granting = target.dataAction ? covering.filter((a) => grants(a, target.dataAction!)) : covering;
  if (!granting.length) {
    return result(id, 'fail', msg(c, 'role.none', target.scope, target.dataAction ?? 'a role'), evidence, {
      fix: 'role-assignment',
    });
  }
  // The oldest granting assignment decides: if it is settled, access does not wait on propagation.
  const best = [...granting].sort((x, y) => (x.createdAt ?? 0) - (y.createdAt ?? 0))[0]!;
  const age = ageSeconds(o.now, best.createdAt);
  const windowS = Math.round(o.propagation.roleMs / 1000);
  const accessed = o.resourceAccess?.ok === true && o.resourceAccess.value.status === 200;
  const withRole = { ...evidence, granting: { role: best.roleName, scope: best.scope, ageSeconds: age ?? null } };
  if (age !== undefined && age * 1000 < o.propagation.roleMs && !accessed) {
    return result(id, 'warn', msg(c, 'role.young', best.roleName, best.scope, age, windowS), withRole, {
      propagation: true,
      fix: 'propagation',
    });
  }
  return result(
    id,
    'pass',
    target.dataAction
      ? msg(c, 'role.ok', best.roleName, best.scope, target.dataAction)
      : msg(c, 'role.okAny', best.roleName, best.scope),
    withRole,
  );
};
