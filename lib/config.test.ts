import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTING_NAMES } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/reportgraph');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(4000);
    expect(config.env).toBe('development');
    expect(config.seedDemo).toBe(true);
    expect(config.jwtSecretGenerated).toBe(true);
    expect(config.subgraphUrls.datasets).toBe('http://127.0.0.1:4002/graphql');
  });

  it('names each bad variable and what is wrong with it', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrowError(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL must be a URL starting with postgresql://');
      expect(message).toContain('JWT_SECRET must be at least 32 characters');
    }
  });

  it('requires JWT_SECRET in production and seeds no demo there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/JWT_SECRET is required/);
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(config.seedDemo).toBe(false);
    expect(config.gatewaySecret).not.toBe(config.jwtSecret);
  });

  it('traces only when an OTLP endpoint is set, and checks the OTEL_* settings', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }).tracing).toEqual({
      endpoint: 'http://jaeger:4318/v1/traces',
      serviceName: null,
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      continueClientTrace: false,
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo.example/otlp/v1/traces',
        OTEL_SERVICE_NAME: 'rg-eu',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        TRACE_CONTINUE_CLIENT: 'true',
      }).tracing,
    ).toEqual({
      endpoint: 'https://tempo.example/otlp/v1/traces',
      serviceName: 'rg-eu',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.1,
      continueClientTrace: true,
    });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', TRACE_CONTINUE_CLIENT: 'perhaps' })).toThrow(
      /TRACE_CONTINUE_CLIENT/,
    );
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(() => loadConfig({ WS_SHARE_WINDOW_MS: '60001' })).toThrow(/WS_SHARE_WINDOW_MS/);
    expect(loadConfig({ WS_SHARE_WINDOW_MS: '60000' }).ws.shareWindowMs).toBe(60_000);
    // The memory a hostile client could make the caches hold has a ceiling of its own.
    expect(() => loadConfig({ RESPONSE_CACHE_MAX_MB: '0' })).toThrow(/RESPONSE_CACHE_MAX_MB/);
    expect(() => loadConfig({ REPORT_CACHE_MEMORY_MB: '5000' })).toThrow(/REPORT_CACHE_MEMORY_MB/);
    expect(loadConfig({ RESPONSE_CACHE_MAX_MB: '8' }).responseCache.maxChars).toBe(8 * 1024 * 1024);
    expect(loadConfig({}).limits.requestMaxJsonDepth).toBe(64);
    expect(() => loadConfig({ REQUEST_MAX_JSON_DEPTH: '4' })).toThrow(/REQUEST_MAX_JSON_DEPTH/);
    expect(() => loadConfig({ REQUEST_MAX_JSON_DEPTH: '100000' })).toThrow(/REQUEST_MAX_JSON_DEPTH/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT .*http:\/\//);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' }).port).toBe(4000);
  });
});

describe('the README', () => {
  it('has a row for every setting, and none for a setting that does not exist', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Development'));
    const documented = new Set(
      [...table.matchAll(/^\| (`[A-Z0-9_]+`(?:, `[A-Z0-9_]+`)*) \|/gm)].flatMap((m) => m[1]!.match(/[A-Z0-9_]+/g)!),
    );
    expect(SETTING_NAMES.filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !SETTING_NAMES.includes(name))).toEqual([]);
  });
});
