/**
 * What a run's card does on a click: stop it, retry it (or with another embedder), ask again with more models, choose a
 * reply or go back to the checks' choice, take a referencer's reply, compare two candidates — and on a choice in a
 * card's "Compare with…" menu.
 */
import type { ActionHandlers, PostToHost, RunViewAction } from './actions';
import { isEmbedderRemedy } from '../presentation/protocol';

/** The model names a button carries (`data-models`, a JSON list written by the panel itself). */
function modelList(attr: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(attr ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((m): m is string => typeof m === 'string') : [];
  } catch {
    return [];
  }
}

/** `takeBackQuestion`: a retried run's question leaves the box it was given back to (./composer.ts). */
export function runViewActions(post: PostToHost, takeBackQuestion: (runId: string) => void): ActionHandlers<RunViewAction> {
  return {
    stop: () => post({ type: 'stop' }),
    'retry-with': ({ target, runId }) => {
      const remedy = target.dataset.remedy;
      if (runId && isEmbedderRemedy(remedy)) {
        post({ type: 'retry-with', runId, remedy });
        takeBackQuestion(runId);
      }
    },
    retry: ({ runId }) => {
      if (runId) {
        post({ type: 'retry', runId });
        takeBackQuestion(runId);
      }
    },
    'ask-again-with': ({ target, runId }) => {
      const models = modelList(target.dataset.models);
      if (runId && models.length > 0) post({ type: 'ask-again-with', runId, models });
    },
    choose: ({ target, runId }) => {
      const index = Number(target.dataset.index);
      if (runId && Number.isInteger(index)) post({ type: 'choose', runId, index });
    },
    revert: ({ runId }) => {
      if (runId) post({ type: 'choose', runId, index: null });
    },
    'use-reference': ({ target, runId }) => {
      const model = target.dataset.model;
      if (runId && model) post({ type: 'use-reference', runId, model });
    },
    compare: ({ target, runId }) => {
      const left = Number(target.dataset.left);
      const right = Number(target.dataset.right);
      if (runId && Number.isInteger(left) && Number.isInteger(right)) post({ type: 'compare', runId, left, right });
    },
    // A choice in the menu, not a click: handled by compareChoice.
    'compare-with': () => undefined,
  };
}

/** A "Compare with…" choice: opens the diff of the card's candidate and the chosen one, then resets the menu. */
export function compareChoice(e: Event, post: PostToHost): void {
  const select = e.target instanceof HTMLSelectElement && e.target.dataset.action === 'compare-with' ? e.target : null;
  if (!select) return;
  const runId = select.dataset.runId;
  const left = Number(select.dataset.left);
  const choice = select.value;
  select.selectedIndex = 0;
  const right = Number(choice);
  if (runId && choice !== '' && Number.isInteger(left) && Number.isInteger(right)) post({ type: 'compare', runId, left, right });
}
