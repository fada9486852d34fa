/** Input checks before any call: a bad name gets one clear message and nothing is sent. */
import { pmsg } from '../core/provision/messages';
import {
  credentialNameProblem,
  identityNameProblem,
  namespaceProblem,
  resourceGroupProblem,
  scopeProblem,
  serviceAccountProblem,
  type NameProblem,
} from '../core/provision/names';
import type { SetupInputs } from '../core/provision/plan';

export class InvalidInput extends Error {
  override readonly name = 'InvalidInput';
  constructor(
    readonly problem: NameProblem,
    message: string,
  ) {
    super(message);
  }
  static is(e: unknown): e is InvalidInput {
    return e instanceof Error && e.name === 'InvalidInput';
  }
}

export function inputProblems(
  i: SetupInputs,
  need: { identity?: boolean; serviceAccount?: boolean } = { identity: true, serviceAccount: true },
): NameProblem[] {
  const out: Array<NameProblem | undefined> = [
    resourceGroupProblem(i.resourceGroup),
    i.identityResourceGroup !== undefined ? resourceGroupProblem(i.identityResourceGroup) : undefined,
  ];
  if (!/^[0-9a-fA-F-]{36}$/.test(i.subscriptionId)) {
    out.push({ field: 'subscriptionId', id: 'name.scope', args: [`/subscriptions/${i.subscriptionId}`] });
  }
  if (need.identity !== false) out.push(identityNameProblem(i.identityName));
  if (need.serviceAccount !== false) out.push(namespaceProblem(i.namespace), serviceAccountProblem(i.serviceAccount));
  if (i.credentialName !== undefined) out.push(credentialNameProblem(i.credentialName));
  if (i.scope !== undefined) out.push(scopeProblem(i.scope));
  if (i.sample?.podName !== undefined) out.push(serviceAccountProblem(i.sample.podName));
  return out.filter((p): p is NameProblem => p !== undefined);
}

export function assertInputs(i: SetupInputs, need?: { identity?: boolean; serviceAccount?: boolean }): void {
  const [first] = inputProblems(i, need);
  if (first) throw new InvalidInput(first, pmsg(i.locale, first.id, ...first.args));
}
