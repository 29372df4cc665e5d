/**
 * The tables of docs/capacity.md, made from the model (capacity-model.ts). The prose around them is
 * written by hand; each table sits between `<!-- generated:NAME -->` and `<!-- /generated -->`.
 */
import {
  ALARM_AT_SHARE_OF_LIMIT,
  DESIGN_USERS,
  figuresAt,
  HEADROOM,
  QUOTAS,
  ROUTE_THROTTLE,
  SCALES,
  USER_RATE_LIMIT,
  usersAtQuota,
  WORK,
  type ScaleFigures,
} from "./capacity-model";

const number = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Small values keep two significant digits, large ones are whole. */
const rate = (value: number) => (value >= 100 ? number(value) : value >= 10 ? number(value, 1) : value.toPrecision(2));
const usd = (value: number) => `$${value >= 100 ? number(value) : number(value, 2)}`;
const users = (value: number) => (value >= 1e6 ? `${number(value / 1e6, value % 1e6 ? 1 : 0)} M` : value >= 1e3 ? `${number(value / 1e3)} k` : number(value));

/** A markdown table; numeric columns (all but the first, unless `textColumns`) align right. */
function table(header: string[], rows: string[][], textColumns = 1): string {
  const rule = header.map((_, i) => (i < textColumns ? "---" : "---:")).join("|");
  return [`| ${header.join(" | ")} |`, `|${rule}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

const scales = SCALES.map(figuresAt);
const columns = ["", ...SCALES.map((n) => `${users(n)} users`)];
const row = (label: string, value: (f: ScaleFigures) => string) => [label, ...scales.map(value)];

function loadTable(): string {
  return table(columns, [
    row("daily · monthly active users", (f) => `${users(f.dailyActive)} · ${users(f.monthlyActive)}`),
    row("API requests per day", (f) => number(f.requestsPerDay)),
    row("API requests/s, average · peak", (f) => `${rate(f.averageRps)} · ${rate(f.peakRps)}`),
    row("busiest route (`GET /sync`), peak req/s", (f) => rate(f.peakBusiestRouteRps)),
    row("Lambda concurrency, peak", (f) => rate(f.peakLambdaConcurrency)),
    row("DynamoDB write · read units/s, peak", (f) => `${rate(f.peakWriteUnitsPerSecond)} · ${rate(f.peakReadUnitsPerSecond)}`),
    row("stream records/s (fan-out), peak", (f) => rate(f.peakStreamRecordsPerSecond)),
    row("WebSocket connects/s, peak", (f) => rate(f.peakWebSocketConnectsPerSecond)),
    row("Cognito sign-ins + refreshes/s, peak", (f) => rate(f.peakCognitoAuthRps)),
    row("stored data (GB)", (f) => rate(f.storageGb)),
  ]);
}

function quotaTable(): string {
  const quotas: [string, number, (f: ScaleFigures) => number][] = [
    ["Cognito `UserAuthentication` (InitiateAuth: sign-in and refresh), req/s", QUOTAS.cognitoUserAuthenticationRps, (f) => f.peakCognitoAuthRps],
    ["API Gateway WebSocket new connections/s", QUOTAS.webSocketConnectsPerSecond, (f) => f.peakWebSocketConnectsPerSecond],
    ["API Gateway requests/s, whole account", QUOTAS.apiGatewayAccountRps, (f) => f.peakRps],
    ["DynamoDB on-demand write units/s, one table", QUOTAS.dynamoTableWru, (f) => f.peakWriteUnitsPerSecond],
    ["Lambda concurrent executions, whole account", QUOTAS.lambdaConcurrency, (f) => f.peakLambdaConcurrency],
  ];
  const design = figuresAt(DESIGN_USERS);
  return table(
    ["default quota (per account and region)", "limit", `peak at ${users(DESIGN_USERS)} users`, "reached at"],
    quotas
      .map(([name, limit, figure]) => ({ name, limit, peak: figure(design), at: usersAtQuota(figure, limit) }))
      .sort((a, b) => a.at - b.at)
      .map(({ name, limit, peak, at }) => [name, number(limit), rate(peak), `${users(Math.round(at / 1e4) * 1e4)} users`]),
  );
}

function costTable(): string {
  return table(columns, [
    row("API Gateway (HTTP API)", (f) => usd(f.monthly.apiGateway)),
    row("Lambda (API functions and fan-out)", (f) => usd(f.monthly.lambda)),
    row("DynamoDB (requests, storage, PITR)", (f) => usd(f.monthly.dynamodb)),
    row("_of which the per-user rate limit (1 WCU per request)_", (f) => `_${usd(f.monthly.rateLimiter)}_`),
    row("CloudWatch Logs (ingestion)", (f) => usd(f.monthly.logs)),
    row("API Gateway WebSocket (messages, connection minutes)", (f) => usd(f.monthly.webSocket)),
    row("Cognito, Lite tier", (f) => usd(f.monthly.cognitoLite)),
    row("**total per month**", (f) => `**${usd(f.monthly.total)}**`),
    row("per monthly active user", (f) => `$${f.perMonthlyActiveUser.toFixed(4)}`),
    row("per million API requests (all but Cognito)", (f) => usd(f.perMillionRequests)),
    row("_Cognito on Essentials instead of Lite_", (f) => `_${usd(f.monthly.cognitoEssentials)}_`),
  ]);
}

function limitsTable(): string {
  const design = figuresAt(DESIGN_USERS);
  return table(
    ["limit", "value", "from"],
    [
      [
        "API stage, each route: rate · burst (req/s)",
        `${number(ROUTE_THROTTLE.rateLimit)} · ${number(ROUTE_THROTTLE.burstLimit)}`,
        `busiest route's peak at ${users(DESIGN_USERS)} users (${rate(design.peakBusiestRouteRps)}/s) × ${HEADROOM}, rounded up to 100`,
      ],
      [
        "one user: requests per window",
        `${USER_RATE_LIMIT.requests} per ${USER_RATE_LIMIT.windowSeconds} s`,
        `≫ a person's use, ≪ what their partition takes (see "Fair share"); costs ${WORK.rateLimitUnitsPerRequest} WCU (one UpdateItem) per request`,
      ],
      ["alarm thresholds", `${ALARM_AT_SHARE_OF_LIMIT * 100} % of each limit`, "time to raise a quota before requests fail"],
    ],
    3,
  );
}

export const GENERATED_TABLES: Record<string, () => string> = {
  load: loadTable,
  quotas: quotaTable,
  costs: costTable,
  limits: limitsTable,
};

/** The document with every generated table replaced by its current content. */
export function regenerate(document: string): string {
  return document.replace(
    /(<!-- generated:([a-z]+) -->\n)[\s\S]*?(\n<!-- \/generated -->)/g,
    (whole, open: string, name: string, close: string) => {
      const make = GENERATED_TABLES[name];
      if (!make) throw new Error(`docs/capacity.md names an unknown table "${name}"`);
      return `${open}${make()}${close}`;
    },
  );
}
