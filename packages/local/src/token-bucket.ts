/**
 * API Gateway's throttling model for HTTP APIs, as AWS documents it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html):
 * token buckets of `burstLimit` tokens refilled at `rateLimit` tokens per second, where each
 * request takes one token and a request that finds a bucket empty gets 429.
 *
 * - Route-level throttling: the stage's `defaultRouteSettings` apply to each route on its own
 *   (every route has a bucket of that size; the deployed stage sets no per-route `routeSettings`).
 * - Account-level throttling: one bucket for every API of the account in the Region, 10 000
 *   requests/s with a bucket of 5 000 by default
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). A request passes
 *   only when both its route's bucket and the account's have a token.
 */
export interface ThrottleSettings {
  /** Steady requests per second. */
  rateLimit: number;
  /** Bucket size: how many requests may arrive at once. */
  burstLimit: number;
}

/** The account-level default throttle quota per Region (most Regions; AWS can raise it on request). */
export const ACCOUNT_THROTTLE: ThrottleSettings = { rateLimit: 10_000, burstLimit: 5_000 };

export type Clock = () => number;

const monotonic: Clock = () => performance.now();

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: Clock = monotonic,
  ) {
    this.tokens = settings.burstLimit;
    this.updatedAt = now();
  }

  /** 0 when a token is available now, otherwise the whole seconds to wait for one (at least 1). */
  waitSeconds(): number {
    this.refill();
    if (this.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - this.tokens) / this.settings.rateLimit));
  }

  /** Takes a token: 0 when allowed, otherwise the seconds to wait before one is available. */
  take(): number {
    const wait = this.waitSeconds();
    if (wait === 0) this.tokens -= 1;
    return wait;
  }

  private refill(): void {
    const now = this.now();
    const refill = ((now - this.updatedAt) / 1000) * this.settings.rateLimit;
    this.tokens = Math.min(this.settings.burstLimit, this.tokens + refill);
    this.updatedAt = now;
  }
}

export interface StageThrottleSettings {
  /** The stage's `defaultRouteSettings`: one bucket of this size per route. */
  defaultRoute: ThrottleSettings;
  /** The account's bucket, shared by every route (and by requests that match no route). */
  account?: ThrottleSettings;
}

export class StageThrottle {
  private readonly account: TokenBucket;
  private readonly routes = new Map<string, TokenBucket>();

  constructor(
    private readonly settings: StageThrottleSettings,
    private readonly now: Clock = monotonic,
  ) {
    this.account = new TokenBucket(settings.account ?? ACCOUNT_THROTTLE, now);
  }

  /**
   * Takes a token from the account's bucket and, for a matched route, from the route's: 0 when
   * the request may pass, otherwise the seconds to wait. A throttled request takes no token.
   */
  take(routeKey?: string): number {
    const buckets = routeKey === undefined ? [this.account] : [this.routeBucket(routeKey), this.account];
    const wait = Math.max(...buckets.map((bucket) => bucket.waitSeconds()));
    if (wait > 0) return wait;
    for (const bucket of buckets) bucket.take();
    return 0;
  }

  private routeBucket(routeKey: string): TokenBucket {
    let bucket = this.routes.get(routeKey);
    if (!bucket) {
      bucket = new TokenBucket(this.settings.defaultRoute, this.now);
      this.routes.set(routeKey, bucket);
    }
    return bucket;
  }
}
