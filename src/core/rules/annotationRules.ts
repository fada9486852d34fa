/**
 * Per-object checks of `azure.workload.identity/*` and `eks.amazonaws.com/role-arn` keys: that the
 * key exists, sits on an object the webhook reads it from, and has a valid value (Azure/azure-workload-identity
 * pkg/webhook/consts.go; aws/amazon-eks-pod-identity-webhook README.md). Also AAD Pod Identity resources.
 */
import { isGuid, looksLikeVariable } from '../guid';
import type { K8sObject } from '../k8sModel';
import type { Fix } from '../findings';
import { quoted, removePair, toTextEdit } from '../textEdits';
import { getNode, isMap, isScalar, scalarText } from '../yamlModel';
import type { YMap, YPair } from '../yamlModel';
import {
  CLIENT_ID_ANNOTATION,
  INJECT_PROXY_SIDECAR_ANNOTATION,
  KNOWN_WI_KEYS,
  POD_ANNOTATION_KEYS,
  PROXY_SIDECAR_PORT_ANNOTATION,
  ROLE_ARN,
  SERVICE_ACCOUNT_KEYS,
  TENANT_ID_ANNOTATION,
  TOKEN_EXPIRATION_ANNOTATION,
  USE_LABEL,
  WI_PREFIX,
  nearestKey,
} from './keys';
import { annotationToLabelFix } from './podTemplateRules';
import type { RuleContext } from './ruleContext';

/** arn:<partition>:iam::<12-digit account>:role/<path/name> (IAM role names: [\w+=,.@-], path segments too). */
const ROLE_ARN_RE = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

const POD_IDENTITY_KINDS = new Set(['AzureIdentity', 'AzureIdentityBinding', 'AzurePodIdentityException']);
const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

type Level = 'serviceAccount' | 'pod' | 'workload' | 'other';

interface KeyMap {
  readonly map: YMap;
  readonly labels: boolean;
  readonly level: Level;
  /** The object kind named in messages ("pod template" for a template). */
  readonly what: string;
}

export function checkObjectKeys(ctx: RuleContext, obj: K8sObject): void {
  if (POD_IDENTITY_KINDS.has(obj.kind) && obj.apiVersion.startsWith('aadpodidentity.k8s.io')) {
    ctx.report(
      'podidentity/deprecated-resource',
      obj.base + obj.kindNode.start,
      obj.base + obj.kindNode.end,
      ctx.t('deprecatedResource', obj.kind),
    );
  }
  const level: Level =
    obj.kind === 'ServiceAccount'
      ? 'serviceAccount'
      : obj.kind === 'Pod'
        ? 'pod'
        : WORKLOAD_KINDS.has(obj.kind)
          ? 'workload'
          : 'other';
  const maps: KeyMap[] = [];
  const add = (node: ReturnType<typeof getNode>, labels: boolean, lvl: Level, what: string): void => {
    if (isMap(node)) maps.push({ map: node, labels, level: lvl, what });
  };
  add(getNode(obj.metadata, 'annotations'), false, level, obj.kind);
  add(getNode(obj.metadata, 'labels'), true, level, obj.kind);
  const t = obj.podTemplate;
  if (t && !t.isPod) {
    add(getNode(t.metadata, 'annotations'), false, 'pod', 'pod template');
    add(getNode(t.metadata, 'labels'), true, 'pod', 'pod template');
  }
  for (const km of maps) {
    for (const pair of km.map.pairs) {
      if (pair.key.startsWith(WI_PREFIX)) checkWiKey(ctx, obj, km, pair);
      else if (pair.key === ROLE_ARN && !km.labels && km.level === 'serviceAccount') checkRoleArn(ctx, obj, pair);
    }
  }
}

function keyRange(obj: K8sObject, pair: YPair): [number, number] {
  return [obj.base + pair.keyStart, obj.base + pair.keyEnd];
}

function valueRange(obj: K8sObject, pair: YPair): [number, number] {
  return pair.value ? [obj.base + pair.value.start, obj.base + pair.value.end] : keyRange(obj, pair);
}

function renderKey(pair: YPair, key: string): string {
  if (pair.keyStyle === 'double') return quoted(key);
  if (pair.keyStyle === 'single') return `'${key}'`;
  return key;
}

function checkWiKey(ctx: RuleContext, obj: K8sObject, km: KeyMap, pair: YPair): void {
  const key = pair.key;
  if (!KNOWN_WI_KEYS.includes(key)) {
    const suggestion = nearestKey(key);
    const [s, e] = keyRange(obj, pair);
    // A misspelt use label among annotations: renaming it would give an annotation the webhook
    // ignores just the same; the fix puts the label on the pod template instead.
    const metadata = getNode(obj.metadata, 'annotations') === km.map ? obj.metadata : obj.podTemplate?.metadata;
    if (
      suggestion === USE_LABEL &&
      !km.labels &&
      obj.podTemplate &&
      isMap(metadata) &&
      (km.level === 'pod' || km.level === 'workload')
    ) {
      ctx.report('wi/unknown-key', s, e, ctx.t('unknownKey.useAnnotation', key), [
        annotationToLabelFix(ctx, obj.podTemplate, metadata, km.map, pair),
      ]);
      return;
    }
    const fix = suggestion
      ? ctx.fix(ctx.t('fix.renameKey', suggestion), [{ start: s, end: e, newText: renderKey(pair, suggestion) }], true)
      : undefined;
    ctx.report(
      'wi/unknown-key',
      s,
      e,
      suggestion ? ctx.t('unknownKey', key, suggestion) : ctx.t('unknownKey.noSuggestion', key),
      [fix],
    );
    return;
  }
  const [ks, ke] = keyRange(obj, pair);
  if (key === USE_LABEL) {
    // On pods and workloads the pod-template rules judge placement; a ServiceAccount label is a
    // harmless leftover of pre-1.0 docs.
    if (km.level === 'other') ctx.report('wi/client-id-wrong-kind', ks, ke, ctx.t('wrongKind.useLabel', km.what));
    return;
  }
  if (km.labels) {
    ctx.report('wi/client-id-wrong-kind', ks, ke, ctx.t('wrongKind.labelNotAnnotation', key));
    return;
  }
  if (
    km.level !== 'serviceAccount' &&
    SERVICE_ACCOUNT_KEYS.has(key) &&
    !(km.level === 'pod' && POD_ANNOTATION_KEYS.has(key))
  ) {
    ctx.report('wi/client-id-wrong-kind', ks, ke, ctx.t('wrongKind.clientId', key, km.what), [
      key === CLIENT_ID_ANNOTATION ? moveClientIdFix(ctx, obj, km, pair) : undefined,
    ]);
  } else if (
    km.level !== 'pod' &&
    POD_ANNOTATION_KEYS.has(key) &&
    !(km.level === 'serviceAccount' && SERVICE_ACCOUNT_KEYS.has(key))
  ) {
    ctx.report('wi/client-id-wrong-kind', ks, ke, ctx.t('wrongKind.podAnnotation', key, km.what));
  }
  checkValue(ctx, obj, km, pair);
}

/**
 * client-id on a pod (template) or workload: put it on the pod's ServiceAccount when that one has
 * none. Same file: one fix moves it; another file: the fix annotates that file (Fix.uri).
 */
function moveClientIdFix(ctx: RuleContext, obj: K8sObject, km: KeyMap, pair: YPair): Fix | undefined {
  const t = obj.podTemplate;
  const value = scalarText(pair.value);
  if (!t || value === undefined || !isGuid(value)) return undefined;
  const saName =
    scalarText(getNode(t.spec, 'serviceAccountName')) || scalarText(getNode(t.spec, 'serviceAccount')) || 'default';
  const sa = ctx.index.serviceAccount(obj.namespace, saName, ctx.uri);
  if (!sa || sa.clientId !== undefined || !sa.annotate) return undefined;
  const annotate = sa.annotate(value);
  if (annotate.length === 0) return undefined;
  if (sa.uri !== ctx.uri) return { title: ctx.t('fix.copyToServiceAccount', saName), edits: annotate, uri: sa.uri };
  const remove = removePair(ctx.src, obj.base, km.map, pair);
  if (!remove) return undefined;
  return {
    title: ctx.t('fix.moveToServiceAccount', saName),
    edits: [toTextEdit(ctx.src, remove), ...annotate],
    isPreferred: true,
  };
}

function checkValue(ctx: RuleContext, obj: K8sObject, km: KeyMap, pair: YPair): void {
  const key = pair.key;
  const v = pair.value;
  const text = scalarText(v) ?? '';
  const [s, e] = valueRange(obj, pair);
  const nonString = isScalar(v) && typeof v.value !== 'string' && v.value !== null;
  const quoteFix = (): ReturnType<RuleContext['fix']> =>
    isScalar(v)
      ? ctx.fix(ctx.t('fix.quote'), [{ start: obj.base + v.start, end: obj.base + v.end, newText: quoted(text) }], true)
      : undefined;
  const typeName = isScalar(v) ? (typeof v.value === 'boolean' ? 'boolean' : 'number') : '';
  switch (key) {
    case CLIENT_ID_ANNOTATION:
    case TENANT_ID_ANNOTATION: {
      const rule = key === CLIENT_ID_ANNOTATION ? 'wi/client-id-invalid' : 'wi/tenant-id-invalid';
      if (!isGuid(text)) {
        const msg =
          key === CLIENT_ID_ANNOTATION && looksLikeVariable(text)
            ? ctx.t('clientIdInvalid.variable', text)
            : ctx.t(key === CLIENT_ID_ANNOTATION ? 'clientIdInvalid' : 'tenantIdInvalid', text);
        ctx.report(rule, s, e, msg);
      }
      return;
    }
    case TOKEN_EXPIRATION_ANNOTATION: {
      const n = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!(n >= 3600 && n <= 86400)) {
        ctx.report('wi/token-expiration-invalid', s, e, ctx.t('tokenExpirationInvalid', text));
      } else if (nonString) {
        ctx.report('wi/token-expiration-invalid', s, e, ctx.t('notString', text, typeName), [quoteFix()]);
      }
      return;
    }
    case PROXY_SIDECAR_PORT_ANNOTATION: {
      const n = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!(n >= 1 && n <= 65535)) ctx.report('wi/proxy-sidecar-invalid', s, e, ctx.t('proxyPortInvalid', text));
      else if (nonString) {
        ctx.report('wi/proxy-sidecar-invalid', s, e, ctx.t('notString', text, typeName), [quoteFix()]);
      }
      return;
    }
    case INJECT_PROXY_SIDECAR_ANNOTATION: {
      // webhook.go checks only that the key is present: "false" still injects the sidecar.
      if (text.toLowerCase() === 'false') {
        const rm = removePair(ctx.src, obj.base, km.map, pair);
        ctx.report(
          'wi/proxy-sidecar-invalid',
          s,
          e,
          ctx.t('proxyInjectFalse', text),
          [ctx.fix(ctx.t('fix.removeAnnotation'), [rm], true)],
          'warning',
        );
      } else if (nonString) {
        ctx.report('wi/proxy-sidecar-invalid', s, e, ctx.t('notString', text, typeName), [quoteFix()]);
      }
      return;
    }
    default:
      return;
  }
}

function checkRoleArn(ctx: RuleContext, obj: K8sObject, pair: YPair): void {
  const text = scalarText(pair.value) ?? '';
  if (!ROLE_ARN_RE.test(text)) {
    const [s, e] = valueRange(obj, pair);
    ctx.report('irsa/role-arn-invalid', s, e, ctx.t('roleArnInvalid', text));
  }
}
