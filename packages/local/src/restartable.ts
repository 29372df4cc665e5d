/**
 * A piece of the offline stack that a test can stop and start again while the rest keeps
 * running (a restarted WebSocket gateway, a stream poller that was down), on the same port.
 */
export interface PieceControl {
  readonly running: boolean;
  stop(): Promise<void>;
  /** Starts it again; resolves once it serves. */
  start(): Promise<void>;
}

/** `start` gets the piece's previous instance (stopped), e.g. to resume where it left off. */
export async function restartable<T extends { stop(): Promise<void> }>(
  start: (previous: T | undefined) => Promise<T>,
): Promise<PieceControl> {
  let current: T | undefined = await start(undefined);
  let last = current;
  return {
    get running() {
      return current !== undefined;
    },
    async stop() {
      const running = current;
      current = undefined;
      await running?.stop();
    },
    async start() {
      if (current) return;
      current = await start(last);
      last = current;
    },
  };
}
