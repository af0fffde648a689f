// Adding a response kind touches the registry (server/registries.ts) and the kind's own folder
// only: everything that names response kinds (validation, its "did you mean" hint, field
// warnings, the X-Rift-Debug answer) reads the registry. A kind known only to the registries
// handed to compileImposter here must be served, pass the field check and be named by the debug answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseKind } from '../../src/contracts/index.js';
import { compileImposter } from '../../src/core/compileImposter.js';
import type { ImposterSettings } from '../../src/core/imposter.js';
import { Logger } from '../../src/logging/logger.js';
import { ValidationFailure, validationError } from '../../src/model/errors.js';
import type { HttpRequest } from '../../src/model/request.js';
import { replyForLog, type HttpReply } from '../../src/protocols/http/httpReply.js';
import { createInstanceResources } from '../../src/server/instanceResources.js';
import { registries } from '../../src/server/registries.js';

// The kind's shape joins the union of response shapes as a kind's own folder declares it.
declare module '../../src/contracts/index.js' {
  interface ResponseShapes {
    echoPath: { kind: 'echoPath'; prefix: string };
  }
}

const echoKind: ResponseKind<'echoPath'> = {
  key: 'echoPath',
  public: true,
  takesCommonFields: true,
  validate(config) {
    if (typeof config.echoPath !== 'string') throw validationError("'echoPath' must be a string", config);
    return { kind: 'echoPath', prefix: config.echoPath };
  },
  compile({ prefix }, config, context, { repeat }) {
    return {
      config,
      repeat,
      resolve: (request) => ({ reply: context.protocol.compileReply({ body: prefix + request.path }, undefined, config), delayMs: 0 }),
    };
  },
};

const settings: ImposterSettings = {
  debug: false,
  mock: false,
  journalCap: 10,
  allowInjection: false,
  proxyTimeout: 1000,
  injectionTimeout: 1000,
  stallLimit: 50,
  instance: createInstanceResources(),
};
const logger = new Logger({ level: 'warn', logfile: null, console: false });
const withEcho = { ...registries, responseKinds: [...registries.responseKinds, echoKind] };
const definition = { protocol: 'http', port: 4545, stubs: [{ responses: [{ echoPath: 'at ', repeat: 2 }] }] };
const request = (): HttpRequest => ({
  requestFrom: '127.0.0.1:50000',
  method: 'GET',
  path: '/where',
  query: {},
  headers: { Host: '127.0.0.1' },
  body: '',
  ip: '127.0.0.1',
});

describe('a response kind added to the registry only', () => {
  it('is served, without a field warning, and named by the debug answer', async () => {
    const imposter = compileImposter(structuredClone(definition), withEcho, settings, logger);
    assert.deepEqual(imposter.fieldWarnings(), []);
    const outcome = await imposter.handle(request());
    assert.equal(replyForLog(outcome.reply as HttpReply).body, 'at /where');
    const answer = imposter.debugAnswer(request()) as { matchResult: { responsePreview: { responseType: string } } };
    assert.equal(answer.matchResult.responsePreview.responseType, 'echoPath');
  });

  it('is unknown to an imposter compiled without it', () => {
    assert.throws(
      () => compileImposter(structuredClone(definition), registries, settings, logger),
      (err: unknown) => err instanceof ValidationFailure && /unrecognized response type/.test(err.message),
    );
  });
});
