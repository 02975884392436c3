/** Tiny DOM helpers for the panel: element creation without innerHTML for anything but sanitised markdown. */
import type { PanelCommand } from '../presentation/protocol';
import type { PanelAction } from './actions';

/** Attributes of an element; `data-action` only from the panel's actions. */
export type Attrs = Record<string, string | number | boolean | undefined> & { 'data-action'?: PanelAction };
export type Child = Node | string | null | undefined | false;

/** Creates an element; `class` sets the class name, booleans toggle empty attributes, undefined/false skip. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

/** A button that runs `command` in the extension host (the panel's click handler reads `data-command`). */
export function commandButton(command: PanelCommand, label: string, testId: string, style: { secondary: boolean; size: 'wide' | 'small' }): HTMLElement {
  const cls = ['button', style.secondary ? 'secondary' : undefined, style.size].filter(Boolean).join(' ');
  return h('button', { type: 'button', class: cls, 'data-action': 'command', 'data-command': command, 'data-testid': testId }, label);
}

/** Appends children, turning strings into text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Sets text content only when it changed (keeps selection and avoids layout work). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets or removes an attribute only when it changed. */
export function setAttr(el: Element, name: string, value: string | undefined): void {
  if (value === undefined) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}
