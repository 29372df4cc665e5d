/** The one door to the data for components: hooks per query and the actions (writes). */
export { useTasks, useTaskActions, isOptimistic, byOrder, type NewTask, type TaskActions } from "./tasks";
export { useLists, useListActions, type ListActions } from "./lists";
export { useAccountActions } from "./account";
export { UndoProvider, useUndo, useUndoSnapshot } from "./undo-context";
export { TodoApiContext } from "./api-context";
