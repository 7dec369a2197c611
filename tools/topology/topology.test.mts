import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { brokerTopology } from './broker.mts';
import {
  generatedFiles,
  SCHEMA_FILE,
  SKAFFOLD_FILE,
  staleFiles,
  VALUES_FILE,
} from './generate.mts';
import {
  grpcCallersOf,
  loadTopology,
  parseTopology,
  routeMeetsPrefix,
  routePattern,
  TOPOLOGY_FILE,
} from './topology.mts';

const text = readFileSync(TOPOLOGY_FILE, 'utf8');

/** The parts of the parsed file the tests below edit. */
interface Raw {
  services: Record<
    string,
    Record<string, unknown> & { routes: string[]; consumes: string[]; publishes: string[] }
  >;
  calls: { grpc: string[]; http?: string[] }[];
  web: Record<string, { http: number; prefix: string; demo: string[] }>;
}

/** topology.yaml with one edit applied to its parsed form, as text again. */
function edited(edit: (raw: Raw) => void): string {
  const raw = parse(text) as Raw;
  edit(raw);
  return JSON.stringify(raw);
}

describe('topology.yaml', () => {
  it('is what the generated Helm values, values schema, skaffold config, contracts, RabbitMQ definitions and README ports table say', async () => {
    assert.deepEqual(await staleFiles(), [], 'run: npm run topology:generate');
  });

  it('regenerating from a changed declaration changes the Helm values', async () => {
    const changed = parseTopology(
      edited((raw) => {
        raw.services.payment!.http = 3999;
      }),
    );
    const values = (await generatedFiles(changed)).get(VALUES_FILE) ?? '';
    assert.match(values, /httpPort: 3999/);
  });

  it("regenerating from a changed web app changes its values, the schema's names and skaffold's image and demo values", async () => {
    const changed = parseTopology(
      edited((raw) => {
        raw.web.kiosk = { http: 3998, prefix: '/kiosk/', demo: [] };
        raw.web.storefront!.demo = ['inventory'];
      }),
    );
    const files = await generatedFiles(changed);
    const values = parse(files.get(VALUES_FILE) ?? '') as { web: Record<string, unknown> };
    assert.deepEqual(values.web, {
      storefront: { httpPort: 3006, prefix: '/shop/', demo: ['inventory'] },
      kiosk: { httpPort: 3998, prefix: '/kiosk/', demo: [] },
    });
    const schema = JSON.parse(files.get(SCHEMA_FILE) ?? '') as {
      definitions: { webAppName: { enum: string[] } };
    };
    assert.deepEqual(schema.definitions.webAppName.enum, ['storefront', 'kiosk']);
    const skaffold = files.get(SKAFFOLD_FILE) ?? '';
    assert.match(
      skaffold,
      /- image: junction-kiosk\n\s+context: \.\n\s+docker:\n\s+dockerfile: Dockerfile\n\s+target: kiosk/,
    );
    assert.match(skaffold, /kiosk\.image\.tag: '\{\{\.IMAGE_TAG_junction_kiosk\}\}'/);
    // The demo panel on, and exactly the faults it sets: inventory's now, no longer payment's.
    assert.match(
      skaffold,
      /storefront\.demoPanel: true\n\s+services\.inventory\.faults\.enabled: true\n#/,
    );
    assert.doesNotMatch(skaffold, /kiosk\.demoPanel|services\.payment\.faults\.enabled/);
  });

  it('keeps the UI and the API apart: no public route lies under a web prefix', () => {
    const topology = loadTopology();
    const api = Object.values(topology.services).flatMap((s) => s.routes);
    for (const app of Object.values(topology.web)) {
      for (const route of api) {
        assert.equal(
          routeMeetsPrefix(route.path, app.prefix),
          false,
          `${route.path} ${app.prefix}`,
        );
      }
    }
    type WithWeb = Raw & { web: Record<string, { prefix: string; http: number }> };
    const refused = (edit: (raw: WithWeb) => void, reason: RegExp): void => {
      assert.throws(() => parseTopology(edited(edit)), reason);
    };
    // A route under the prefix, literal or through a {param} segment, and a prefix that is a
    // route's first segment.
    const takes = /web\.storefront\.prefix: .* would take orders's route/;
    refused((raw) => raw.services.orders!.routes.push('GET /shop/orders'), takes);
    refused((raw) => raw.services.orders!.routes.push('GET /{any}/cart'), takes);
    refused((raw) => (raw.web.storefront!.prefix = '/orders/'), takes);
    refused((raw) => (raw.web.storefront!.prefix = 'shop'), /must be a path like \/shop\//);
    refused((raw) => (raw.web.storefront!.http = 3003), /port 3003 is also/);
    assert.equal(routeMeetsPrefix('/shopping', '/shop/'), false);
    assert.equal(routeMeetsPrefix('/shop', '/shop/'), true);
    assert.equal(routeMeetsPrefix('/{x}/y', '/shop/'), true);
    assert.equal(routeMeetsPrefix('/a/{x}', '/a/b/'), true);
    assert.equal(routeMeetsPrefix('/a/{x}', '/a/b/c/'), false);
  });

  it('derives the broker topology from what each service consumes', () => {
    const topology = loadTopology();
    const broker = brokerTopology(topology);
    // The reference services' queues, and those of any service added to this workspace (the
    // generator's test runs this file in a copy with one more consumer).
    const consumers = Object.values(topology.services).filter((s) => s.consumes.length > 0);
    assert.deepEqual(
      broker.queues.map((q) => q.name),
      consumers.flatMap((s) => [
        `${s.name}.events.parking`,
        `${s.name}.events.retry`,
        `${s.name}.events`,
      ]),
    );
    for (const reference of ['orders', 'payment', 'inventory']) {
      assert.ok(
        consumers.some((s) => s.name === reference),
        `${reference} consumes events`,
      );
    }
    assert.deepEqual(
      broker.bindings
        .filter((b) => b.queue === 'inventory.events')
        .map((b) => `${b.exchange} ${b.routingKey}`),
      ['junction.events order.placed', 'junction.events payment.declined'],
    );
    // Every event the reference services publish (mandatory) reaches a queue: one nobody
    // consumes would be returned. (A generated service's new events have no consumer yet and are
    // not published mandatory: docs/extending.md.)
    const bound = new Set(broker.bindings.map((b) => b.routingKey));
    for (const s of consumers.filter((c) => ['orders', 'payment', 'inventory'].includes(c.name))) {
      for (const event of s.publishes) assert.ok(bound.has(event), `${event} reaches no queue`);
    }
  });

  it('declares who calls each gRPC method', () => {
    const topology = loadTopology();
    assert.deepEqual(grpcCallersOf(topology, 'payment', 'Charge'), ['orders']);
    assert.deepEqual(grpcCallersOf(topology, 'user', 'GetUser'), []);
  });
});

describe(parseTopology.name, () => {
  const rejects = (edit: (raw: Raw) => void, message: RegExp) => {
    assert.throws(() => parseTopology(edited(edit)), message);
  };

  it('rejects a call to a gRPC method the callee does not serve', () => {
    rejects((raw) => {
      raw.calls[1]!.grpc.push('Teleport');
    }, /calls\[1\]\.grpc: inventory has no gRPC method Teleport/);
  });

  it('rejects an HTTP call to a route the callee does not declare', () => {
    rejects((raw) => {
      raw.calls[3]!.http = ['GET /.well-known/other.json'];
    }, /auth has no route GET \/\.well-known\/other\.json/);
  });

  it('rejects a port used twice', () => {
    rejects((raw) => {
      raw.services.user!.http = 3001;
    }, /services\.user\.http: port 3001 is also services\.auth\.http/);
  });

  it('rejects an event nobody publishes', () => {
    rejects((raw) => {
      raw.services.orders!.consumes.push('shipping.sent');
    }, /nobody publishes shipping\.sent/);
  });

  it('rejects an event two services publish', () => {
    rejects((raw) => {
      raw.services.orders!.publishes.push('payment.captured');
    }, /services\.payment\.publishes: payment\.captured is also orders's/);
  });

  it('rejects an unknown key, naming the known ones', () => {
    rejects((raw) => {
      raw.services.auth!.hppt = 1;
    }, /services\.auth: unknown key\(s\) hppt/);
  });

  it('rejects a malformed route', () => {
    rejects((raw) => {
      raw.services.auth!.routes.push('FETCH /auth/x');
    }, /is not "<GET\|POST/);
  });
});

describe(routePattern.name, () => {
  it('matches a {name} as exactly one segment', () => {
    assert.ok(routePattern('/orders/{id}/events').test('/orders/abc/events'));
    assert.ok(!routePattern('/orders/{id}/events').test('/orders/a/b/events'));
    assert.ok(!routePattern('/.well-known/jwks.json').test('/xwell-known/jwks.json'));
  });
});
