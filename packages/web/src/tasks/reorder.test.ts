import type { Todo } from "@tasks/core/contract";
import { describe, expect, it } from "vitest";
import { reorder } from "./reorder";

const task = (order: number): Todo => ({
  id: `01J${String(order).padStart(23, "0")}`, title: `t${order}`, completed: false, order,
  createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", version: 1,
  listId: "default", notes: "", due: null, completedAt: null,
});
const rows = [task(100), task(200), task(300), task(400)];
/** The titles in order after giving rows[from] the new order. */
const after = (from: number, to: number) => {
  const order = reorder(rows, from, to);
  return rows.map((row, i) => (i === from ? { ...row, order: order! } : row)).sort((a, b) => a.order - b.order).map((r) => r.title);
};

describe("reorder: one new order for the moved task", () => {
  it("moves down, up, to the top and to the bottom", () => {
    expect(after(0, 2)).toEqual(["t200", "t300", "t100", "t400"]);
    expect(after(3, 1)).toEqual(["t100", "t400", "t200", "t300"]);
    expect(after(2, 0)).toEqual(["t300", "t100", "t200", "t400"]);
    expect(after(1, 3)).toEqual(["t100", "t300", "t400", "t200"]);
  });

  it("changes nothing when dropped where it was", () => {
    expect(reorder(rows, 2, 2)).toBeNull();
    expect(reorder(rows, 0, 9)).toBeNull();
  });
});
