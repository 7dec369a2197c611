// Jaeger's query API, asked the way docs/tracing.md tells a person to: the services, an api/v3
// search by service (both spellings of its parameters, tools/trace/search.mts), the Jaeger UI's
// search by attribute (tags), and a whole trace by id from api/v3.
import { parseJaegerResponse, type Span, spansOf } from '../../../tools/trace/otlp.mts';
import { traceSearchQuery, type TraceSearch, uiSearchQuery } from '../../../tools/trace/search.mts';

export class JaegerQuery {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: await response.text() };
  }

  /** GET /api/v3/services */
  async services(): Promise<string[]> {
    const { status, body } = await this.get('/api/v3/services');
    if (status !== 200) throw new Error(`GET /api/v3/services: ${String(status)} ${body}`);
    return (JSON.parse(body) as { services?: string[] }).services ?? [];
  }

  /** GET /api/v3/traces?… : every span of the traces found (none: Jaeger's 404). */
  async search(search: TraceSearch): Promise<Span[]> {
    const { status, body } = await this.get(
      `/api/v3/traces?${traceSearchQuery(search).toString()}`,
    );
    if (status === 404) return [];
    if (status !== 200) throw new Error(`api/v3 search: ${String(status)} ${body}`);
    return spansOf(parseJaegerResponse(body));
  }

  /** GET /api/traces?service=…&tags=… (the UI's search): the ids of the traces found. */
  async uiSearch(search: TraceSearch): Promise<string[]> {
    const { status, body } = await this.get(`/api/traces?${uiSearchQuery(search).toString()}`);
    if (status !== 200) throw new Error(`UI search: ${String(status)} ${body}`);
    const { data } = JSON.parse(body) as { data?: { traceID: string }[] | null };
    return (data ?? []).map((trace) => trace.traceID);
  }

  /** GET /api/v3/traces/{traceId} (none: Jaeger's 404). */
  async trace(traceId: string): Promise<Span[]> {
    const { status, body } = await this.get(`/api/v3/traces/${traceId}`);
    if (status === 404) return [];
    if (status !== 200) throw new Error(`GET /api/v3/traces/${traceId}: ${String(status)} ${body}`);
    return spansOf(parseJaegerResponse(body));
  }

  /**
   * Every trace holding a span with order.id = orderId: the UI search (a span of the service
   * with the tag) in each of `services`, then each trace by id. With span links a hop's trace
   * has no orders span, so a checkout's four traces take a search per service.
   */
  async tracesOfOrder(
    orderId: string,
    since: Date,
    services: readonly string[] = ['orders'],
  ): Promise<Span[]> {
    const found = await Promise.all(
      services.map((service) =>
        this.uiSearch({
          service,
          attributes: { 'order.id': orderId },
          startTimeMin: since,
          startTimeMax: new Date(Date.now() + 60_000),
          depth: 20,
        }),
      ),
    );
    const ids = [...new Set(found.flat())];
    return (await Promise.all(ids.map((id) => this.trace(id)))).flat();
  }
}
