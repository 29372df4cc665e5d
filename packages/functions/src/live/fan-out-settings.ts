/**
 * How the fan-out is invoked: infra/realtime.ts deploys its event source mapping with these, and
 * the offline stack's stream poller invokes it the same way. Plain constants: infra imports this file.
 */
export const FAN_OUT = {
  /** Seconds. Posting to 100 connections takes well under one; the rest is room for SDK retries. */
  timeoutSeconds: 30,
  /** Records per invocation (one poke per user per batch, whatever the batch's size). */
  batchSize: 100,
  /** Lambda retries a failed record this often, then skips it (a poke is not worth blocking the shard). */
  maximumRetryAttempts: 10,
  /** …and never a record older than this (seconds): a client that late resyncs on reconnect anyway. */
  maximumRecordAgeSeconds: 600,
} as const;
