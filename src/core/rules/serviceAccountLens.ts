/** The lens above every ServiceAccount: its client ID, its IRSA role, or an "Add client ID…" action. */
import { isGuid, shortGuid } from '../guid';
import type { K8sObject } from '../k8sModel';
import { ensurePath, quoted, toTextEdit } from '../textEdits';
import { getNode, scalarText } from '../yamlModel';
import { CLIENT_ID_ANNOTATION, ROLE_ARN } from './keys';
import type { RuleContext } from './ruleContext';

export function serviceAccountLens(ctx: RuleContext, obj: K8sObject): void {
  const annotations = getNode(obj.metadata, 'annotations');
  const clientId = scalarText(getNode(annotations, CLIENT_ID_ANNOTATION));
  const roleArn = scalarText(getNode(annotations, ROLE_ARN));
  const offset = obj.base + obj.node.start;
  if (clientId !== undefined) {
    ctx.lenses.push({
      offset,
      kind: 'serviceAccount',
      title: isGuid(clientId) ? ctx.t('lens.annotated', shortGuid(clientId)) : ctx.t('lens.clientIdInvalid'),
    });
    return;
  }
  if (roleArn !== undefined) {
    ctx.lenses.push({
      offset,
      kind: 'serviceAccount',
      title: ctx.t('lens.irsa', roleArn.slice(roleArn.lastIndexOf('/') + 1)),
    });
    return;
  }
  const fix = ctx.clientIdFix(ctx.t('fix.annotate', obj.name ?? ''), (id) => {
    const edit = ensurePath(
      ctx.src,
      obj.base,
      obj.node,
      ['metadata', 'annotations'],
      [CLIENT_ID_ANNOTATION, quoted(id)],
    );
    return edit ? [toTextEdit(ctx.src, edit)] : [];
  });
  ctx.lenses.push({
    offset,
    kind: 'serviceAccount',
    title: ctx.t('lens.notAnnotated'),
    fix,
    tooltip: ctx.t('fix.annotate', obj.name ?? ''),
  });
}
