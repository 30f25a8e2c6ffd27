/**
 * Listeners on Redis pub/sub channels over one dedicated subscriber connection (a connection
 * in subscribe mode can run no other command). Channels are counted: SUBSCRIBE with the
 * first listener, UNSUBSCRIBE after the last. ioredis re-subscribes after a reconnect.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { quit } from './redis-connection.js';

export interface ChannelListeners {
  /** Resolves once Redis confirmed the subscription; the result removes this listener. */
  listen(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

interface Channel {
  listeners: Set<(message: string) => void>;
  /** Settles when the SUBSCRIBE for this channel has been answered. */
  subscribed: Promise<unknown>;
}

export function createChannelListeners(connect: () => Redis, logger: Logger): ChannelListeners {
  let subscriber: Redis | undefined;
  const channels = new Map<string, Channel>();

  const connection = (): Redis => {
    if (subscriber === undefined) {
      subscriber = connect();
      subscriber.on('message', (channel: string, message: string) => {
        for (const listener of channels.get(channel)?.listeners ?? []) {
          try {
            listener(message);
          } catch (err) {
            logger.warn({ err, channel }, 'a change listener threw; the others still run');
          }
        }
      });
    }
    return subscriber;
  };

  return {
    async listen(channel, listener) {
      // a wrapper per call, so one function listening twice is counted twice
      const entry = (message: string): void => listener(message);
      let state = channels.get(channel);
      if (state === undefined) {
        state = { listeners: new Set(), subscribed: connection().subscribe(channel) };
        channels.set(channel, state);
      }
      state.listeners.add(entry);
      try {
        await state.subscribed;
      } catch (err) {
        state.listeners.delete(entry);
        if (state.listeners.size === 0 && channels.get(channel) === state) channels.delete(channel);
        throw err;
      }
      let removed = false;
      return async () => {
        if (removed) return;
        removed = true;
        const current = channels.get(channel);
        if (current === undefined || !current.listeners.delete(entry)) return;
        if (current.listeners.size > 0) return;
        channels.delete(channel);
        await subscriber?.unsubscribe(channel);
      };
    },
    async close() {
      channels.clear();
      if (subscriber !== undefined) await quit(subscriber);
      subscriber = undefined;
    },
  };
}
