// The pure parts of the Imposter front door: Go durations, env placeholders, path patterns,
// specificity ordering, upstream path joining.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { substituteEnv } from '../../src/imposterConfig/envSubstitution.js';
import { formatGoMillis, parseGoDuration } from '../../src/imposterConfig/goDuration.js';
import { compilePathPattern } from '../../src/imposterConfig/pathPattern.js';
import { bySpecificity, specificityScore } from '../../src/imposterConfig/specificity.js';
import { joinUpstreamPath, parseUpstreamUrl } from '../../src/imposterConfig/upstreamUrl.js';

describe('Go durations', () => {
  it('parses Go duration syntax into milliseconds', () => {
    const cases: [string, number][] = [
      ['500ms', 500],
      ['5s', 5_000],
      ['1m', 60_000],
      ['1m30s', 90_000],
      ['1.5s', 1_500],
      ['2h', 7_200_000],
      ['1h2m3s', 3_723_000],
      ['250us', 0.25],
      ['0', 0],
      ['.5s', 500],
    ];
    for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
  });

  it('refuses what Go refuses', () => {
    for (const text of ['', '30', '5 s', 's', '1d', '-1s', 'abc', '1m30']) assert.equal(parseGoDuration(text), undefined, text);
  });

  it("prints a round-trip time as Go's Duration.Round(ms).String()", () => {
    const cases: [number, string][] = [
      [0.2, '0s'],
      [62.4, '62ms'],
      [999, '999ms'],
      [1_000, '1s'],
      [1_234, '1.234s'],
      [62_500, '1m2.5s'],
      [3_600_000, '1h0m0s'],
    ];
    for (const [ms, text] of cases) assert.equal(formatGoMillis(ms), text, String(ms));
  });
});

describe('${env.NAME:-default}', () => {
  const env = { HOST: 'api.local', EMPTY: '' };
  it('substitutes set variables, defaults and unset ones', () => {
    assert.equal(substituteEnv('url: http://${env.HOST}/x', env), 'url: http://api.local/x');
    assert.equal(substituteEnv('${env.MISSING:-fallback}', env), 'fallback');
    assert.equal(substituteEnv('${env.EMPTY:-used}', env), 'used');
    assert.equal(substituteEnv('[${env.MISSING}]', env), '[]');
    assert.equal(substituteEnv('${env.HOST:-ignored}', env), 'api.local');
  });
  it('leaves what is not its syntax alone', () => {
    assert.equal(substituteEnv('${env.lower}', env), '${env.lower}');
    assert.equal(substituteEnv('${env.MISSING:-}', env), '${env.MISSING:-}');
    assert.equal(substituteEnv('${context.request.path}', env), '${context.request.path}');
  });
});

describe('path patterns', () => {
  const matches = (pattern: string, path: string) => new RegExp(compilePathPattern(pattern).source).test(path);
  it('matches literals case-sensitively, ignoring a trailing slash', () => {
    assert.ok(matches('/users', '/users'));
    assert.ok(matches('/users', '/users/'));
    assert.ok(!matches('/users', '/Users'));
    assert.ok(!matches('/users', '/users/1'));
    assert.ok(matches('/', '/'));
  });
  it('matches one segment per placeholder, and mixed segments', () => {
    assert.ok(matches('/users/{id}', '/users/42'));
    assert.ok(!matches('/users/{id}', '/users/42/x'));
    assert.ok(!matches('/users/{id}', '/users'));
    assert.ok(matches('/files/{name}.json', '/files/report.json'));
    assert.ok(!matches('/files/{name}.json', '/files/report.xml'));
    assert.deepEqual(compilePathPattern('/a/{x}/{y}.{ext}').params, ['x', 'y', 'ext']);
  });
  it('treats a trailing * as a wildcard that also matches its prefix, any other * as a literal', () => {
    assert.ok(matches('/users/*', '/users'));
    assert.ok(matches('/users/*', '/users/1/orders'));
    assert.ok(!matches('/users/*', '/usersx'));
    assert.ok(matches('/*', '/anything/at/all'));
    assert.ok(matches('/a/*/b', '/a/*/b'));
    assert.ok(!matches('/a/*/b', '/a/x/b'));
  });
});

describe('specificity', () => {
  const rank = (resources: { path: string; method?: string; requestHeaders?: Record<string, string> }[]) =>
    bySpecificity(
      resources.map((r, index) => {
        const path = compilePathPattern(r.path);
        return { item: r.path, score: specificityScore(r, path), wildcard: path.wildcard, index };
      }),
    ).map((r) => r.item);
  it('puts exact before placeholder before wildcard, whatever the declaration order', () => {
    assert.deepEqual(
      rank([
        { path: '/users/*', method: 'GET' },
        { path: '/users/{id}', method: 'GET' },
        { path: '/users/1', method: 'GET' },
      ]),
      ['/users/1', '/users/{id}', '/users/*'],
    );
  });
  it('lets more conditions outscore a more exact path, as Imposter scores', () => {
    assert.deepEqual(
      rank([
        { path: '/users/1', method: 'GET' },
        { path: '/users/*', method: 'GET', requestHeaders: { A: '1', B: '2' } },
      ]),
      ['/users/*', '/users/1'],
    );
  });
  it('keeps declaration order on a tie', () => {
    assert.deepEqual(rank([{ path: '/a/{x}' }, { path: '/a/{y}' }]), ['/a/{x}', '/a/{y}']);
  });
});

describe('upstream path joining', () => {
  const join = (url: string, path: string) => {
    const target = parseUpstreamUrl(url, 'test');
    return target.origin + joinUpstreamPath(target, path);
  };
  it('follows the seed table', () => {
    assert.equal(join('http://api/v1', '/users'), 'http://api/v1/users');
    assert.equal(join('http://api/v1/', '/users'), 'http://api/v1/users');
    assert.equal(join('http://api', '/v1/users'), 'http://api/v1/users');
  });
  it('keeps the port, the query and the encoding', () => {
    assert.equal(join('http://api:8080/base', '/x?q=a+b%20c'), 'http://api:8080/base/x?q=a+b%20c');
    assert.equal(join('http://api/v1', '/a%2Fb'), 'http://api/v1/a%2Fb');
    assert.equal(join('http://api/v1', '/'), 'http://api/v1/');
  });
  it('refuses URLs without a scheme or host', () => {
    assert.throws(() => parseUpstreamUrl('api/v1', 'u'), /not a URL/);
    assert.throws(() => parseUpstreamUrl('http://', 'u'), /not a URL|no host/);
  });
});
