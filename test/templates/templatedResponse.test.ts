// Which responses are templates: only those with tags, and only with --allowInjection. The rest
// keep the reply precompiled at creation, the same object for every request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResolveScope, ResponseContext } from '../../src/contracts/index.js';
import { createScriptScope } from '../../src/injection/index.js';
import type { Log } from '../../src/logging/logger.js';
import { httpProtocol } from '../../src/protocols/http/httpProtocol.js';
import type { HttpReply } from '../../src/protocols/http/httpReply.js';
import { compileResponse } from '../../src/responses/compileResponse.js';
import { responseKinds } from '../../src/server/registries.js';
import { createInstanceResources } from '../../src/server/instanceResources.js';

function context(allowInjection: boolean, warnings: string[] = []): ResponseContext {
  const log: Log = {
    debug() {},
    info() {},
    infoLater() {},
    warn: (m) => warnings.push(m),
    error() {},
    isDebugEnabled: () => false,
    isInfoEnabled: () => false,
  };
  return {
    protocol: httpProtocol,
    defaultResponse: undefined,
    allowInjection,
    proxyTimeout: 1_000,
    scripts: createScriptScope(log, 1_000, 1_000),
    kinds: responseKinds,
    instance: createInstanceResources(),
  };
}

const scope: ResolveScope = {
  log: { debug() {}, info() {}, infoLater() {}, warn() {}, error() {}, isDebugEnabled: () => false, isInfoEnabled: () => false },
  recordProxyResponse() {},
};

const request = { method: 'GET', path: '/p', query: {}, headers: {}, body: '' };
const resolve = (config: unknown, ctx: ResponseContext) => {
  const compiled = compileResponse(config, ctx);
  return () => compiled.resolve(request, scope) as { reply: HttpReply };
};

describe('templated responses', () => {
  it('keep the precompiled reply when nothing is a template', () => {
    for (const is of [{ body: 'plain' }, { body: { a: 1 }, headers: { X: 'y' } }, { body: 'PCU=', _mode: 'binary' }]) {
      const next = resolve({ is }, context(true));
      assert.equal(next(), next(), JSON.stringify(is));
    }
  });

  it('render per request when the body or a header is a template', () => {
    for (const is of [{ body: '<%- request.path %>' }, { headers: { X: '<%- request.path %>' } }]) {
      const next = resolve({ is }, context(true));
      const first = next();
      assert.notEqual(first, next());
      assert.ok(first.reply.body.toString() === '/p' || first.reply.headers.includes('/p'), JSON.stringify(is));
    }
  });

  it('render fields the response takes from the defaultResponse', () => {
    const ctx = { ...context(true), defaultResponse: { body: 'default for <%- request.path %>' } };
    assert.equal(resolve({ is: {} }, ctx)().reply.body.toString(), 'default for /p');
  });

  it('are served as written, with one warning, without --allowInjection', () => {
    const warnings: string[] = [];
    const next = resolve({ is: { body: '<%- request.path %>' } }, context(false, warnings));
    assert.equal(next(), next());
    assert.equal(next().reply.body.toString(), '<%- request.path %>');
    assert.equal(warnings.length, 1);
  });

  it('leave a binary body alone', () => {
    const next = resolve({ is: { _mode: 'binary', body: Buffer.from('<%- 1 %>').toString('base64'), headers: { X: '<%- 2 %>' } } }, context(true));
    const { reply } = next();
    assert.equal(reply.body.toString(), '<%- 1 %>');
    assert.ok(reply.headers.includes('2'));
  });

  it('render before behaviors run, and a throwing template rejects the response', async () => {
    const decorate = [{ decorate: "function (config) { config.response.body += '!'; }" }];
    const ok = compileResponse({ is: { body: 'at <%- request.path %>' }, behaviors: decorate }, context(true));
    const outcome = (await ok.resolve(request, scope)) as { reply: HttpReply };
    assert.equal(outcome.reply.body.toString(), 'at /p!');
    const failing = compileResponse({ is: { body: '<%- request.nope.x %>' }, behaviors: decorate }, context(true));
    await assert.rejects(async () => failing.resolve(request, scope), /invalid response template in body: TypeError/);
  });
});
