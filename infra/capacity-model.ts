/**
 * The capacity and cost model behind the production limits (docs/capacity.md explains it; its
 * tables are generated from this file by `pnpm capacity`, and a test fails when they are stale).
 * Plain numbers and arithmetic, no SST globals: infra/limits.ts takes its limits from here, and so
 * can any test.
 *
 * Every figure is an assumption stated once, or arithmetic on assumptions. Prices are AWS list
 * prices for us-east-1 and default quotas are per account and region; both change, so check them
 * against the pricing pages and the Service Quotas console before relying on a number.
 */

/** What one user does, and how usage is spread over the day. */
export const USAGE = {
  /** Share of registered users active in a month (billed by Cognito) and on a given day. */
  monthlyActiveShare: 0.5,
  dailyActiveShare: 0.2,
  /** App opens per active user per day (phone and desktop together). */
  sessionsPerDay: 4,
  /** Each open pulls `/sync` once (a snapshot the first time, a small delta after). */
  pullsPerSession: 1,
  /** Creates, edits, completions and deletes per active user per day. */
  writesPerDay: 12,
  /** Other devices of the same user online when a write happens: each pulls once after the poke. */
  otherDevicesOnline: 0.5,
  /** Open WebSocket connections of a user, per write, that receive its poke (the writer's own included). */
  connectionsPokedPerWrite: 1.5,
  /** Minutes a user's tabs and apps hold a live connection per day. */
  connectedMinutesPerDay: 120,
  /** API Gateway drops a WebSocket after 10 idle minutes: the client pings every 9. */
  keepAliveEveryMinutes: 9,
  /** New WebSocket connections per session: the first, and reconnects (2 h connection limit, network changes). */
  connectionsPerSession: 1.5,
  /** Sign-ins and token refreshes per active user per day (access tokens last 1 hour). */
  cognitoAuthPerDay: 4,
  /**
   * Peak second over the average second: the busiest hour carries about 12 % of a day's traffic
   * (2.9× the average), and seconds within that hour vary by about 2× more.
   */
  peakFactor: 6,
} as const;

/** What each request costs the back end. */
export const WORK = {
  /** Mean billed duration of an API function (512 MB, arm64): ~15 ms warm plus cold starts. */
  functionMeanMs: 30,
  functionMemoryGb: 0.5,
  /** The stream fan-out function, per write: read the user's connections, post to each. */
  fanOutMeanMs: 20,
  /**
   * Write request units per write: each item written in a transaction costs 2 per KB. A create
   * or delete writes the task, the user's counter and a change-log entry (6); an edit the task
   * and its change-log entry (4). Mean over the mix of writes.
   */
  writeUnitsPerWrite: 5,
  /** Read request units per pull: a strongly consistent Query; deltas are small, snapshots rare. */
  readUnitsPerPull: 2,
  /** The per-user rate limit: one conditional UpdateItem (≤ 1 KB) per request. */
  rateLimitUnitsPerRequest: 1,
  /** Log bytes per request: the handler's request line, Lambda's report, the API access log. */
  logBytesPerRequest: 1_500,
  /** Tasks a registered user keeps, and the size of one stored task with its attributes. */
  tasksPerUser: 150,
  bytesPerTask: 400,
  /** The change log keeps 7 days of entries of ~300 bytes. */
  changeLogDays: 7,
  bytesPerChange: 300,
} as const;

/** us-east-1 list prices, USD. */
export const PRICES = {
  httpApiPerMillion: [
    { upTo: 300e6, price: 1.0 },
    { upTo: Infinity, price: 0.9 },
  ],
  webSocketMessagesPerMillion: [
    { upTo: 1e9, price: 1.0 },
    { upTo: Infinity, price: 0.8 },
  ],
  webSocketConnectionMinutesPerMillion: 0.25,
  lambdaRequestsPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  dynamoWritesPerMillion: 0.625,
  dynamoReadsPerMillion: 0.125,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  logsIngestionGb: 0.5,
  /** Cognito user pools, Lite tier (this app needs nothing of Essentials): per MAU, first 10 000 free. */
  cognitoLitePerMau: [
    { upTo: 10_000, price: 0 },
    { upTo: 100_000, price: 0.0055 },
    { upTo: 1_000_000, price: 0.0046 },
    { upTo: 10_000_000, price: 0.00325 },
    { upTo: Infinity, price: 0.0025 },
  ],
  /** Essentials, the tier new pools get unless told otherwise. */
  cognitoEssentialsPerMau: [
    { upTo: 10_000, price: 0 },
    { upTo: Infinity, price: 0.015 },
  ],
} as const;

/** Default quotas per account and region that this app meets first. All can be raised on request. */
export const QUOTAS = {
  /** API Gateway: requests per second across every REST, HTTP and WebSocket API of the account. */
  apiGatewayAccountRps: 10_000,
  apiGatewayAccountBurst: 5_000,
  /** Lambda concurrent executions, all functions of the account. */
  lambdaConcurrency: 1_000,
  /** DynamoDB: per partition (one user's items share one until adaptive capacity splits it). */
  dynamoPartitionWcu: 1_000,
  dynamoPartitionRcu: 3_000,
  /** DynamoDB on-demand: the most one table serves per second by default. */
  dynamoTableWru: 40_000,
  dynamoTableRru: 40_000,
  /** Cognito request rates: InitiateAuth (sign-in and refresh), and SignUp with ConfirmSignUp. */
  cognitoUserAuthenticationRps: 120,
  cognitoUserCreationRps: 50,
  /** API Gateway WebSocket: new connections per second. */
  webSocketConnectsPerSecond: 500,
  /** Cognito's own email sender; SES lifts it (production leaves the SES sandbox first). */
  cognitoDefaultEmailsPerDay: 50,
} as const;

export const SCALES = [1_000, 100_000, 10_000_000] as const;

/**
 * The scale the production limits are sized for: the largest modelled. Limits are ceilings (abuse
 * and cost guards), not reservations, so sizing them for the top of the model costs nothing.
 */
export const DESIGN_USERS = 10_000_000;

/** Of all API requests, the share the busiest route carries: `GET /sync` serves every pull. */
export const BUSIEST_ROUTE_SHARE = 0.5;

/** Headroom of a limit over the modelled peak it must let through. */
export const HEADROOM = 1.5;

const DAY = 86_400;
const MONTH_DAYS = 30;

function tiered(quantity: number, tiers: readonly { upTo: number; price: number }[], unit = 1): number {
  let cost = 0;
  let from = 0;
  for (const tier of tiers) {
    const inTier = Math.max(0, Math.min(quantity, tier.upTo) - from);
    cost += (inTier / unit) * tier.price;
    from = tier.upTo;
    if (quantity <= tier.upTo) break;
  }
  return cost;
}

export interface ScaleFigures {
  users: number;
  dailyActive: number;
  monthlyActive: number;
  requestsPerActiveDay: number;
  requestsPerDay: number;
  averageRps: number;
  peakRps: number;
  peakBusiestRouteRps: number;
  peakLambdaConcurrency: number;
  peakWriteUnitsPerSecond: number;
  peakReadUnitsPerSecond: number;
  peakCognitoAuthRps: number;
  peakWebSocketConnectsPerSecond: number;
  peakStreamRecordsPerSecond: number;
  storageGb: number;
  monthly: {
    apiGateway: number;
    lambda: number;
    dynamodb: number;
    /** Of `dynamodb`: the per-user rate limit's one write per request. */
    rateLimiter: number;
    logs: number;
    webSocket: number;
    cognitoLite: number;
    cognitoEssentials: number;
    total: number;
  };
  perMonthlyActiveUser: number;
  perMillionRequests: number;
}

/** The arithmetic, for `users` registered users. */
export function figuresAt(users: number): ScaleFigures {
  const dailyActive = users * USAGE.dailyActiveShare;
  const monthlyActive = users * USAGE.monthlyActiveShare;
  const pulls = USAGE.sessionsPerDay * USAGE.pullsPerSession + USAGE.writesPerDay * USAGE.otherDevicesOnline;
  const requestsPerActiveDay = pulls + USAGE.writesPerDay;
  const requestsPerDay = dailyActive * requestsPerActiveDay;
  const writesPerDay = dailyActive * USAGE.writesPerDay;
  const pullsPerDay = dailyActive * pulls;
  const peak = (perDay: number) => (perDay / DAY) * USAGE.peakFactor;

  const peakRps = peak(requestsPerDay);
  const writeUnitsPerDay = writesPerDay * WORK.writeUnitsPerWrite + requestsPerDay * WORK.rateLimitUnitsPerRequest;
  const readUnitsPerDay = pullsPerDay * WORK.readUnitsPerPull;
  const connectionMinutesPerDay = dailyActive * USAGE.connectedMinutesPerDay;
  const messagesPerDay = writesPerDay * USAGE.connectionsPokedPerWrite + connectionMinutesPerDay / USAGE.keepAliveEveryMinutes;
  const storageGb =
    (users * WORK.tasksPerUser * WORK.bytesPerTask + dailyActive * USAGE.writesPerDay * WORK.changeLogDays * WORK.bytesPerChange) / 1e9;

  const month = (perDay: number) => perDay * MONTH_DAYS;
  const gbSeconds = (invocations: number, ms: number) => invocations * (ms / 1000) * WORK.functionMemoryGb;
  const apiGateway = tiered(month(requestsPerDay), PRICES.httpApiPerMillion, 1e6);
  const lambda =
    ((month(requestsPerDay) + month(writesPerDay)) / 1e6) * PRICES.lambdaRequestsPerMillion +
    (gbSeconds(month(requestsPerDay), WORK.functionMeanMs) + gbSeconds(month(writesPerDay), WORK.fanOutMeanMs)) *
      PRICES.lambdaArmGbSecond;
  const dynamodb =
    (month(writeUnitsPerDay) / 1e6) * PRICES.dynamoWritesPerMillion +
    (month(readUnitsPerDay) / 1e6) * PRICES.dynamoReadsPerMillion +
    storageGb * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth);
  const rateLimiter = ((month(requestsPerDay) * WORK.rateLimitUnitsPerRequest) / 1e6) * PRICES.dynamoWritesPerMillion;
  const logs = ((month(requestsPerDay + writesPerDay) * WORK.logBytesPerRequest) / 1e9) * PRICES.logsIngestionGb;
  const webSocket =
    tiered(month(messagesPerDay), PRICES.webSocketMessagesPerMillion, 1e6) +
    (month(connectionMinutesPerDay) / 1e6) * PRICES.webSocketConnectionMinutesPerMillion;
  const cognitoLite = tiered(monthlyActive, PRICES.cognitoLitePerMau);
  const cognitoEssentials = tiered(monthlyActive, PRICES.cognitoEssentialsPerMau);
  const total = apiGateway + lambda + dynamodb + logs + webSocket + cognitoLite;

  return {
    users,
    dailyActive,
    monthlyActive,
    requestsPerActiveDay,
    requestsPerDay,
    averageRps: requestsPerDay / DAY,
    peakRps,
    peakBusiestRouteRps: peakRps * BUSIEST_ROUTE_SHARE,
    peakLambdaConcurrency: peakRps * (WORK.functionMeanMs / 1000) + peak(writesPerDay) * (WORK.fanOutMeanMs / 1000),
    peakWriteUnitsPerSecond: peak(writeUnitsPerDay),
    peakReadUnitsPerSecond: peak(readUnitsPerDay),
    peakCognitoAuthRps: peak(dailyActive * USAGE.cognitoAuthPerDay),
    peakWebSocketConnectsPerSecond: peak(dailyActive * USAGE.sessionsPerDay * USAGE.connectionsPerSession),
    peakStreamRecordsPerSecond: peak(writesPerDay),
    storageGb,
    monthly: { apiGateway, lambda, dynamodb, rateLimiter, logs, webSocket, cognitoLite, cognitoEssentials, total },
    perMonthlyActiveUser: total / monthlyActive,
    perMillionRequests: ((total - cognitoLite) / month(requestsPerDay)) * 1e6,
  };
}

/** How many registered users it takes for a peak figure to reach a quota (the figures are linear in users). */
export function usersAtQuota(figure: (f: ScaleFigures) => number, quota: number): number {
  return quota / figure(figuresAt(1));
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

const design = figuresAt(DESIGN_USERS);

/**
 * API Gateway applies a stage's default route throttling to each route on its own, and the
 * account's limit to all of them together. Each route may take the busiest route's modelled peak
 * with headroom; the burst absorbs one second of it at once.
 */
export const ROUTE_THROTTLE = {
  rateLimit: roundUp(design.peakBusiestRouteRps * HEADROOM, 100),
  burstLimit: roundUp(design.peakBusiestRouteRps * HEADROOM, 100),
} as const;

/**
 * One user's fair share, enforced by the handlers (a fixed window per user): far above what a
 * person does (a few requests a minute; a reconnecting offline queue sends one write at a time,
 * ~20–50 a second for a moment), far below what would hurt anyone else — 10 requests/s of writes
 * is at most 10 × 6 WRU = 60 WCU, 6 % of the user's partition.
 */
export const USER_RATE_LIMIT = {
  requests: 100,
  windowSeconds: 10,
} as const;

/** Alarm when a resource reaches this share of its limit, long before requests fail. */
export const ALARM_AT_SHARE_OF_LIMIT = 0.8;
