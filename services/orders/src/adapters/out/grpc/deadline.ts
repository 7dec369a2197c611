import { withCallBudget } from '@junction/platform';

/**
 * Runs a gRPC call within the checkout's deadline: GrpcClient shortens the call's own deadline
 * to what is left of the budget (withCallBudget), so a checkout that already spent most of its
 * budget does not start a full-length call. Without a deadline the call has only its own.
 */
export function withinDeadline<T>(deadline: Date | undefined, call: () => Promise<T>): Promise<T> {
  if (deadline === undefined) return call();
  return withCallBudget(deadline.getTime() - Date.now(), call);
}
