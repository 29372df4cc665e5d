/**
 * One live connection per tab to the WebSocket API (DESIGN.md, "Live (push)"). The server only
 * ever sends `{"type":"sync","cursor"}` after a change to the user's data; this turns that into
 * `onPoke`, and every (re)connect into `onConnected` — the moments to pull `/sync`, since pokes
 * sent while the socket was down are lost.
 *
 * - Each connection opens with a fresh access token (`getToken`): the server stops pushing when
 *   the token that opened a connection expires, so a reconnect is also how a long session renews.
 * - A lost connection is retried with exponential backoff and full jitter (so that a deploy or a
 *   network blip does not bring every client back in the same second), and at once when the
 *   browser comes back online.
 * - A handshake the server refuses looks like any failed connection to a browser (no HTTP status),
 *   so a connection that closes before opening asks for a refreshed token next time; when the token
 *   cannot be had at all (signed out elsewhere, refresh token revoked) `onSignedOut` is called.
 * - API Gateway closes a connection idle for 10 minutes: a ping every 9 keeps it open.
 */

export interface LiveSocketOptions {
  /** `wsUrl` from the stack outputs. */
  url: string;
  /** A current access token; `forceRefresh` after a refused handshake. Rejects when signed out. */
  getToken: (options: { forceRefresh: boolean }) => Promise<string>;
  onPoke: (cursor: string) => void;
  onConnected: () => void;
  onSignedOut: () => void;
  onStatus?: (status: LiveStatus) => void;
  /** Defaults suit API Gateway; tests shorten them. */
  pingEveryMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** The WebSocket constructor (the browser's). */
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

export type LiveStatus = "connecting" | "open" | "waiting" | "stopped";

export interface LiveSocket {
  stop(): void;
}

const PING_EVERY_MS = 9 * 60_000;
const BACKOFF = { baseMs: 1_000, maxMs: 30_000 };
const PING_MESSAGE = JSON.stringify({ action: "ping" });

/** Full jitter: a delay drawn uniformly from [0, min(max, base × 2^attempt)). */
export function reconnectDelay(attempt: number, backoff = BACKOFF, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt));
}

/** A server message, if it is the one kind the server sends. */
export function parsePoke(data: unknown): string | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const message = JSON.parse(data) as { type?: unknown; cursor?: unknown };
    return message.type === "sync" && typeof message.cursor === "string" ? message.cursor : undefined;
  } catch {
    return undefined;
  }
}

export function startLiveSocket(options: LiveSocketOptions): LiveSocket {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const pingEveryMs = options.pingEveryMs ?? PING_EVERY_MS;
  const backoff = options.backoff ?? BACKOFF;
  const random = options.random ?? Math.random;
  let socket: WebSocket | undefined;
  /** True from the start of a connect until its socket exists (or it gave up): no second one meanwhile. */
  let connecting = false;
  let stopped = false;
  let attempt = 0;
  let refreshToken = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  const status = (value: LiveStatus) => options.onStatus?.(value);

  async function connect(): Promise<void> {
    if (stopped || connecting || socket) return;
    connecting = true;
    clearTimeout(retryTimer);
    status("connecting");
    let token: string;
    try {
      token = await options.getToken({ forceRefresh: refreshToken });
    } catch {
      connecting = false;
      if (!stopped) {
        stop();
        options.onSignedOut();
      }
      return;
    }
    connecting = false;
    if (stopped) return;
    const current = new Impl(`${options.url}?token=${encodeURIComponent(token)}`);
    socket = current;
    let opened = false;
    current.onopen = () => {
      opened = true;
      attempt = 0;
      refreshToken = false;
      status("open");
      pingTimer = setInterval(() => current.readyState === Impl.OPEN && current.send(PING_MESSAGE), pingEveryMs);
      options.onConnected();
    };
    current.onmessage = (message: MessageEvent) => {
      const cursor = parsePoke(message.data);
      if (cursor !== undefined) options.onPoke(cursor);
    };
    // A failed connection fires "error" and then "close"; "close" decides what happens next.
    current.onerror = () => undefined;
    current.onclose = () => {
      clearInterval(pingTimer);
      if (socket !== current || stopped) return;
      socket = undefined;
      // Closed before it opened: most likely a refused token (the browser does not say).
      if (!opened) refreshToken = true;
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    status("waiting");
    const delay = reconnectDelay(attempt++, backoff, random);
    retryTimer = setTimeout(() => void connect(), delay);
  }

  const online = () => {
    if (!socket && !connecting && !stopped) {
      attempt = 0;
      void connect();
    }
  };
  globalThis.addEventListener?.("online", online);

  function stop(): void {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    globalThis.removeEventListener?.("online", online);
    const current = socket;
    socket = undefined;
    current?.close(1000);
    status("stopped");
  }

  void connect();
  return { stop };
}
