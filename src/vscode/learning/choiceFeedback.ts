/**
 * Choice as feedback: when the user chooses another candidate as the reply, reverts to the run's answer,
 * or accepts a reply (copies or inserts its code), a typed event fires. The bank layer subscribes to
 * learn from it (issue 6). Free of `vscode` so any layer can subscribe.
 */
import type { AskResult } from '../../core/contracts/events';

export type ReplyChoiceKind = 'chosen' | 'reverted' | 'accepted';

export interface ReplyChoice {
  kind: ReplyChoiceKind;
  /** The panel run the reply is of. */
  runId: string;
  /** The question as asked. */
  question: string;
  /** The code it was about, as the models read it (core/context/contextItem.selectionText), when a selection went with it. */
  context?: string;
  /** The questions of the conversation's earlier turns, oldest first (empty for a first question). */
  earlier: string[];
  /** The finished run's result. */
  result: AskResult;
  /** Candidate now standing as the reply (-1 when it is a referencer's reply: taken by the user, or the run's answer). */
  chosenIndex: number;
  /** The text of that reply. */
  chosenText: string;
  /** The user's `smcs.learnFromChoices` setting when the choice was made: false = do not add it to the bank. */
  learn: boolean;
}

export interface Disposable {
  dispose(): void;
}

/** A minimal typed event emitter with VS Code's `Event` calling convention. */
export class ChoiceEmitter {
  private readonly listeners = new Set<(choice: ReplyChoice) => void>();

  /** Subscribes; call `dispose()` on the result to unsubscribe. */
  readonly onDidChooseReply = (listener: (choice: ReplyChoice) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Notifies every listener; a throwing listener is reported to `onError` and does not stop the others. */
  fire(choice: ReplyChoice, onError: (err: unknown) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(choice);
      } catch (err) {
        onError(err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
