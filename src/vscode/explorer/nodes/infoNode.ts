/** A leaf that only shows a value (an issuer URL, a switch, "none"), and the note above a listing assembled group by group. */
import * as vscode from 'vscode';
import type { ScopedListing } from '../../../azure/scopedListing';
import type { NodeKind } from '../contextValues';
import type { CopyKind } from '../nodeActions';
import { ExplorerNode } from './explorerNode';

/** A leaf with a label, what the tree item shows and what Copy … copies. */
export class InfoNode extends ExplorerNode {
  constructor(
    parent: ExplorerNode,
    key: string,
    private readonly label: string,
    private readonly props: Omit<Partial<vscode.TreeItem>, 'contextValue'> & {
      contextValue?: NodeKind;
      copy?: Partial<Record<CopyKind, string>>;
    } = {},
  ) {
    super(parent, key);
  }
  treeItem(): vscode.TreeItem {
    const item = this.item(this.label);
    const { copy: _copy, contextValue: kind, ...rest } = this.props;
    Object.assign(item, rest);
    if (kind) item.contextValue = this.contextValue(kind);
    return item;
  }
  override copyValue(kind: CopyKind): string | undefined {
    return this.props.copy?.[kind];
  }
}

/**
 * When a listing was assembled group by group (no subscription-wide read role, only roles on some
 * resource groups), says so above its items, so a short list is not mistaken for the whole one.
 */
export function scopeNote(parent: ExplorerNode, listing: ScopedListing<unknown>): ExplorerNode[] {
  if (listing.scope !== 'resourceGroups') return [];
  const tip = [
    vscode.l10n.t(
      'You may not list these across the whole subscription, so each resource group you can see was listed on its own. Resources in other groups are not shown.',
    ),
    listing.groupsSkipped
      ? vscode.l10n.t('{0} resource group(s) you can see refused the listing.', listing.groupsSkipped)
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return [
    new InfoNode(parent, 'scope', vscode.l10n.t('Listed from {0} resource group(s) you can read', listing.groupsRead), {
      tooltip: tip,
      iconPath: new vscode.ThemeIcon('info'),
      contextValue: 'scopeNote',
    }),
  ];
}
