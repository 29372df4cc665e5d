/**
 * The list repository at the contract's real limit: 100 lists per user, the default one included,
 * exact when 20 creates race for the last 9 slots; a deleted list frees its slot.
 */
import { expect, it } from "vitest";
import { useRepository } from "./repository-fixture.js";
import { isTransientDynamoError, ListRepository, MAX_LISTS_PER_USER, TooManyListsError } from "../src/index.js";

const fixture = useRepository();

it("keeps at most 100 lists, the default one included, when creates race for the last slots", async () => {
  const lists = new ListRepository(fixture.db, fixture.tables.todos);
  const user = "user-many-lists";
  for (let i = 0; i < 90; i++) await lists.create(user, { name: `list ${i}` });
  const racing = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => lists.create(user, { name: `race ${i}` })));
  const results = [...Array.from({ length: 90 }, () => ({ status: "fulfilled" as const })), ...racing];
  const created = results.filter((r) => r.status === "fulfilled");
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  // Racing on one counter, some creates give up on TransactionConflict (a 503: retry) — never
  // one past the cap.
  expect(created.length).toBeLessThanOrEqual(MAX_LISTS_PER_USER - 1);
  expect(refused.every((r) => r.reason instanceof TooManyListsError || isTransientDynamoError(r.reason))).toBe(true);
  expect(refused.some((r) => r.reason instanceof TooManyListsError)).toBe(true);
  // The counter is exact: what is left to create is exactly what the cap leaves.
  for (let i = created.length; i < MAX_LISTS_PER_USER - 1; i++) await lists.create(user, { name: `fill ${i}` });
  await expect(lists.create(user, { name: "past the cap" })).rejects.toBeInstanceOf(TooManyListsError);
  const all = await lists.all(user);
  expect(all).toHaveLength(100);
  expect(all[0]).toMatchObject({ id: "default", isDefault: true });

  await lists.remove(user, all[1]!.id);
  await lists.create(user, { name: "the freed slot" });
  await expect(lists.create(user, { name: "one too many" })).rejects.toBeInstanceOf(TooManyListsError);
}, 60_000);
