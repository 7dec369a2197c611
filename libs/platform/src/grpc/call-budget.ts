import { AsyncLocalStorage } from 'node:async_hooks';

const budget = new AsyncLocalStorage<number>();

/**
 * Runs `fn` with a time budget: every gRPC call made inside (however deep) gets at most what is
 * left of it as its deadline, so a caller's remaining budget is passed on instead of each hop
 * starting a fresh timeout.
 */
export function withCallBudget<T>(budgetMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + budgetMs;
  const outer = budget.getStore();
  return budget.run(outer === undefined ? deadline : Math.min(outer, deadline), fn);
}

/** The absolute deadline (ms since epoch) of the budget in force, if any. */
export function currentBudgetDeadline(): number | undefined {
  return budget.getStore();
}
