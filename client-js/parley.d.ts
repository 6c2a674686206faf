// Types of parley.js, the Parley browser client (docs/protocol.md version 1).

export interface User {
  id: string;
  name: string;
}

export interface StreamPosition {
  seq: number;
  epoch: string;
}

export interface Message {
  room: string;
  seq: number;
  id: string;
  from: User;
  text: string;
  data?: Record<string, unknown>;
  /** Server time of storing, epoch ms. */
  sentAt: number;
}

export interface JoinResult {
  room: string;
  epoch: string;
  /** The room's latest seq when joined. */
  seq: number;
  recovered: boolean;
  replay: number;
  presence: User[];
}

export interface ChatAck {
  room: string;
  id: string;
  seq: number;
  duplicate: boolean;
}

export interface HistoryPage {
  room: string;
  /** Ascending by seq. */
  messages: Message[];
  /** More beyond this page in its direction (newer for `after`, older otherwise). */
  hasMore: boolean;
}

export interface TypingEvent {
  room: string;
  user: User;
  active: boolean;
}

export interface PresenceEvent {
  room: string;
  /** 'sync' (after a join or rejoin) replaces the whole list. */
  event: 'join' | 'leave' | 'sync';
  user: User | null;
  /** The members after the change. */
  members: User[];
}

export type ConnectionStateName = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateEvent {
  state: ConnectionStateName;
  /** The close code that caused it (1006: dropped or could not connect), or 0. */
  closeCode: number;
  reason: string;
  /** For 'reconnecting': ms until the next attempt, and when (epoch ms). */
  retryIn: number;
  retryAt: number;
  /** Attempts failed since the last stable connection. */
  attempt: number;
}

export interface OutboxEntry {
  id: string;
  room: string;
  text: string;
  data?: Record<string, unknown>;
  createdAt: number;
}

export interface FailedEvent {
  id: string;
  room: string;
  error: ParleyError;
}

export interface Backoff {
  baseMs: number;
  factor: number;
  capMs: number;
}

/** What `localStorage` offers; any object with these three methods will do. */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ParleyOptions {
  /** Default in a page: ws(s)://<the page's host>/ws. */
  url?: string;
  /** A JWT, sent as `?token=` (browsers cannot set headers). */
  token?: string;
  /** Called for a new token when the server closes with 4001; without it, 4001 is final. */
  refreshToken?: () => string | Promise<string>;
  /** insecure-dev mode: the user id and display name. */
  user?: string;
  name?: string;
  /** Default: base 500 ms, factor 2, cap 30 s. */
  backoff?: Partial<Backoff>;
  /** How long a connection must stay up to reset the backoff; default 10000 ms. */
  stableMs?: number;
  /** The jitter's random source in [0, 1); default Math.random. Seed it in tests. */
  random?: () => number;
  /** Unacknowledged chats kept at most; default 1000. */
  outboxCapacity?: number;
  /** Keep the outbox here too (e.g. `localStorage`): chats typed offline survive a page reload. */
  outboxStorage?: OutboxStorage;
  /** The storage key; default 'parley-outbox'. Use one per user. */
  outboxKey?: string;
  /** Default: the global WebSocket. */
  WebSocket?: typeof WebSocket;
}

export interface ParleyEvents {
  chat: Message;
  typing: TypingEvent;
  presence: PresenceEvent;
  state: StateEvent;
  /** Any outbox entry acknowledged (restored ones included). */
  ack: ChatAck;
  /** Any outbox entry failed for good. */
  failed: FailedEvent;
  /** An error that answers no request of this client. */
  error: ParleyError;
}

export declare const DEFAULT_BACKOFF: Readonly<Backoff>;
export declare function backoffCeiling(attempt: number, backoff?: Backoff): number;
export declare function backoffDelay(attempt: number, backoff?: Backoff, random?: () => number): number;

export declare class ParleyError extends Error {
  readonly code: string;
  readonly retryAfterMs?: number;
  constructor(code: string, message: string, retryAfterMs?: number);
}

export declare class ParleyClient {
  constructor(options?: ParleyOptions);
  on<K extends keyof ParleyEvents>(event: K, listener: (value: ParleyEvents[K]) => void): () => void;
  off<K extends keyof ParleyEvents>(event: K, listener: (value: ParleyEvents[K]) => void): void;
  readonly state: ConnectionStateName;
  readonly connection: StateEvent;
  readonly user: User | null;
  /** Resolves with the first welcome's payload. */
  connect(): Promise<unknown>;
  join(room: string): Promise<JoinResult>;
  leave(room: string): Promise<void>;
  send(room: string, text: string, options?: { data?: Record<string, unknown>; id?: string }): Promise<ChatAck> & { id: string };
  pending(): OutboxEntry[];
  typing(room: string, active: boolean): void;
  history(room: string, page?: { before?: number; after?: number; limit?: number }): Promise<HistoryPage>;
  presence(room: string): Promise<User[]>;
  members(room: string): User[];
  position(room: string): StreamPosition | null;
  rooms(): string[];
  close(): void;
}
