/** A domain event ready to publish: proto3 JSON body plus the envelope fields. */
export interface OutgoingEvent {
  readonly routingKey: string;
  readonly messageId: string;
  readonly type: string;
  /** The proto3 JSON of the event message (it carries messageId, type and occurredAt too). */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}
