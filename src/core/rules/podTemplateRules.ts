/**
 * Rules on one pod template (Azure/azure-workload-identity pkg/webhook/webhook.go): the webhook's
 * objectSelector matches the pod's label `azure.workload.identity/use: "true"`; no
 * serviceAccountName means the namespace's `default`; the client ID comes from the
 * ServiceAccount's annotation. Also the AAD Pod Identity label and its migration.
 */
import type { Fix, Location, TextEdit } from '../findings';
import { isGuid, shortGuid } from '../guid';
import { containerNames } from '../k8sModel';
import type { PodTemplate } from '../k8sModel';
import { ensurePath, quoted, removePair, toTextEdit } from '../textEdits';
import type { OffsetEdit } from '../textEdits';
import { getNode, getPair, isMap, isScalar, scalarText } from '../yamlModel';
import type { YMap, YPair } from '../yamlModel';
import {
  INJECT_PROXY_SIDECAR_ANNOTATION,
  POD_IDENTITY_LABEL,
  SKIP_CONTAINERS_ANNOTATION,
  USE_LABEL,
  WI_PREFIX,
  CLIENT_ID_ANNOTATION,
  nearestKey,
} from './keys';
import type { RuleContext } from './ruleContext';

const TRUE_TEXT = '"true"';
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

interface Misplaced {
  readonly pair: YPair;
  readonly map: YMap;
  readonly where: 'metadata' | 'annotations' | 'selector';
  /** The `labels:`/`annotations:` pair holding `map`, removed with it when the label is its only entry. */
  readonly holder?: { readonly map: YMap; readonly pair: YPair };
}

function holder(map: YMap | undefined, key: string): Misplaced['holder'] {
  const pair = getPair(map, key);
  return map && pair ? { map, pair } : undefined;
}

/** Removes the misplaced label; when it was the map's only entry, the now-empty `annotations:` (or `labels:`) goes too. */
function removeMisplaced(ctx: RuleContext, base: number, m: Misplaced): OffsetEdit | undefined {
  const alone = m.map.pairs.length === 1 && !m.map.flow && m.holder && !m.holder.map.flow;
  return (
    (alone && removePair(ctx.src, base, m.holder!.map, m.holder!.pair)) || removePair(ctx.src, base, m.map, m.pair)
  );
}

function keyRange(base: number, pair: YPair): [number, number] {
  return [base + pair.keyStart, base + pair.keyEnd];
}

function valueRange(base: number, pair: YPair): [number, number] {
  return pair.value ? [base + pair.value.start, base + pair.value.end] : keyRange(base, pair);
}

/**
 * An annotation whose key misspells the use label (`azure.workload.identity/used`) on the pod
 * (template) or its workload. The webhook selects pods by a label, never an annotation, so the
 * fix for it is the label on the pod template, not a renamed annotation.
 */
export function misspelledUseAnnotation(t: PodTemplate): Misplaced | undefined {
  const places = [t.metadata, t.isPod ? undefined : t.owner.metadata];
  for (const metadata of places) {
    const annotations = getNode(metadata, 'annotations');
    if (!isMap(annotations)) continue;
    const pair = annotations.pairs.find(
      (p) => p.key !== USE_LABEL && p.key.startsWith(WI_PREFIX) && nearestKey(p.key) === USE_LABEL,
    );
    if (pair) return { pair, map: annotations, where: 'annotations', holder: holder(metadata as YMap, 'annotations') };
  }
  return undefined;
}

/** Removes the misspelled annotation and, unless the template has it already, adds the label `use: "true"`. */
export function useLabelFromAnnotationFix(ctx: RuleContext, t: PodTemplate, m: Misplaced): Fix | undefined {
  const base = t.owner.base;
  const remove = removeMisplaced(ctx, base, m);
  if (!remove) return undefined;
  if (getPair(getNode(t.metadata, 'labels'), USE_LABEL)) return ctx.fix(ctx.t('fix.annotationToLabel'), [remove], true);
  let add = ensurePath(ctx.src, base, t.map, ['metadata', 'labels'], [USE_LABEL, TRUE_TEXT]);
  if (add && add.start >= remove.start && add.start <= remove.end) {
    const at = ctx.src.lines.lineEnd(ctx.src.lines.lineOf(remove.start) - 1);
    add = { ...add, start: at, end: at };
  }
  return ctx.fix(ctx.t('fix.annotationToLabel'), [add, remove], true);
}

/** The same fix for one annotation pair of `metadata` (the pod template's or its workload's). */
export function annotationToLabelFix(
  ctx: RuleContext,
  t: PodTemplate,
  metadata: YMap,
  map: YMap,
  pair: YPair,
): Fix | undefined {
  return useLabelFromAnnotationFix(ctx, t, {
    pair,
    map,
    where: 'annotations',
    holder: holder(metadata, 'annotations'),
  });
}

export function checkPodTemplate(ctx: RuleContext, t: PodTemplate): void {
  const owner = t.owner;
  const base = owner.base;
  const labelsNode = getNode(t.metadata, 'labels');
  const annotationsNode = getNode(t.metadata, 'annotations');
  const usePair = getPair(labelsNode, USE_LABEL);
  const misplaced: Misplaced[] = [];
  if (!usePair) {
    const ownerLabels = t.isPod ? undefined : getNode(owner.metadata, 'labels');
    const ownerPair = getPair(ownerLabels, USE_LABEL);
    if (ownerPair && isMap(ownerLabels)) {
      misplaced.push({
        pair: ownerPair,
        map: ownerLabels,
        where: 'metadata',
        holder: holder(owner.metadata, 'labels'),
      });
    }
    const annPair = getPair(annotationsNode, USE_LABEL);
    if (annPair && isMap(annotationsNode)) {
      misplaced.push({
        pair: annPair,
        map: annotationsNode,
        where: 'annotations',
        holder: holder(t.metadata, 'annotations'),
      });
    }
    const selector = t.isPod ? undefined : getNode(owner.node, 'spec', 'selector', 'matchLabels');
    const selPair = getPair(selector, USE_LABEL);
    if (selPair && isMap(selector)) misplaced.push({ pair: selPair, map: selector, where: 'selector' });
  }
  const wiAnnotations = isMap(annotationsNode)
    ? annotationsNode.pairs.filter((p) => p.key.startsWith(WI_PREFIX) && p.key !== USE_LABEL)
    : [];
  const intent = usePair !== undefined || misplaced.length > 0 || wiAnnotations.length > 0;

  const saPair = getPair(t.spec, 'serviceAccountName') ?? getPair(t.spec, 'serviceAccount');
  const saName = scalarText(saPair?.value) || 'default';
  const namespace = owner.namespace;
  const sa = ctx.index.serviceAccount(namespace, saName, ctx.uri);
  const saClientId = sa?.clientId;

  const addLabel = (): OffsetEdit | undefined =>
    ensurePath(ctx.src, base, t.map, ['metadata', 'labels'], [USE_LABEL, TRUE_TEXT]);
  const anchor = lensAnchor(t);
  const runsAs = { namespace, name: saName };
  const lens = (title: string, fix?: Fix, tooltip?: string, goto?: Location): void => {
    ctx.lenses.push({ offset: anchor, title, fix, tooltip, goto, kind: 'podTemplate', runsAs });
  };
  let lensDone = false;

  // podidentity/binding-label, with the migration fix.
  const bindingPair = getPair(labelsNode, POD_IDENTITY_LABEL);
  if (bindingPair && isMap(labelsNode)) {
    const migrate = migrationFix(ctx, t, labelsNode, bindingPair, usePair, saPair, saName);
    const [s, e] = keyRange(base, bindingPair);
    ctx.report('podidentity/binding-label', s, e, ctx.t('bindingLabel'), [migrate]);
    if (migrate) {
      lens(ctx.t('lens.podIdentity'), migrate, ctx.t('bindingLabel'));
      lensDone = true;
    }
  }

  // wi/use-label-not-true
  if (usePair) {
    const v = usePair.value;
    const ok = isScalar(v) && v.value === 'true' && v.style !== 'block';
    if (!ok) {
      const [s, e] = valueRange(base, usePair);
      const found = scalarText(v) ?? 'null';
      // Kubernetes decodes manifests with YAML 1.1 rules (sigs.k8s.io/yaml over go-yaml), where
      // yes/no/on/off are booleans too.
      const msg =
        isScalar(v) && typeof v.value === 'boolean'
          ? ctx.t('useLabelNotTrue.bool', found)
          : isScalar(v) && v.style === 'plain' && YAML11_BOOL.test(found)
            ? ctx.t('useLabelNotTrue.yaml11', found)
            : ctx.t('useLabelNotTrue.other', isScalar(v) && v.style !== 'plain' ? JSON.stringify(found) : found);
      const edit: OffsetEdit = v
        ? { start: base + v.start, end: base + v.end, newText: TRUE_TEXT }
        : { start: base + usePair.keyEnd + 1, end: base + usePair.keyEnd + 1, newText: ` ${TRUE_TEXT}` };
      const fix = ctx.fix(ctx.t('fix.setTrue'), [edit], true);
      ctx.report('wi/use-label-not-true', s, e, msg, [fix]);
      if (!lensDone) {
        lens(ctx.t('lens.labelNotTrue'), fix, msg);
        lensDone = true;
      }
    }
  }

  // wi/use-label-misplaced
  for (const m of misplaced) {
    const [s, e] = keyRange(base, m.pair);
    const msgId =
      m.where === 'metadata'
        ? 'useLabelMisplaced.metadata'
        : m.where === 'annotations'
          ? 'useLabelMisplaced.annotations'
          : 'useLabelMisplaced.selector';
    let add = addLabel();
    // The selector keeps its entry: it must keep matching the template's labels.
    const remove = m.where === 'selector' ? undefined : removeMisplaced(ctx, base, m);
    if (add && remove && add.start >= remove.start && add.start <= remove.end) {
      // Inserting after the removed line: anchor the insertion on the line before it instead.
      const at = ctx.src.lines.lineEnd(ctx.src.lines.lineOf(remove.start) - 1);
      add = { ...add, start: at, end: at };
    }
    const fix =
      m.where !== 'selector' && !remove
        ? undefined
        : ctx.fix(ctx.t(remove ? 'fix.moveLabel' : 'fix.copyLabel'), remove ? [add, remove] : [add], true);
    ctx.report('wi/use-label-misplaced', s, e, ctx.t(msgId, owner.kind), [fix]);
    if (!lensDone) {
      lens(ctx.t('lens.labelMisplaced'), fix, ctx.t(msgId, owner.kind));
      lensDone = true;
    }
  }

  // wi/use-label-missing
  if (!usePair && misplaced.length === 0 && (saClientId !== undefined || wiAnnotations.length > 0)) {
    const [s, e] = missingLabelRange(t);
    // With a misspelled use annotation, the same fix as wi/unknown-key's: one label, no leftover annotation.
    const misspelled = misspelledUseAnnotation(t);
    const fix = misspelled
      ? useLabelFromAnnotationFix(ctx, t, misspelled)
      : ctx.fix(ctx.t('fix.addLabel'), [addLabel()], true);
    const msg = saClientId !== undefined ? ctx.t('useLabelMissing.sa', saName) : ctx.t('useLabelMissing.annotations');
    ctx.report('wi/use-label-missing', s, e, msg, [fix]);
    if (!lensDone) {
      lens(ctx.t('lens.labelMissing'), fix, msg);
      lensDone = true;
    }
  }

  if (intent) {
    const saRange = saPair ? valueRange(base, saPair) : missingServiceAccountRange(t);
    if (saName === 'default') {
      const fixes = serviceAccountFixes(ctx, t, saPair);
      const msg = ctx.t(saPair ? 'serviceAccountDefault.explicit' : 'serviceAccountDefault.missing');
      ctx.report('wi/service-account-default', saRange[0], saRange[1], msg, fixes);
      if (!lensDone) {
        lens(ctx.t('lens.defaultServiceAccount'), fixes[0], msg);
        lensDone = true;
      }
    } else if (!sa) {
      const elsewhere = ctx.index.serviceAccountsNamed(saName).filter((s) => s.namespace !== namespace);
      const msg =
        elsewhere.length > 0
          ? ctx.t(
              'serviceAccountNotFound.elsewhere',
              saName,
              namespace,
              elsewhere[0].namespace,
              shortLocation(elsewhere[0].uri),
            )
          : ctx.t('serviceAccountNotFound', saName, namespace);
      ctx.report('wi/service-account-not-found', saRange[0], saRange[1], msg);
      if (!lensDone) {
        lens(ctx.t('lens.serviceAccountNotFound', saName, namespace), undefined, msg);
        lensDone = true;
      }
    }
    if (sa && saClientId === undefined) {
      const annotate = sa.annotate;
      const fix = annotate ? ctx.clientIdFix(ctx.t('fix.annotate', saName), (id) => annotate(id), sa.uri) : undefined;
      const msg = ctx.t('serviceAccountNotAnnotated', saName, namespace);
      ctx.report('wi/service-account-not-annotated', saRange[0], saRange[1], msg, [fix]);
      if (!lensDone) {
        lens(ctx.t('lens.notAnnotated'), fix, msg);
        lensDone = true;
      }
    }
  }

  checkSkipContainers(ctx, t, annotationsNode);
  checkHostNetwork(ctx, t, annotationsNode);

  if (!lensDone) {
    if (!intent) lens(ctx.t('lens.notEnabled'), ctx.fix(ctx.t('fix.addLabel'), [addLabel()], true));
    else if (saClientId !== undefined && isGuid(saClientId)) {
      // A ready pod's lens leads to the ServiceAccount that carries its client ID.
      const goto = sa?.position ? { uri: sa.uri, position: sa.position } : undefined;
      // "Ready" only if no error-severity finding lies in this object: finish() checks, once severities are final.
      ctx.lenses.push({
        offset: anchor,
        kind: 'podTemplate',
        runsAs,
        title: ctx.t('lens.ready', shortGuid(saClientId)),
        goto,
        tooltip: goto ? ctx.t('lens.openServiceAccount', namespace, saName) : undefined,
        readyUnlessErrorIn: [base + owner.node.start, base + owner.node.end],
      });
    } else if (saClientId !== undefined) lens(ctx.t('lens.clientIdInvalid'));
  }
}

/**
 * The folder and file name of a document (`app/serviceaccounts.yaml`): a full `file://` URI in a
 * one-line message is noise, and the core does not know the workspace root to make it relative.
 */
function shortLocation(uri: string): string {
  let path = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    /* keep the encoded form */
  }
  return path.split(/[\\/]/).filter(Boolean).slice(-2).join('/') || uri;
}

function lensAnchor(t: PodTemplate): number {
  return t.owner.base + (t.templatePair ? t.templatePair.keyStart : t.owner.node.start);
}

/** Where a missing label is reported: the template's `labels` key, else `metadata`, else `template`. */
function missingLabelRange(t: PodTemplate): [number, number] {
  const base = t.owner.base;
  const labels = t.metadata ? getPair(t.metadata, 'labels') : undefined;
  if (labels) return keyRange(base, labels);
  const metadata = getPair(t.map, 'metadata');
  if (metadata && !t.isPod) return keyRange(base, metadata);
  if (t.templatePair) return keyRange(base, t.templatePair);
  return [base + t.owner.kindNode.start, base + t.owner.kindNode.end];
}

function missingServiceAccountRange(t: PodTemplate): [number, number] {
  const base = t.owner.base;
  const spec = getPair(t.map, 'spec');
  if (spec) return keyRange(base, spec);
  return missingLabelRange(t);
}

function setServiceAccountEdit(
  ctx: RuleContext,
  t: PodTemplate,
  saPair: YPair | undefined,
  name: string,
): OffsetEdit | undefined {
  const base = t.owner.base;
  if (saPair?.value) return { start: base + saPair.value.start, end: base + saPair.value.end, newText: name };
  return ensurePath(ctx.src, base, t.map, ['spec'], ['serviceAccountName', name]);
}

/** "Set serviceAccountName: X" for the annotated ServiceAccounts of the namespace, else the workload's name. */
function serviceAccountFixes(ctx: RuleContext, t: PodTemplate, saPair: YPair | undefined): Array<Fix | undefined> {
  // Most likely first: the one named like the workload, then those defined in this file, then by name.
  const rank = (s: { name: string; uri: string }): number => (s.name === t.owner.name ? 0 : s.uri === ctx.uri ? 1 : 2);
  // Only ServiceAccounts whose client ID is a GUID: one with a display name or `${VAR}` would not work either.
  const candidates = ctx.index
    .serviceAccountsIn(t.owner.namespace)
    .filter((s) => s.clientId !== undefined && isGuid(s.clientId) && s.name !== 'default')
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const names = candidates.map((s) => s.name);
  if (names.length === 0 && t.owner.name) names.push(t.owner.name);
  return [...new Set(names)]
    .slice(0, 3)
    .map((name, i) =>
      ctx.fix(ctx.t('fix.setServiceAccount', name), [setServiceAccountEdit(ctx, t, saPair, name)], i === 0),
    );
}

function migrationFix(
  ctx: RuleContext,
  t: PodTemplate,
  labels: YMap,
  bindingPair: YPair,
  usePair: YPair | undefined,
  saPair: YPair | undefined,
  saName: string,
): Fix | undefined {
  const owner = t.owner;
  const base = owner.base;
  const src = ctx.src;
  const selector = scalarText(bindingPair.value);
  const identity = selector !== undefined ? ctx.index.identityForSelector(selector, owner.namespace) : undefined;
  const known = identity?.clientId !== undefined && isGuid(identity.clientId) ? identity.clientId : undefined;

  const build = (clientId: string): TextEdit[] | undefined => {
    const edits: OffsetEdit[] = [];
    // The label replaces the pod identity label in place (same line, same indentation).
    if (usePair) {
      const rm = removePair(src, base, labels, bindingPair);
      if (!rm) return undefined;
      edits.push(rm);
    } else {
      const end = bindingPair.value ? bindingPair.value.end : bindingPair.keyEnd + 1;
      edits.push({ start: base + bindingPair.keyStart, end: base + end, newText: `${USE_LABEL}: ${TRUE_TEXT}` });
    }
    const extra: TextEdit[] = [];
    if (saName !== 'default') {
      const sa = ctx.index.serviceAccount(owner.namespace, saName, ctx.uri);
      if (sa && sa.clientId === undefined && sa.annotate) extra.push(...inFile(ctx, sa.uri, sa.annotate(clientId)));
      else if (!sa) edits.push(appendServiceAccount(ctx, t, saName, clientId));
    } else {
      const name = owner.name ?? 'workload-identity';
      const existing = ctx.index.serviceAccount(owner.namespace, name, ctx.uri);
      const set = setServiceAccountEdit(ctx, t, saPair, name);
      if (!set) return undefined;
      edits.push(set);
      if (!existing) edits.push(appendServiceAccount(ctx, t, name, clientId));
      else if (existing.clientId === undefined && existing.annotate) {
        extra.push(...inFile(ctx, existing.uri, existing.annotate(clientId)));
      }
    }
    return [...edits.map((e) => toTextEdit(src, e)), ...extra];
  };

  if (known) {
    const edits = build(known);
    return edits ? { title: ctx.t('fix.migrate', shortGuid(known)), edits, isPreferred: true } : undefined;
  }
  if (!build('00000000-0000-0000-0000-000000000000')) return undefined;
  return ctx.clientIdFix(ctx.t('fix.migrateAsk'), (id) => build(id) ?? []);
}

/** Edits computed on another file's text carry that file's URI (the fix spans two documents). */
function inFile(ctx: RuleContext, uri: string, edits: readonly TextEdit[]): TextEdit[] {
  return uri === ctx.uri ? [...edits] : edits.map((e) => ({ ...e, uri }));
}

/** A new ServiceAccount document at the end of the file, in the file's line-ending style. */
function appendServiceAccount(ctx: RuleContext, t: PodTemplate, name: string, clientId: string): OffsetEdit {
  const eol = ctx.src.eol;
  const text = ctx.src.text;
  const explicitNs = scalarText(getNode(t.owner.metadata, 'namespace'));
  const lines = ['---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', `  name: ${name}`];
  if (explicitNs) lines.push(`  namespace: ${explicitNs}`);
  lines.push('  annotations:', `    ${CLIENT_ID_ANNOTATION}: ${quoted(clientId)}`);
  const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
  return { start: text.length, end: text.length, newText: lead + lines.join(eol) + eol };
}

/** skip-containers: names separated by semicolons (webhook SkipContainersAnnotation). */
function checkSkipContainers(ctx: RuleContext, t: PodTemplate, annotations: ReturnType<typeof getNode>): void {
  const pair = getPair(annotations, SKIP_CONTAINERS_ANNOTATION);
  if (!pair || !isScalar(pair.value) || typeof pair.value.value !== 'string') return;
  const base = t.owner.base;
  const value = pair.value.value;
  const containers = new Set(containerNames(t.spec));
  const [s, e] = valueRange(base, pair);
  if (!value.includes(';') && value.includes(',')) {
    const parts = value
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (parts.length > 1 && !containers.has(value.trim())) {
      const node = pair.value;
      const fixed = parts.join(';');
      const fix = ctx.fix(
        ctx.t('fix.semicolons'),
        [
          {
            start: base + node.start,
            end: base + node.end,
            newText: node.style === 'single' ? `'${fixed}'` : node.style === 'double' ? quoted(fixed) : fixed,
          },
        ],
        true,
      );
      ctx.report('wi/skip-containers-unknown', s, e, ctx.t('skipContainersComma', value), [fix]);
      return;
    }
  }
  for (const name of value
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!containers.has(name)) ctx.report('wi/skip-containers-unknown', s, e, ctx.t('skipContainersUnknown', name));
  }
}

/** The proxy sidecar cannot be used with hostNetwork: true (Azure/azure-workload-identity docs/book/src/topics/known-issues.md). */
function checkHostNetwork(ctx: RuleContext, t: PodTemplate, annotations: ReturnType<typeof getNode>): void {
  const pair = getPair(annotations, INJECT_PROXY_SIDECAR_ANNOTATION);
  const hostNetwork = getNode(t.spec, 'hostNetwork');
  if (!pair || !isScalar(hostNetwork) || hostNetwork.value !== true) return;
  const [s, e] = keyRange(t.owner.base, pair);
  ctx.report('wi/proxy-sidecar-invalid', s, e, ctx.t('proxyHostNetwork'));
}
