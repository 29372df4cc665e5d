/**
 * Names the functions log and publish metrics under; infra sets them in the functions'
 * environment and alarms on the metrics. Plain constants: infra imports this file.
 */
export const SERVICE_NAME = "tasks";
export const METRICS_NAMESPACE = "Tasks";
/**
 * Counted by the HTTP wrapper for every 500 INTERNAL it answers: an unexpected error, a bug to
 * look at. infra/monitoring.ts alarms on the first one.
 */
export const SERVER_ERROR_METRIC = "ServerError";
/**
 * Counted for every 503 SERVICE_UNAVAILABLE: DynamoDB unreachable, slow or throttling — a
 * dependency fault the client may retry, not a bug. On the dashboard; the API's 5xx-rate alarm
 * fires when it lasts.
 */
export const SERVICE_UNAVAILABLE_METRIC = "ServiceUnavailable";
/**
 * Counted by the live fan-out for every poke it could not deliver (anything but 410 Gone): the
 * record is reported as a batch item failure and retried, so Lambda's Errors metric never sees
 * it. infra/monitoring.ts alarms on it.
 */
export const POKE_FAILURE_METRIC = "PokeFailed";
/** Counted by the live fan-out for every poke delivered (on the dashboard beside the failures). */
export const POKE_SENT_METRIC = "PokeSent";
