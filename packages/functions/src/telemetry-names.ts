/**
 * Names the functions log and publish metrics under; infra sets them in the functions'
 * environment and alarms on the metrics. Plain constants: infra imports this file.
 */
export const SERVICE_NAME = "tasks";
export const METRICS_NAMESPACE = "Tasks";
/** Counted by the HTTP wrapper for every 500 INTERNAL it answers. */
export const SERVER_ERROR_METRIC = "ServerError";
