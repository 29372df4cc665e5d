/**
 * A property test of the replica, the write queue and the engine against a model: random local
 * writes, a second device writing straight to the server, outages, answers lost after the server
 * did the work, reloads (the engine, its IndexedDB replica and queue closed and opened again),
 * pokes and expired cursors. At the end, back online and settled:
 *
 * - the replica's view equals the server's state (it converges);
 * - every task created locally is on the server exactly once (or deleted), by its tag;
 * - each field holds what the conflict rule says: the person's last edit of a field wins over the
 *   other device's edits made before it was sent (field-wise last writer wins); a delete wins;
 * - lists made here hold the tasks made in or moved to them; a list deleted on the other device
 *   takes its tasks with it (a write into it made before this device heard of it is set aside).
 *
 * The server is the in-memory contract implementation (test-support/sync-api-server.ts): this
 * checks the client against the contract, not the real API. `FC_SEED=<seed>` replays a failure.
 */
import "fake-indexeddb/auto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSyncApiServer, tokenOf } from "../test-support/sync-api-server";
import { openSyncEngine, writeQueueName, type SyncEngine } from "./sync-engine";
import { WriteQueue } from "./write-queue";

type Op =
  | { op: "create" }
  | { op: "createList" }
  | { op: "createIn"; j: number }
  | { op: "move"; i: number; j: number }
  | { op: "completeAll"; j: number; completed: boolean }
  | { op: "deviceDeleteList"; j: number }
  | { op: "rename"; i: number; title: string }
  | { op: "toggle"; i: number }
  | { op: "delete"; i: number }
  | { op: "deviceCreate" }
  | { op: "deviceRename"; i: number; title: string }
  | { op: "deviceToggle"; i: number }
  | { op: "deviceDelete"; i: number }
  | { op: "outage" }
  | { op: "reconnect" }
  | { op: "loseAnswer" }
  | { op: "reload" }
  | { op: "poke" }
  | { op: "expireCursors" };

const index = fc.nat({ max: 20 });
const title = fc.constantFrom("a", "b", "c", "d");
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ op: "create" as const }), weight: 3 },
  { arbitrary: fc.constant({ op: "createList" as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("createIn" as const), j: index }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("move" as const), i: index, j: index }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("completeAll" as const), j: index, completed: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("deviceDeleteList" as const), j: index }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("rename" as const), i: index, title }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("toggle" as const), i: index }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("delete" as const), i: index }), weight: 1 },
  { arbitrary: fc.constant({ op: "deviceCreate" as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("deviceRename" as const), i: index, title }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("deviceToggle" as const), i: index }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("deviceDelete" as const), i: index }), weight: 1 },
  { arbitrary: fc.constant({ op: "outage" as const }), weight: 2 },
  { arbitrary: fc.constant({ op: "reconnect" as const }), weight: 2 },
  { arbitrary: fc.constant({ op: "loseAnswer" as const }), weight: 1 },
  { arbitrary: fc.constant({ op: "reload" as const }), weight: 1 },
  { arbitrary: fc.constant({ op: "poke" as const }), weight: 1 },
  { arbitrary: fc.constant({ op: "expireCursors" as const }), weight: 1 },
);

interface ModelList {
  name: string;
  deleted: boolean;
}

interface ModelTask {
  tag: string;
  title: string;
  completed: boolean;
  deleted: boolean;
  localId?: string;
  /** Undefined: the default list. */
  list?: ModelList;
}

const NO_TIMED_RETRY = { baseMs: 3_600_000, maxMs: 3_600_000 };

async function run(ops: Op[]): Promise<void> {
  const server = createSyncApiServer();
  const me = `user-${crypto.randomUUID()}`;
  const device = server.device(me);
  const events = new EventTarget();
  const open = async () => {
    const engine = await openSyncEngine({ userId: me, apiUrl: "http://api.test", getAccessToken: async () => tokenOf(me), fetch: server.fetch, events, retry: NO_TIMED_RETRY });
    engine.start();
    await engine.settled();
    return engine;
  };
  let engine: SyncEngine = await open();
  const queue = await WriteQueue.open(writeQueueName(me)); // a second connection, to read what is pending
  const model: ModelTask[] = [];
  const lists: ModelList[] = [];
  let tags = 0;

  const live = () => model.filter((task) => !task.deleted);
  const liveLists = () => lists.filter((list) => !list.deleted);
  const shownList = (list: ModelList) => engine.getView().lists.find((candidate) => candidate.name === list.name);
  const serverList = (list: ModelList) => server.lists(me).find((candidate) => candidate.name === list.name);
  /** Writes still to send, of any kind. */
  const quiet = async () => (await queue.pending()).length === 0;
  const shown = (task: ModelTask) => engine.getView().todos.find((todo) => todo.notes === task.tag);
  const onServer = (task: ModelTask) => server.todos(me).find((todo) => todo.notes === task.tag);
  /** Whether a write of `field` to the task is still waiting to be sent: it will then win. */
  const pendingEdit = async (task: ModelTask, field: "title" | "completed") => {
    const ids = [onServer(task)?.id, task.localId].filter(Boolean);
    return (await queue.pending()).some(
      (write) =>
        (write.method === "PATCH" && ids.some((id) => write.path === `/todos/${id}`) && field in (write.body as object)) ||
        (write.method === "DELETE" && ids.some((id) => write.path === `/todos/${id}`)),
    );
  };

  try {
    for (const step of ops) {
      switch (step.op) {
        case "create": {
          const task: ModelTask = { tag: `m${++tags}`, title: `t${tags}`, completed: false, deleted: false };
          const { id } = await engine.write({ type: "createTodo", input: { title: task.title, notes: task.tag } });
          task.localId = id;
          model.push(task);
          break;
        }
        case "createList": {
          const list: ModelList = { name: `L${++tags}`, deleted: false };
          await engine.write({ type: "createList", input: { name: list.name } });
          lists.push(list);
          break;
        }
        case "createIn": {
          const list = liveLists()[step.j % Math.max(1, liveLists().length)];
          const shown = list && shownList(list);
          if (!list || !shown) break;
          const task: ModelTask = { tag: `m${++tags}`, title: `t${tags}`, completed: false, deleted: false, list };
          const { id } = await engine.write({ type: "createTodo", input: { title: task.title, notes: task.tag, listId: shown.id } });
          task.localId = id;
          model.push(task);
          break;
        }
        case "move": {
          const task = live()[step.i % Math.max(1, live().length)];
          const list = liveLists()[step.j % Math.max(1, liveLists().length)];
          const todo = task && shown(task);
          const target = list && shownList(list);
          if (!task || !todo || !list || !target) break;
          await engine.write({ type: "updateTodo", id: todo.id, patch: { listId: target.id } });
          task.list = list;
          break;
        }
        case "completeAll": {
          // Only on a quiet, reliable network: a mark all sent later (or again, its answer lost)
          // applies to the tasks the server holds then, which this model does not predict.
          if (!server.state.online || server.lostAnswersPending() > 0 || !(await quiet())) break;
          const list = step.j % 2 === 0 ? undefined : liveLists()[step.j % Math.max(1, liveLists().length)];
          const target = list ? shownList(list) : undefined;
          if (list && !target) break;
          await engine.write({ type: "completeAll", completed: step.completed, ...(target ? { listId: target.id } : {}) });
          for (const task of live()) if (list === undefined || task.list === list) task.completed = step.completed;
          break;
        }
        case "deviceDeleteList": {
          // Only once this device's writes are all on the server: a pending move into the list
          // would be set aside and leave the task where it was, which this model does not track.
          const list = liveLists()[step.j % Math.max(1, liveLists().length)];
          const found = list && serverList(list);
          if (!list || !found || !(await quiet())) break;
          device.deleteList(found.id);
          list.deleted = true;
          for (const task of model) if (task.list === list) task.deleted = true;
          break;
        }
        case "rename":
        case "toggle":
        case "delete": {
          const task = live()[step.i % Math.max(1, live().length)];
          const todo = task && shown(task);
          if (!task || !todo) break;
          if (step.op === "rename") {
            await engine.write({ type: "updateTodo", id: todo.id, patch: { title: step.title } });
            task.title = step.title;
          } else if (step.op === "toggle") {
            await engine.write({ type: "updateTodo", id: todo.id, patch: { completed: !todo.completed } });
            task.completed = !todo.completed;
          } else {
            await engine.write({ type: "deleteTodo", id: todo.id });
            task.deleted = true;
          }
          break;
        }
        case "deviceCreate": {
          const task: ModelTask = { tag: `m${++tags}`, title: `d${tags}`, completed: false, deleted: false };
          device.create({ title: task.title, notes: task.tag });
          model.push(task);
          break;
        }
        case "deviceRename":
        case "deviceToggle":
        case "deviceDelete": {
          const task = live()[step.i % Math.max(1, live().length)];
          const todo = task && onServer(task);
          if (!task || !todo) break;
          if (step.op === "deviceDelete") {
            device.delete(todo.id);
            task.deleted = true;
          } else if (step.op === "deviceRename") {
            device.patch(todo.id, { title: step.title });
            if (!(await pendingEdit(task, "title"))) task.title = step.title;
          } else {
            device.patch(todo.id, { completed: !todo.completed });
            if (!(await pendingEdit(task, "completed"))) task.completed = !todo.completed;
          }
          break;
        }
        case "outage":
          server.state.online = false;
          events.dispatchEvent(new Event("offline"));
          break;
        case "reconnect":
          server.state.online = true;
          events.dispatchEvent(new Event("online"));
          break;
        case "loseAnswer":
          server.loseAnswers(1);
          break;
        case "reload": {
          const before = engine.getView();
          engine.close();
          engine = await openSyncEngine({ userId: me, apiUrl: "http://api.test", getAccessToken: async () => tokenOf(me), fetch: () => new Promise(() => undefined), events, retry: NO_TIMED_RETRY });
          // Before any network answer, the reopened replica and queue show what was shown.
          expect(engine.getView().todos).toEqual(before.todos);
          engine.close();
          engine = await open();
          break;
        }
        case "poke":
          await engine.pull();
          break;
        case "expireCursors":
          server.expireCursors();
          break;
      }
      await engine.settled();
    }

    // Back online for good (answers still to be lost are not): everything pending is sent and
    // the replica catches up.
    server.heal();
    events.dispatchEvent(new Event("online"));
    await engine.settled();
    for (let round = 0; round < 5 && engine.getStatus().pending > 0; round++) {
      await engine.flush();
      await engine.settled();
    }
    await engine.pull();
    await engine.settled();

    expect(engine.getStatus().pending).toBe(0);
    expect(engine.getView().todos).toEqual([...server.todos(me)].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1)));
    expect(engine.getView().lists).toEqual([...server.lists(me)].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1)));
    expect(server.lists(me).filter((l) => !l.isDefault).map((l) => l.name).sort()).toEqual(liveLists().map((l) => l.name).sort());
    for (const task of model) {
      const copies = server.todos(me).filter((todo) => todo.notes === task.tag);
      if (task.deleted) {
        expect(copies, `${task.tag} deleted`).toEqual([]);
      } else {
        expect(copies, `${task.tag} exactly once`).toHaveLength(1);
        const listId = task.list ? serverList(task.list)?.id : "default";
        expect({ tag: task.tag, title: copies[0]!.title, completed: copies[0]!.completed, listId: copies[0]!.listId }).toEqual({ tag: task.tag, title: task.title, completed: task.completed, listId });
      }
    }
    expect(server.todos(me)).toHaveLength(live().length);
    // Only writes to what the other device deleted are set aside (404): the delete wins.
    for (const write of engine.getStatus().setAside) {
      expect(write).toMatchObject({ error: { status: 404 } });
      expect(["PATCH", "POST"]).toContain(write.method);
    }
  } finally {
    engine.close();
    queue.close();
  }
}

describe("the sync stack against a model (in-memory contract server)", () => {
  it("converges to the server and keeps every acknowledged write exactly once, by the conflict rule", async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArbitrary, { minLength: 20, maxLength: 60 }), run), { numRuns: 60, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) });
  }, 120_000);
});

