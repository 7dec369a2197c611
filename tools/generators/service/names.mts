// How one name is spelled in each place a service or an event appears.

/** `gift-cards` → `GiftCards`; `shipment.created` → `ShipmentCreated`. */
export function pascalCase(name: string): string {
  return name
    .split(/[-._]/)
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
}

/** `gift-cards` → `giftCards`; `shipment.created` → `shipmentCreated`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return `${pascal.charAt(0).toLowerCase()}${pascal.slice(1)}`;
}

/** The spellings of a service name (kebab-case, e.g. `gift-cards`). */
export interface ServiceNames {
  /** Folder, process, Redis key prefix, Kubernetes objects: `gift-cards`. */
  readonly name: string;
  /** Classes: `GiftCards` (GiftCardsService, GiftCardsConfig). */
  readonly className: string;
  /** Object keys: `giftCards` (GRPC_SERVICES.giftCards). */
  readonly propertyName: string;
  /** Environment variables: `GIFT_CARDS`. */
  readonly constantName: string;
  /** Proto package segment: `gift_cards` (junction.gift_cards.v1). */
  readonly protoName: string;
  /** The contracts namespace: `giftCardsV1`. */
  readonly namespace: string;
  /** The npm workspace package: `@junction/gift-cards`. */
  readonly packageName: string;
}

export function serviceNames(name: string): ServiceNames {
  const propertyName = camelCase(name);
  return {
    name,
    className: pascalCase(name),
    propertyName,
    constantName: name.replace(/-/g, '_').toUpperCase(),
    protoName: name.replace(/-/g, '_'),
    namespace: `${propertyName}V1`,
    packageName: `@junction/${name}`,
  };
}

/** The spellings of an event's routing key (e.g. `payment.captured`). */
export interface EventNames {
  readonly key: string;
  /** ROUTING_KEYS property: `paymentCaptured`. */
  readonly property: string;
  /** Proto message and consumer class stem: `PaymentCaptured`. */
  readonly message: string;
  /** zod schema in libs/contracts: `paymentCapturedSchema`. */
  readonly schema: string;
  /** Its TypeScript type: `PaymentCapturedEvent`. */
  readonly type: string;
  /** File name stem: `payment-captured`. */
  readonly fileName: string;
}

export function eventNames(key: string): EventNames {
  const property = camelCase(key);
  return {
    key,
    property,
    message: pascalCase(key),
    schema: `${property}Schema`,
    type: `${pascalCase(key)}Event`,
    fileName: key.replace(/[._]/g, '-'),
  };
}
