import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import path from 'node:path';
import { describe, it } from 'node:test';
import { helmTemplate, preparedCharts, render } from './charts.mts';
import { helm } from './helm.mts';
import { readInfraFile } from './infra-files.mts';
import { ofKind, workloads } from './objects.mts';

type Secret = { data: Record<string, string> };
const secret = (name: string, objects = render('default').all): Secret => {
  const found = ofKind<Secret>(objects, 'Secret').find((s) => s.metadata.name === name);
  assert.ok(found, `Secret ${name} not rendered`);
  return found;
};
const decode = (s: Secret, key: string): string =>
  Buffer.from(s.data[key] ?? '', 'base64').toString('utf8');

describe('secrets generated at install', () => {
  it('the JWT signing key is an ES256 (P-256) key in PKCS#8 PEM that signs and verifies', () => {
    const pem = decode(secret('auth-jwt-signing-key'), 'private-key.pem');
    assert.match(
      pem,
      /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/,
    );
    const key = createPrivateKey({ key: pem, format: 'pem' });
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    // Parsed explicitly as PKCS#8 DER (a SEC1 "EC PRIVATE KEY" would fail here).
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\n/g, ''), 'base64');
    const pkcs8 = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    assert.equal(pkcs8.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const data = Buffer.from('header.payload');
    const signature = sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    assert.ok(
      verify('sha256', data, { key: createPublicKey(key), dsaEncoding: 'ieee-p1363' }, signature),
    );
  });

  it('generates a different key on every fresh install and keeps secrets on uninstall', () => {
    const again = helmTemplate('junction', 'junction', 'junction', []);
    assert.notEqual(
      decode(secret('auth-jwt-signing-key', again), 'private-key.pem'),
      decode(secret('auth-jwt-signing-key'), 'private-key.pem'),
    );
    for (const name of ['auth-jwt-signing-key', 'rabbitmq-credentials']) {
      const s = ofKind<Secret>(render('default').all, 'Secret').find(
        (x) => x.metadata.name === name,
      );
      assert.equal(
        (s?.metadata as { annotations?: Record<string, string> }).annotations?.[
          'helm.sh/resource-policy'
        ],
        'keep',
      );
    }
  });

  it('the broker URL carries the generated credentials and points at the rabbitmq Service', () => {
    const s = secret('rabbitmq-credentials');
    const url = new URL(decode(s, 'url'));
    assert.equal(url.protocol, 'amqp:');
    assert.equal(url.username, decode(s, 'username'));
    assert.equal(url.password, decode(s, 'password'));
    assert.ok(url.password.length >= 32);
    assert.equal(url.host, 'rabbitmq.junction.svc.cluster.local:5672');
  });

  it('the broker imports at boot the topology generated from topology.yaml, with its user', () => {
    const definitions = JSON.parse(decode(secret('rabbitmq-definitions'), 'definitions.json')) as {
      users: { name: string; password: string }[];
      permissions: { user: string; vhost: string }[];
      queues: unknown[];
      exchanges: unknown[];
      bindings: unknown[];
    };
    const topology = JSON.parse(readInfraFile('rabbitmq-topology.json')) as {
      queues: unknown[];
      exchanges: unknown[];
      bindings: unknown[];
    };
    assert.deepEqual(definitions.queues, topology.queues);
    assert.deepEqual(definitions.exchanges, topology.exchanges);
    assert.deepEqual(definitions.bindings, topology.bindings);
    const credentials = secret('rabbitmq-credentials');
    // The broker's own user first; the services' users follow (access.test.mts).
    assert.deepEqual(
      [definitions.users[0]?.name, definitions.users[0]?.password],
      [decode(credentials, 'username'), decode(credentials, 'password')],
    );
    assert.deepEqual(
      definitions.permissions.map((p) => [p.user, p.vhost]),
      definitions.users.map((u) => [u.name, '/']),
    );
    const config = ofKind<{ data: Record<string, string> }>(
      render('default').infra,
      'ConfigMap',
    ).find((c) => c.metadata.name === 'rabbitmq-config')?.data['10-junction.conf'];
    assert.match(
      config ?? '',
      /^load_definitions = \/etc\/rabbitmq\/definitions\/definitions\.json$/m,
    );
  });

  it('services read credentials from the Secrets, never from plain values', () => {
    const deployments = workloads(render('default').app);
    const env = (name: string) =>
      deployments.find((w) => w.object.metadata.name === name)!.containers[0]!.env ?? [];
    for (const name of ['orders', 'payment', 'inventory']) {
      const rabbit = env(name).find((e) => e.name === 'RABBITMQ_URL');
      assert.equal(rabbit?.valueFrom?.secretKeyRef?.name, `${name}-credentials`, name);
    }
    assert.equal(
      env('auth').find((e) => e.name === 'JWT_PRIVATE_KEY')?.valueFrom?.secretKeyRef?.name,
      'auth-jwt-signing-key',
    );
    for (const w of deployments) {
      for (const e of w.containers[0]!.env ?? []) {
        assert.ok(
          !/(amqp|redis):\/\/[^@]+:[^@]+@/.test(e.value ?? ''),
          `${w.id}: ${e.name} holds credentials`,
        );
      }
    }
    const otel = env('orders').find((e) => e.name === 'OTEL_RESOURCE_ATTRIBUTES')?.value ?? '';
    for (const attr of [
      'k8s.pod.name=$(K8S_POD_NAME)',
      'k8s.namespace.name=$(K8S_NAMESPACE_NAME)',
      'k8s.node.name=$(K8S_NODE_NAME)',
    ]) {
      assert.ok(otel.includes(attr), `OTEL_RESOURCE_ATTRIBUTES lacks ${attr}`);
    }
  });

  it("fault injection is off in the chart's defaults; enabled, its operator token comes from a generated Secret", () => {
    type ConfigMap = { data: Record<string, string> };
    const configOf = (objects: ReturnType<typeof helmTemplate>, name: string) =>
      ofKind<ConfigMap>(objects, 'ConfigMap').find((c) => c.metadata.name === `${name}-config`)
        ?.data ?? {};
    const envOf = (objects: ReturnType<typeof helmTemplate>, name: string) =>
      workloads(objects).find((w) => w.object.metadata.name === name)!.containers[0]!.env ?? [];
    // The chart's own defaults: production (cluster:up's values turn on the demo panel's faults).
    const plain = helmTemplate('junction', 'junction', 'junction', []);
    for (const name of ['payment', 'inventory']) {
      assert.equal(configOf(plain, name).FAULT_INJECTION, 'false', name);
      assert.equal(
        envOf(plain, name).find((e) => e.name === 'FAULT_ADMIN_TOKEN'),
        undefined,
      );
    }
    assert.equal(
      ofKind<Secret>(plain, 'Secret').find((x) => x.metadata.name === 'fault-admin-token'),
      undefined,
    );
    const lab = helmTemplate('junction', 'junction', 'junction', [
      '--set',
      'services.payment.faults.enabled=true',
    ]);
    assert.equal(configOf(lab, 'payment').FAULT_INJECTION, 'true');
    assert.equal(configOf(lab, 'inventory').FAULT_INJECTION, 'false');
    const ref = envOf(lab, 'payment').find((e) => e.name === 'FAULT_ADMIN_TOKEN')?.valueFrom;
    assert.deepEqual(ref?.secretKeyRef, { name: 'fault-admin-token', key: 'token' });
    const token = decode(secret('fault-admin-token', lab), 'token');
    assert.match(token, /^[A-Za-z0-9]{43}$/);
    assert.ok(!JSON.stringify(lab.filter((o) => o.kind !== 'Secret')).includes(token));
  });

  it("keeps the storefront's demo panel off in the chart's defaults and on in cluster:up's, with the token from the Secret", () => {
    type ConfigMap = { data: Record<string, string> };
    const storefront = (objects: ReturnType<typeof helmTemplate>) => ({
      config:
        ofKind<ConfigMap>(objects, 'ConfigMap').find((c) => c.metadata.name === 'storefront-config')
          ?.data ?? {},
      env:
        workloads(objects).find((w) => w.object.metadata.name === 'storefront')?.containers[0]
          ?.env ?? [],
    });
    const production = storefront(helmTemplate('junction', 'junction', 'junction', []));
    assert.equal(production.config.DEMO_PANEL, 'false');
    assert.equal(production.config.FAULT_PAYMENT_URL, undefined);
    assert.deepEqual(production.env, []);
    const demo = render('default').app;
    const lab = storefront(demo);
    assert.equal(lab.config.DEMO_PANEL, 'true');
    assert.equal(lab.config.FAULT_PAYMENT_URL, 'http://payment.junction.svc.cluster.local:3004');
    assert.equal(
      lab.config.FAULT_INVENTORY_URL,
      'http://inventory.junction.svc.cluster.local:3005',
    );
    assert.deepEqual(lab.env.find((e) => e.name === 'FAULT_ADMIN_TOKEN')?.valueFrom?.secretKeyRef, {
      name: 'fault-admin-token',
      key: 'token',
    });
    assert.ok(secret('fault-admin-token', demo), 'the Secret the token comes from');
    // The panel cannot work without the faults it sets: the chart says so instead of rendering.
    const broken = helm([
      'template',
      'junction',
      path.join(preparedCharts(), 'junction'),
      '--set',
      'storefront.demoPanel=true',
    ]);
    assert.notEqual(broken.status, 0);
    assert.match(
      broken.stderr,
      /storefront\.demoPanel needs services\.payment\.faults\.enabled=true/,
    );
  });
});
