/**
 * API Gateway's stage throttling model: a bucket of `burstLimit` tokens refilled at `rateLimit`
 * tokens per second; each request takes one, and a request that finds the bucket empty gets 429.
 */
export interface ThrottleSettings {
  /** Steady requests per second. */
  rateLimit: number;
  /** Bucket size: how many requests may arrive at once. */
  burstLimit: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = settings.burstLimit;
    this.updatedAt = now();
  }

  /** Takes a token: 0 when allowed, otherwise the seconds to wait before one is available. */
  take(): number {
    const now = this.now();
    const refill = ((now - this.updatedAt) / 1000) * this.settings.rateLimit;
    this.tokens = Math.min(this.settings.burstLimit, this.tokens + refill);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.settings.rateLimit));
  }
}
