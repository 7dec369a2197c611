// The checkout client (HTTP, Node built-ins only: the load image runs it without node_modules).
export { type JsonReply, HttpJson, type RequestOptions } from './http-json.mts';
export { type ArrivalRate, type Arrivals, openLoop } from './open-loop.mts';
export {
  CARDS,
  CHECKOUT_MODES,
  type CheckoutMode,
  DEFAULT_SKU,
  isAcceptedStatus,
  orderBody,
  type OrderRequest,
  PLENTIFUL_SKU,
} from './order.mts';
export { Shopper, type ShopperIdentity } from './shopper.mts';
