/**
 * One user's fair share of the API (docs/capacity.md, "Fair share"): at most `requests` per
 * fixed window of `windowSeconds`, counted in the RateLimits table with one conditional
 * UpdateItem per request (1 write unit). A window's counter expires by TTL shortly after the
 * window ends. The table has no stream and holds nothing but counters, so the count never wakes
 * the live-sync fan-out and never shares a partition with the user's tasks.
 *
 * A fixed window lets up to twice the limit through across a window boundary; that is within the
 * margin the limit was chosen with, and it costs one write instead of a read and a write.
 */
import { ConditionalCheckFailedException, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DomainError } from "./errors.js";
import { RATE_LIMITS_TABLE } from "./keys.js";

export function rateLimitsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: RATE_LIMITS_TABLE.partitionKey, AttributeType: "S" }],
    KeySchema: [{ AttributeName: RATE_LIMITS_TABLE.partitionKey, KeyType: "HASH" }],
  };
}

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export class RateLimitedError extends DomainError {
  readonly code = "TOO_MANY_REQUESTS";
  constructor(
    readonly limit: RateLimit,
    /** Whole seconds until the window ends (at least 1): the Retry-After. */
    readonly retryAfterSeconds: number,
  ) {
    super(`At most ${limit.requests} requests per ${limit.windowSeconds} s per user; retry in ${retryAfterSeconds} s`);
    this.name = "RateLimitedError";
  }
}

/** Counters outlive their window by this much, so a late request never finds a fresh counter. */
const EXPIRY_GRACE_SECONDS = 60;

export class UserRateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limit: RateLimit,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Counts one request of `userId`; throws RateLimitedError when the window's share is used up. */
  async consume(userId: string): Promise<void> {
    const nowMs = this.now();
    const windowMs = this.limit.windowSeconds * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    const windowEnd = windowStart + windowMs;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [RATE_LIMITS_TABLE.partitionKey]: `${userId}#${windowStart / 1000}` },
          UpdateExpression: "ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)",
          ConditionExpression: "attribute_not_exists(#count) OR #count < :max",
          ExpressionAttributeNames: { "#count": "requests", "#expiresAt": RATE_LIMITS_TABLE.ttlAttribute },
          ExpressionAttributeValues: {
            ":one": 1,
            ":max": this.limit.requests,
            ":expiresAt": windowEnd / 1000 + EXPIRY_GRACE_SECONDS,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new RateLimitedError(this.limit, Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)));
      }
      throw error;
    }
  }
}
