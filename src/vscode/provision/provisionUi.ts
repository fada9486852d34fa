import { overrideUi, ui, type Ui } from '../ui';

/** The preview's answer: run it, export it (and keep the preview), or leave. */
export type PreviewDecision = 'apply' | 'export' | 'cancel';

/**
 * Which prompt of the one UI seam (../ui.ts) each provisioning prompt is. Provisioning and
 * diagnosis, and their test API, name the keyed prompts `pick`, `pickMany`, `input` and `confirm`;
 * the seam already has an unkeyed `pick` and `confirm` for the explorer, so the keyed ones carry
 * other names there.
 */
const SEAM_NAME = {
  pick: 'choose',
  pickMany: 'chooseMany',
  input: 'input',
  confirm: 'confirmKeyed',
  info: 'info',
  warn: 'warn',
  error: 'error',
} as const satisfies Record<string, keyof Ui>;

type SeamName = typeof SEAM_NAME;

/** Every prompt provisioning shows: a typed view over the one UI seam, not a second one. */
export type ProvisionUi = { readonly [K in keyof SeamName]: Ui[SeamName[K]] };

const names = Object.keys(SEAM_NAME) as (keyof SeamName)[];

export function provisionUi(): ProvisionUi {
  const current = ui();
  return Object.fromEntries(names.map((name) => [name, current[SEAM_NAME[name]]])) as unknown as ProvisionUi;
}

/** Replaces some prompts (tests only), through the one seam; returns a function that restores them. */
export function overrideProvisionUi(partial: Partial<ProvisionUi>): () => void {
  const onSeam = names.filter((name) => partial[name]).map((name) => [SEAM_NAME[name], partial[name]]);
  return overrideUi(Object.fromEntries(onSeam) as Partial<Ui>);
}
