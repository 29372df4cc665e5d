/** The account's own requests (DESIGN.md, "Account"): export everything, delete everything. */
import { useTodoApi } from "./api-context";

export function useAccountActions() {
  const api = useTodoApi();
  return {
    /** Every list and task of the user, as the JSON document GET /export answers. */
    exportData: () => api.exportData(),
    /** Deletes every item of the user and the user; the caller signs out afterwards. */
    deleteAccount: () => api.deleteAccount(),
  };
}
