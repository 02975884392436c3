/**
 * Horizontal bars for the panel's small charts (model priors, bank accuracy). Every bar of a group is drawn on one
 * scale: the fill is value / max × the track, and the track has one fixed width in CSS (`--smcs-bar-width`), so
 * a badge or a long name never makes a bar shorter. Each bar is a `role="meter"` for screen readers.
 */
import { h } from './dom';

export interface MeterInput {
  /** Accessible name, e.g. the model (`"llama-70b prior"`). */
  label: string;
  value: number;
  /** The top of the group's scale (the largest value of the group, or 1 for a share). */
  max: number;
  /** What a screen reader says for the value (default: the number). */
  valueText?: string;
  /** Decimals in aria-valuenow/aria-valuemax (enough to tell rows apart). */
  digits?: number;
}

/** The share of the track a value fills, 0…1 (0 when the scale is empty). */
export function fillShare(value: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value / max));
}

/** One bar: a fixed-width track with a fill proportional to `value / max`. */
export function meter(input: MeterInput): HTMLElement {
  const digits = input.digits ?? 3;
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${(fillShare(input.value, input.max) * 100).toFixed(2)}%`;
  return h(
    'span',
    {
      class: 'bar',
      role: 'meter',
      'aria-label': input.label,
      'aria-valuemin': 0,
      'aria-valuemax': (input.max > 0 ? input.max : 1).toFixed(digits),
      'aria-valuenow': input.value.toFixed(digits),
      'aria-valuetext': input.valueText,
    },
    fill,
  );
}

/** A model name that can wrap after "/" (so "org/model" breaks between the two) and shows the full name on hover. */
export function modelNameText(model: string, className = 'model-name'): HTMLElement {
  const el = h('span', { class: className, title: model });
  const parts = model.split('/');
  parts.forEach((part, i) => {
    el.append(i < parts.length - 1 ? `${part}/` : part);
    if (i < parts.length - 1) el.append(h('wbr'));
  });
  return el;
}
