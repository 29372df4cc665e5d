import { createContext, useContext } from "react";
import type { TodoApi } from "../api/todo-api";

export const TodoApiContext = createContext<TodoApi | null>(null);

export function useTodoApi(): TodoApi {
  const api = useContext(TodoApiContext);
  if (!api) throw new Error("useTodoApi must be used inside <TodoApiContext.Provider>");
  return api;
}
