// The server's settings: defaults, and a clear error naming the variable for each bad value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, describeConfig, loadConfig } from './config.ts';
import { ADMIN_TOKEN, demoEnv } from './testing.mts';

describe(loadConfig.name, () => {
  it('has the contract defaults: port 3006 on every address, every option off', () => {
    assert.deepEqual(loadConfig({}), {
      port: 3006,
      host: '0.0.0.0',
      otlpTracesUrl: undefined,
      jaegerQueryUrl: undefined,
      jaegerUiUrl: undefined,
      demoPanel: undefined,
    });
  });

  it('reads every setting, URLs without their trailing slash', () => {
    const config = loadConfig({
      PORT: '3306',
      HOST: '127.0.0.1',
      OTLP_TRACES_URL: 'http://127.0.0.1:4318/v1/traces',
      JAEGER_QUERY_URL: 'http://127.0.0.1:16686/',
      JAEGER_UI_URL: 'http://localhost:16686',
      ...demoEnv('http://127.0.0.1:3004', 'http://127.0.0.1:3005/'),
    });
    assert.equal(config.port, 3306);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.jaegerQueryUrl, 'http://127.0.0.1:16686');
    assert.deepEqual(config.demoPanel, {
      faultAdminToken: ADMIN_TOKEN,
      faultUrls: { payment: 'http://127.0.0.1:3004', inventory: 'http://127.0.0.1:3005' },
    });
    assert.ok(Object.isFrozen(config));
  });

  it('takes an empty variable as unset', () => {
    assert.equal(loadConfig({ OTLP_TRACES_URL: '', DEMO_PANEL: '' }).otlpTracesUrl, undefined);
  });

  const refusals: [Record<string, string>, RegExp][] = [
    [{ PORT: 'http' }, /^PORT must be a port number/],
    [{ PORT: '70000' }, /^PORT must be a port number/],
    [{ PORT: '-1' }, /^PORT must be a port number/],
    [{ OTLP_TRACES_URL: 'not a url' }, /^OTLP_TRACES_URL must be an http or https URL/],
    [{ JAEGER_QUERY_URL: 'ftp://jaeger' }, /^JAEGER_QUERY_URL must be an http or https URL/],
    [{ JAEGER_UI_URL: '//x' }, /^JAEGER_UI_URL must be/],
    [{ DEMO_PANEL: 'yes' }, /^DEMO_PANEL must be true or false/],
    [
      { DEMO_PANEL: 'true' },
      /^DEMO_PANEL=true requires FAULT_ADMIN_TOKEN, FAULT_PAYMENT_URL, FAULT_INVENTORY_URL$/,
    ],
    [
      { ...demoEnv('http://127.0.0.1:3004', 'x'), FAULT_INVENTORY_URL: 'nope' },
      /^FAULT_INVENTORY_URL must be an http or https URL/,
    ],
  ];
  for (const [env, message] of refusals) {
    it(`refuses ${JSON.stringify(env)} naming the variable`, () => {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('never echoes the bad value', () => {
    assert.throws(
      () => loadConfig({ OTLP_TRACES_URL: 'secret-value' }),
      (error: Error) => {
        assert.doesNotMatch(error.message, /secret-value/);
        return true;
      },
    );
  });
});

describe(describeConfig.name, () => {
  it('shows every setting but the token', () => {
    const described = JSON.stringify(
      describeConfig(loadConfig(demoEnv('http://127.0.0.1:3004', 'http://127.0.0.1:3005'))),
    );
    assert.doesNotMatch(described, new RegExp(ADMIN_TOKEN));
    assert.match(described, /"demoPanel":true/);
  });
});
