/**
 * One user's fair share of the API (docs/capacity.md, "Fair share"): at most `requests` per
 * fixed window of `windowSeconds`, counted in the RateLimits table with one conditional
 * UpdateItem per request (1 write unit). A window's counter expires by TTL shortly after the
 * window ends. The table has no stream and holds nothing but counters, so the count never wakes
 * the live-sync fan-out and never shares a partition with the user's tasks.
 *
 * A fixed window lets up to twice the limit through across a window boundary; that is within the
 * margin the limit was chosen with, and it costs one write instead of a read and a write.
 *
 * The same items say whether the user's account is closed (DELETE /account): closing puts a
 * `closedAt` marker into the item of every window from now until every access token issued
 * before the close has expired, and the count reads it back (ReturnValues) at no extra cost. Each
 * marker expires with its window, by the same TTL.
 */
import { ConditionalCheckFailedException, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWriteAll } from "./batch-writes.js";
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

  /**
   * Counts one request of `userId`; throws RateLimitedError when the window's share is used up.
   * Answers when the user's account was closed, if it was (see markClosed).
   */
  async consume(userId: string): Promise<{ closedAt?: string }> {
    const nowMs = this.now();
    const windowMs = this.limit.windowSeconds * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    const windowEnd = windowStart + windowMs;
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [RATE_LIMITS_TABLE.partitionKey]: windowKey(userId, windowStart) },
          UpdateExpression: "ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)",
          ConditionExpression: "attribute_not_exists(#count) OR #count < :max",
          ExpressionAttributeNames: { "#count": "requests", "#expiresAt": RATE_LIMITS_TABLE.ttlAttribute },
          ExpressionAttributeValues: {
            ":one": 1,
            ":max": this.limit.requests,
            ":expiresAt": windowEnd / 1000 + EXPIRY_GRACE_SECONDS,
          },
          // The item is a few dozen bytes: reading it back costs nothing more than the write.
          ReturnValues: "ALL_NEW",
        }),
      );
      const closedAt = Attributes?.[CLOSED_AT];
      return typeof closedAt === "string" ? { closedAt } : {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new RateLimitedError(this.limit, Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)));
      }
      throw error;
    }
  }

  /**
   * Marks `userId`'s account closed, at `closedAt`, in every window until `untilMs`: from then on
   * consume() answers `closedAt`. Puts replace the windows' counts (a closing user may send up to
   * one more share in the current window). About 360 items for an hour of 10 s windows, in
   * batches of 25: one write unit each, once per closed account.
   */
  async markClosed(userId: string, closedAt: Date, untilMs: number): Promise<void> {
    const windowMs = this.limit.windowSeconds * 1000;
    const requests = [];
    for (let start = Math.floor(this.now() / windowMs) * windowMs; start <= untilMs; start += windowMs) {
      requests.push({
        PutRequest: {
          Item: {
            [RATE_LIMITS_TABLE.partitionKey]: windowKey(userId, start),
            [CLOSED_AT]: closedAt.toISOString(),
            [RATE_LIMITS_TABLE.ttlAttribute]: (start + windowMs) / 1000 + EXPIRY_GRACE_SECONDS,
          },
        },
      });
    }
    await batchWriteAll(this.db, this.tableName, requests);
  }
}

const CLOSED_AT = "closedAt";

function windowKey(userId: string, windowStartMs: number): string {
  return `${userId}#${windowStartMs / 1000}`;
}
