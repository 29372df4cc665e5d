import { describe, expect, it } from "vitest";
import { ConfirmationCodeBook, describeCode, type ConfirmationCode } from "./confirmation-codes.js";

describe("ConfirmationCodeBook", () => {
  it("keeps the latest code per address, case-insensitively, and reports each one", () => {
    const seen: ConfirmationCode[] = [];
    const book = new ConfirmationCodeBook((code) => seen.push(code));
    book.record("Someone@Example.com", "111111", "sign-up");
    book.record("someone@example.com", "222222", "password-reset");
    expect(book.latestFor("SOMEONE@example.com")).toMatchObject({ code: "222222", purpose: "password-reset" });
    expect(seen.map(describeCode)).toEqual([
      "Confirmation code for someone@example.com: 111111",
      "Password reset code for someone@example.com: 222222",
    ]);
    expect(book.latestFor("other@example.com")).toBeUndefined();
  });
});
