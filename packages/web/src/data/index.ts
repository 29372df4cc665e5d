/** The one door to the data for components: hooks per view and the actions (writes). */
export { useTasks, useTaskActions, useIsUnsynced, useSyncStatus, byOrder, type NewTask, type TaskActions } from "./tasks";
export { useLists, useListActions, type ListActions } from "./lists";
export { useAccountActions } from "./account";
export { UndoProvider, useUndo, useUndoSnapshot } from "./undo-context";
export { TodoApiContext } from "./api-context";
export { SyncSession, useEndSyncSession, useServerIdOf } from "./sync-session";
export { useSyncEngine } from "../sync/react";
