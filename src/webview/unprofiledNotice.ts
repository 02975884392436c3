/**
 * The notice under the Bank section, above the conversation (it scrolls with it, leaving the sticky question box its
 * room), when an endpoint's models have no label in the bank, so RPS gives them the mean
 * prior and rarely chooses them: "2 models of 'code' have no bank labels and are rarely chosen: Profile them · Use
 * them anyway". Use them anyway hides the notice for those models (the panel remembers it across reloads).
 */
import type { BankPanelState, UnprofiledEndpoint } from '../shared/protocol';
import { commandButton, h } from './dom';
import { formatQuantity } from '../shared/format';

/** The notice's line for one endpoint. */
export function unprofiledText(group: UnprofiledEndpoint): string {
  const one = group.models.length === 1;
  return `${formatQuantity(group.models.length, 'model')} of '${group.endpoint}' ${one ? 'has' : 'have'} no bank labels and ${one ? 'is' : 'are'} rarely chosen:`;
}

export class UnprofiledNotice {
  readonly el = h('div', { class: 'unprofiled-notice', 'data-testid': 'unprofiled-notice', role: 'status' });
  private readonly dismissed: Set<string>;
  private groups: UnprofiledEndpoint[] = [];

  /** `dismissed` = models the user chose to use anyway; `onDismiss` keeps the new list. */
  constructor(
    dismissed: readonly string[],
    private readonly onDismiss: (models: string[]) => void,
  ) {
    this.dismissed = new Set(dismissed);
    this.el.addEventListener('click', (e) => {
      const button = (e.target as Element | null)?.closest<HTMLElement>('[data-testid="unprofiled-use-anyway"]');
      const group = this.groups.find((g) => g.endpoint === button?.dataset.endpoint);
      if (!group) return;
      for (const m of group.models) this.dismissed.add(m);
      this.onDismiss([...this.dismissed]);
      this.render();
    });
    this.el.hidden = true;
  }

  update(state: BankPanelState): void {
    this.groups = state.status === 'ready' ? (state.summary.unprofiledByEndpoint ?? []) : [];
    this.render();
  }

  private render(): void {
    const shown = this.groups.map((g) => ({ ...g, models: g.models.filter((m) => !this.dismissed.has(m)) })).filter((g) => g.models.length > 0);
    this.el.hidden = shown.length === 0;
    this.el.replaceChildren(
      ...shown.map((g) =>
        h(
          'p',
          { class: 'unprofiled-line', 'data-testid': 'unprofiled-endpoint', 'data-endpoint': g.endpoint, title: g.models.join(', ') },
          unprofiledText(g),
          ' ',
          commandButton('smcs.profileModels', g.models.length === 1 ? 'Profile it' : 'Profile them', 'unprofiled-profile', { secondary: false, size: 'small' }),
          h('span', { 'aria-hidden': 'true' }, ' · '),
          h('button', { type: 'button', class: 'link-button', 'data-testid': 'unprofiled-use-anyway', 'data-endpoint': g.endpoint }, g.models.length === 1 ? 'Use it anyway' : 'Use them anyway'),
        ),
      ),
    );
  }
}
