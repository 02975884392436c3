/**
 * The local bank while a team bank is in use: which folder it is (the one last in use, remembered across sessions),
 * how many questions it holds, the one-time offer to copy it into the team bank, and where Switch to Local writes.
 * Free of `vscode`: the memory, the runtime's reads and the notification are injected, so the decisions are tested
 * on node.
 */
import { isTeamBankUrl, parseTeamBankUrl } from '../../core/contracts/bankLocation';
import type { BankChoice } from '../../presentation/protocol';

/** The part of VS Code's Memento this needs (the extension's globalState). */
export interface Memory {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface LocalBankAsideDeps {
  memory: Memory;
  /** The folder a `smcs.bank` value names (undefined: the extension's storage), as the engine resolves it. */
  folderOf: (bankSetting: string | undefined) => string;
  /** How many questions the bank folder holds (0 when none). */
  sizeOf: (folder: string) => Promise<number>;
  /** Shows the offer to copy `size` questions of `local` into `team`. */
  offer: (offer: CopyOffer) => void;
  /** Whether the team bank can be written now (its password is known and accepted): a copy offered before then fails. */
  reachable: (team: string) => Promise<boolean>;
}

export interface CopyOffer {
  team: string;
  local: string;
  size: number;
}

/** Memory keys: the `smcs.bank` value of the last local bank in use (null: the default folder), and the offers made. */
const LOCAL_SETTING = 'smcs.localBankSetting';
const OFFERS_MADE = 'smcs.copyOffersMade';

/** One offer per team bank (its database, whichever role connects) and local folder. */
export function offerKey(team: string, local: string): string {
  return `${parseTeamBankUrl(team.trim()).display}\u0000${local}`;
}

/**
 * Whether to offer copying the local bank into the team bank in use: only for a team bank, a local bank that holds
 * questions, and a pair not offered before (whatever the answer was then).
 */
export function shouldOffer(bankSetting: string | undefined, local: string, localSize: number, made: readonly string[]): boolean {
  return bankSetting !== undefined && isTeamBankUrl(bankSetting) && localSize > 0 && !made.includes(offerKey(bankSetting, local));
}

export class LocalBankAside {
  constructor(private readonly deps: LocalBankAsideDeps) {}

  /** The `smcs.bank` value of the local bank last in use, which puts it back in use (undefined: the default folder, also when none was seen). */
  localSetting(): string | undefined {
    const value = this.deps.memory.get(LOCAL_SETTING);
    return typeof value === 'string' ? value : undefined;
  }

  /** The local bank's folder: the one last in use. */
  localFolder(): string {
    return this.deps.folderOf(this.localSetting());
  }

  /**
   * Called on activation, whenever the settings change and when the bank changed (Set Team Bank Password among them),
   * with `smcs.bank` as it stands: a folder is remembered as the local bank; a team bank gets the offer once when the
   * local bank holds questions and the team bank can be reached — not before its password is set.
   */
  async observe(bankSetting: string | undefined): Promise<void> {
    if (bankSetting === undefined || !isTeamBankUrl(bankSetting)) {
      if (this.localSetting() !== bankSetting) await this.deps.memory.update(LOCAL_SETTING, bankSetting ?? null);
      return;
    }
    const local = this.localFolder();
    const made = this.offersMade();
    // Made already: no need to read the local bank's size.
    if (made.includes(offerKey(bankSetting, local))) return;
    const size = await this.deps.sizeOf(local);
    if (!shouldOffer(bankSetting, local, size, made)) return;
    if (!(await this.deps.reachable(bankSetting.trim()))) return;
    await this.deps.memory.update(OFFERS_MADE, [...made, offerKey(bankSetting, local)]);
    this.deps.offer({ team: bankSetting.trim(), local, size });
  }

  /** For the Bank view while a team bank is in use: the team bank's place and the local bank beside it; undefined otherwise. */
  async choice(bankSetting: string | undefined): Promise<BankChoice | undefined> {
    if (bankSetting === undefined || !isTeamBankUrl(bankSetting)) return undefined;
    const location = this.localFolder();
    return { team: parseTeamBankUrl(bankSetting.trim()).display, local: { location, size: await this.deps.sizeOf(location) } };
  }

  private offersMade(): string[] {
    const made = this.deps.memory.get(OFFERS_MADE);
    return Array.isArray(made) ? made.filter((k): k is string => typeof k === 'string') : [];
  }
}

/** The settings scopes, most specific first, as `inspect` names their values. */
export type SettingScope = 'workspaceFolder' | 'workspace' | 'global';

/**
 * Where Switch to Local writes `smcs.bank`: in the most specific scope that sets it (where the team bank was set), the
 * remembered local value, or no value when the local bank is the default folder — unless a broader scope sets one
 * too (which would then be in use), in which case the local folder is written out.
 */
export function switchToLocalWrite(
  values: Partial<Record<`${SettingScope}Value`, unknown>>,
  localSetting: string | undefined,
  localFolder: string,
): { scope: SettingScope; value: string | undefined } {
  const scopes: SettingScope[] = ['workspaceFolder', 'workspace', 'global'];
  const setAt = scopes.findIndex((scope) => values[`${scope}Value`] !== undefined);
  const scope = scopes[Math.max(0, setAt)] ?? 'global';
  if (localSetting !== undefined) return { scope, value: localSetting };
  const broader = scopes.slice(setAt + 1).some((s) => values[`${s}Value`] !== undefined);
  return { scope, value: broader ? localFolder : undefined };
}
