/**
 * Export and account deletion through the offline stack, against cognito-local: the export holds
 * the user's lists and tasks; DELETE /account removes every item of the user, their Cognito user
 * (sign-in fails, cognito-local has no such user) and makes their still-valid access token get
 * 401 everywhere; the same email signs up again and starts empty. Deployed settings: the deletion
 * waits out the requests that may still be in flight (10 s), within its route's 29 s timeout.
 */
import { AdminGetUserCommand, UserNotFoundException } from "@aws-sdk/client-cognito-identity-provider";
import { AccountExport } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoAt, signIn, signUpAndSignIn } from "../../test-support/cognito-users.js";
import { scanPartitions } from "../../test-support/raw-table.js";
import { expectSafeError, startHarness, type Harness, type User } from "./support.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe("GET /export and DELETE /account", () => {
  let user: User;

  it("exports every list and task of the caller as a JSON download", async () => {
    user = await h.signUp("leaving");
    const list = await h.call(user.accessToken, "POST", "/lists", { body: { name: "Work" } });
    expect(list.status).toBe(201);
    const listId = (list.body as { id: string }).id;
    await h.create(user, { title: "in the default list" });
    await h.create(user, { title: "at work", listId, notes: "notes", due: "2026-12-31" });
    const other = await h.signUp("staying");
    await h.create(other, { title: "not yours" });

    const exported = await h.call(user.accessToken, "GET", "/export");
    expect(exported.status, exported.text).toBe(200);
    expect(exported.headers.get("content-disposition")).toMatch(/^attachment; filename="tasks-export-.+\.json"$/);
    const data = AccountExport.parse(exported.body);
    expect(data.lists.map((l) => l.name).sort()).toEqual(["Tasks", "Work"]);
    expect(data.todos.map((t) => t.title).sort()).toEqual(["at work", "in the default list"]);
  });

  it("deletes the account: its items, its Cognito user; its old token gets 401; the same email starts empty", async () => {
    const started = performance.now();
    const deleted = await h.call(user.accessToken, "DELETE", "/account", { timeoutMs: 35_000 });
    expect(deleted.status, deleted.text).toBe(204);
    console.log(`DELETE /account through the offline stack: ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const raw = await scanPartitions(h.stack.dynamoDbEndpoint, h.stack.tableNames.todos, [user.sub]);
    const partition = raw.get(user.sub)!;
    expect({ tasks: partition.tasks.size, lists: partition.lists.size, memberships: partition.memberships, other: partition.other }).toEqual({
      tasks: 0,
      lists: 0,
      memberships: [],
      other: [],
    });

    const cognito = cognitoAt(h.stack.cognitoEndpoint);
    try {
      await expect(cognito.send(new AdminGetUserCommand({ UserPoolId: h.stack.userPoolId, Username: user.email }))).rejects.toBeInstanceOf(
        UserNotFoundException,
      );
      await expect(signIn(cognito, h.stack.userPoolClientId, user.email)).rejects.toThrow();
    } finally {
      cognito.destroy();
    }

    // The old access token is still signed and unexpired: API Gateway lets it through, the handlers do not.
    for (const [method, path] of [["GET", "/todos"], ["GET", "/lists"], ["GET", "/export"], ["POST", "/todos"]] as const) {
      const response = await h.call(user.accessToken, method, path, method === "POST" ? { body: { title: "after the end" } } : {});
      expect(response.status, `${method} ${path}: ${response.text}`).toBe(401);
      expectSafeError(response, [user.accessToken]);
    }
    const after = (await scanPartitions(h.stack.dynamoDbEndpoint, h.stack.tableNames.todos, [user.sub])).get(user.sub)!;
    expect(after.tasks.size).toBe(0);

    const again = await signUpAndSignIn(h.stack, user.email);
    expect(again.sub).not.toBe(user.sub);
    const todos = await h.call(again.accessToken, "GET", "/todos");
    expect(todos.body).toEqual({ items: [], nextCursor: null });
    const exported = AccountExport.parse((await h.call(again.accessToken, "GET", "/export")).body);
    expect(exported.todos).toEqual([]);
    expect(exported.lists.map((l) => l.id)).toEqual(["default"]);
  }, 90_000);
});
