/**
 * How the panel answers the extension host's messages (`HostToWebview` in src/presentation/protocol.ts): a table with
 * one handler per message type, its parts kept by the part of the panel each message concerns.
 */
import type { HostToWebview } from '../presentation/protocol';

export type HostMessageType = HostToWebview['type'];

/** The handlers of the messages `T`: the compiler names a message without a handler, and a handler for no message. */
export type HostMessageHandlers<T extends HostMessageType> = { [K in T]: (msg: Extract<HostToWebview, { type: K }>) => void };

/** Hands `msg` to its type's handler. */
export function dispatchHostMessage(handlers: HostMessageHandlers<HostMessageType>, msg: HostToWebview): void {
  // The handler looked up is the one for msg's own type, so it takes msg; the compiler cannot pair the two.
  (handlers[msg.type] as (msg: HostToWebview) => void)(msg);
}
