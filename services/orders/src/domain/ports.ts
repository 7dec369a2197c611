import { type Order, type OrderLine, type OrderStatus, type PlaceOrder } from './order';

/**
 * The ports of orders: what the domain needs from the world, as abstract classes (each is the
 * type and the Nest injection token; app.module.ts binds it to its adapter). The Clock and the
 * IdGenerator come from @junction/platform.
 */

/** An event serialized for the transactional outbox; opaque to the domain. */
export type SerializedEvent = string;

/** The binding of an Idempotency-Key that holds after a claim: ours, or an earlier one. */
export interface IdempotencyClaim {
  readonly orderId: string;
  readonly fingerprint: string;
  /** true when this call bound the key (to the order id it passed). */
  readonly claimed: boolean;
}

/** An Idempotency-Key of a user, to bind to a new order in the same step that writes it. */
export interface IdempotencyBinding {
  readonly userId: string;
  readonly key: string;
  readonly fingerprint: string;
  /**
   * The earlier binding the caller found stale (its order is gone, or was rejected for a
   * transient reason): the key is taken over if it still holds exactly that binding.
   */
  readonly replacing?: IdempotencyClaim | undefined;
}

/** Where orders, their status history and the Idempotency-Key bindings are kept. */
export abstract class OrderStore {
  /** Writes a new order; with `event`, that event goes into the outbox in the same step. */
  abstract create(order: Order, event?: SerializedEvent): Promise<void>;

  /**
   * Moves a pending order to `status`, once: a second outcome for the same order (a duplicate
   * or late event) changes nothing and answers false. `totalCents` undefined keeps the total.
   */
  abstract transition(
    orderId: string,
    status: OrderStatus,
    reason: string,
    totalCents?: number,
  ): Promise<boolean>;

  abstract find(orderId: string): Promise<Order | undefined>;

  /** Blocking checkouts started before `olderThan` that never finished (their caller is gone). */
  abstract abandonedBlocking(olderThan: Date, limit?: number): Promise<string[]>;

  /** Queued orders placed before `olderThan` that are still pending, oldest first. */
  abstract overdueQueued(olderThan: Date, limit?: number): Promise<string[]>;

  /**
   * Rejects a pending order as `reason` and lists it among the orders to compensate, in one
   * atomic step (as transition does, at `at`): of several callers, and against the saga's own
   * outcomes, exactly one wins, and only while the order is pending. true for the winner.
   */
  abstract rejectToCompensate(orderId: string, reason: string, at: Date): Promise<boolean>;

  /** Lists a rejected order (again) among those to compensate, e.g. after a late capture. */
  abstract markToCompensate(orderId: string, at: Date): Promise<void>;

  /** Orders listed to compensate at or before `listedBefore`, oldest first. */
  abstract toCompensate(listedBefore: Date, limit?: number): Promise<string[]>;

  /**
   * The order's compensation is done: it leaves the list, unless it was listed again after
   * `listedUpTo` (a capture that came while the compensation ran is compensated once more).
   */
  abstract compensated(orderId: string, listedUpTo: Date): Promise<void>;

  /** The ids of the user's orders, newest first. */
  abstract listIdsForUser(userId: string, limit: number): Promise<string[]>;

  /**
   * Writes a new order (with `event`, as create does) and binds the Idempotency-Key to it, in
   * one atomic step: a key is never bound to an order that was not written, nor an order
   * written under a key bound to another (first caller wins, the binding is kept 24 h). When
   * the key is bound already, nothing is written and the earlier binding is returned.
   */
  abstract createWithKey(
    order: Order,
    binding: IdempotencyBinding,
    event?: SerializedEvent,
  ): Promise<IdempotencyClaim>;
}

/** A digest of a checkout request: a reused Idempotency-Key with another request differs. */
export abstract class RequestFingerprint {
  abstract of(request: PlaceOrder): string;
}

export type ReservationOutcome =
  | { readonly reserved: true; readonly totalCents: number }
  | { readonly reserved: false; readonly reason: string };

/**
 * Inventory, as the blocking checkout reaches it. `deadline` is the end of the time budget the
 * call belongs to (the checkout's, or its undo's): a call gets at most what is left of it. Both
 * calls are idempotent per order.
 */
export abstract class StockReserver {
  abstract reserve(
    orderId: string,
    lines: readonly OrderLine[],
    deadline?: Date,
  ): Promise<ReservationOutcome>;

  /** Returns the order's stock (nothing happens if none was reserved). */
  abstract release(orderId: string, deadline?: Date): Promise<void>;
}

export type ChargeOutcome =
  { readonly captured: true } | { readonly captured: false; readonly reason: string };

/** Payment, as the blocking checkout reaches it; `deadline` as for StockReserver. */
export abstract class PaymentGateway {
  abstract charge(
    orderId: string,
    userId: string,
    amountCents: number,
    paymentMethod: string,
    deadline?: Date,
  ): Promise<ChargeOutcome>;

  /** Refunds the order's charge; fails with not_found or failed_precondition if none was taken. */
  abstract refund(orderId: string, deadline?: Date): Promise<void>;
}

/** The events of a checkout, stored in the transactional outbox with the order they are about. */
export abstract class CheckoutEvents {
  /** The order.placed event of a new queued order, to store with it (OrderStore.create). */
  abstract orderPlaced(order: Order): SerializedEvent;

  /** Sends the order's events that were just stored now, instead of at the next poll. */
  abstract flush(order: Order): void;
}

/** Status changes of orders, from every orders replica. */
export abstract class OrderStatusFeed {
  /** Calls `listener` whenever the order changes; returns the function that stops watching. */
  abstract watch(orderId: string, listener: () => void): () => void;
}
