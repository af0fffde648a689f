// Behaviors over real sockets, with mountebank's documented examples: wait (a number and a
// function), copy (regex, xpath, jsonpath, indexed tokens), lookup (a CSV file), decorate,
// shellTransform (a real command), their order, and both the old `_behaviors` object and the array.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, request } from '../support/http.js';
import { waitForOutput } from '../support/output.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { tcpExchange } from '../support/tcp.js';

let mb: StandinProcess;
before(async () => {
  // shellTransform starts a node process per request, which takes seconds on a loaded machine;
  // --injectionTimeout bounds it too, so it is far above that.
  mb = await startStandin(['--allowInjection', '--injectionTimeout', '15000']);
});
after(async () => {
  await mb.stop();
});

async function imposter(stubs: unknown[], protocol = 'http'): Promise<{ url: string; port: number }> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol, port, stubs });
  assert.equal(res.status, 201, res.body);
  return { url: `http://127.0.0.1:${port}`, port };
}

describe('wait', () => {
  it("waits the documented half second (mountebank's example, old _behaviors)", async () => {
    const { url } = await imposter([{ responses: [{ is: { body: 'This took at least half a second to send' }, _behaviors: { wait: 500 } }] }]);
    const started = Date.now();
    const res = await get(`${url}/`);
    assert.ok(Date.now() - started >= 480, `took ${Date.now() - started} ms`);
    assert.equal(res.body, 'This took at least half a second to send');
  });

  it('waits as long as a function says (the documented random 100 to 1000 ms, here fixed at 300)', async () => {
    const { url } = await imposter([
      { responses: [{ is: { body: 'slow' }, behaviors: [{ wait: 'function() { return Math.floor(Math.random() * 1) + 300; }' }] }] },
    ]);
    const started = Date.now();
    assert.equal((await get(`${url}/`)).body, 'slow');
    assert.ok(Date.now() - started >= 280, `took ${Date.now() - started} ms`);
  });

  it('reads a numeric string as milliseconds, as mountebank', async () => {
    const { url } = await imposter([{ responses: [{ is: { body: 'string ms' }, behaviors: [{ wait: '200' }] }] }]);
    const started = Date.now();
    assert.equal((await get(`${url}/`)).body, 'string ms');
    assert.ok(Date.now() - started >= 180);
  });
});

describe('copy', () => {
  it("copies path, header and query values with regexes into status, headers and body (mountebank's copy-regex)", async () => {
    const { url } = await imposter([
      {
        responses: [
          {
            is: { statusCode: '${code}', headers: { 'X-Test': '${header}' }, body: 'The request name was ${name}. Hello, ${name}!' },
            _behaviors: {
              copy: [
                { from: 'path', into: '${code}', using: { method: 'regex', selector: '\\d+' } },
                { from: { headers: 'X-Request' }, into: '${header}', using: { method: 'regex', selector: '.+' } },
                { from: { query: 'name' }, into: '${name}', using: { method: 'regex', selector: 'MOUNT\\w+$', options: { ignoreCase: true } } },
              ],
            },
          },
        ],
      },
    ]);
    const res = await get(`${url}/statusCode/400?ignore=this&name=mountebank`, { headers: { 'X-REQUEST': 'Header value' } });
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-test'], 'Header value');
    assert.equal(res.body, 'The request name was mountebank. Hello, mountebank!');
  });

  it("copies the first namespaced xpath match (mountebank's copy-xpath)", async () => {
    const { url } = await imposter([
      {
        responses: [
          {
            is: { body: 'Have you read BOOK?' },
            _behaviors: {
              copy: [
                { from: 'body', into: 'BOOK', using: { method: 'xpath', selector: '//isbn:title', ns: { isbn: 'http://schemas.isbn.org/ns/1999/basic.dtd' } } },
              ],
            },
          },
        ],
      },
    ]);
    const xml = `<books xmlns:isbn="http://schemas.isbn.org/ns/1999/basic.dtd">
  <book><isbn:title>Game of Thrones</isbn:title><isbn:summary>Dragons and political intrigue</isbn:summary></book>
  <book><isbn:title>Harry Potter</isbn:title><isbn:summary>Dragons and a boy wizard</isbn:summary></book>
  <book><isbn:title>The Hobbit</isbn:title><isbn:summary>A dragon and short people</isbn:summary></book>
</books>`;
    assert.equal((await request('POST', `${url}/names`, { body: xml })).body, 'Have you read Game of Thrones?');
  });

  const booksJson = {
    books: [
      { title: 'Game of Thrones', summary: 'Dragons and political intrigue' },
      { title: 'Harry Potter', summary: 'Dragons and a boy wizard' },
      { title: 'The Hobbit', summary: 'A dragon and short people' },
    ],
  };

  it("copies the first jsonpath match (mountebank's copy-jsonpath, over http)", async () => {
    const { url } = await imposter([
      {
        responses: [
          { is: { body: 'Have you read BOOK?' }, _behaviors: { copy: [{ from: 'body', into: 'BOOK', using: { method: 'jsonpath', selector: '$..title' } }] } },
        ],
      },
    ]);
    assert.equal((await request('POST', `${url}/`, { body: booksJson })).body, 'Have you read Game of Thrones?');
  });

  it("copies from a tcp request's data (mountebank's copy-jsonpath, over tcp as documented)", async () => {
    const { port } = await imposter(
      [
        {
          responses: [
            {
              is: { data: 'Have you read BOOK?' },
              _behaviors: { copy: [{ from: 'data', into: 'BOOK', using: { method: 'jsonpath', selector: '$..title' } }] },
            },
          ],
        },
      ],
      'tcp',
    );
    const answer = await tcpExchange(port, JSON.stringify(booksJson, null, 2), 'Have you read Game of Thrones?'.length);
    assert.equal(answer.toString('utf8'), 'Have you read Game of Thrones?');
  });

  it("fills indexed tokens from regex groups and jsonpath matches (mountebank's copy-indexed)", async () => {
    const { url } = await imposter([
      {
        responses: [
          {
            is: { body: '${BOOK}[1]: ${SUMMARY}[0]\n${BOOK}[2]: ${SUMMARY}[1]\n${BOOK}[3]: ${SUMMARY}[2]' },
            _behaviors: {
              copy: [
                { from: 'body', into: '${SUMMARY}', using: { method: 'jsonpath', selector: '$..summary' } },
                { from: { query: 'books' }, into: '${BOOK}', using: { method: 'regex', selector: '([^,]+),([^,]+),(.+)$' } },
              ],
            },
          },
        ],
      },
    ]);
    const res = await request('POST', `${url}/?books=Game%20of%20Thrones,Harry%20Potter,The%20Hobbit`, { body: booksJson });
    assert.equal(res.body, 'Game of Thrones: Dragons and political intrigue\nHarry Potter: Dragons and a boy wizard\nThe Hobbit: A dragon and short people');
  });

  it('replaces tokens in every field and object key of a JSON body, and leaves them when nothing matches', async () => {
    const { url } = await imposter([
      {
        responses: [
          {
            is: { headers: { 'Content-Type': 'application/json' }, body: { id: '${id}', '${id}': ['item ${id}', { nested: '${id}/${id}' }], count: 3 } },
            behaviors: [{ copy: { from: 'path', into: '${id}', using: { method: 'regex', selector: '\\d+' } } }],
          },
        ],
      },
    ]);
    assert.deepEqual((await get(`${url}/items/42`)).json(), { id: '42', 42: ['item 42', { nested: '42/42' }], count: 3 });
    assert.deepEqual((await get(`${url}/items/none`)).json(), { id: '${id}', '${id}': ['item ${id}', { nested: '${id}/${id}' }], count: 3 });
  });

  it('refuses a copy without from, with a bad method or a bad regex', async () => {
    const refuse = async (copy: unknown) => {
      const res = await post(`${mb.url}/imposters`, { protocol: 'http', port: await freePort(), stubs: [{ responses: [{ is: {}, behaviors: [{ copy }] }] }] });
      assert.equal(res.status, 400, res.body);
      return res.json().errors[0].message as string;
    };
    assert.equal(await refuse({ into: 'X', using: { method: 'regex', selector: '.' } }), 'copy behavior "from" field required');
    assert.equal(
      await refuse({ from: 'path', into: 'X', using: { method: 'grep', selector: '.' } }),
      'copy behavior "using.method" field must be one of [regex, xpath, jsonpath]',
    );
    assert.equal(
      await refuse({ from: { query: 'a', headers: 'b' }, into: 'X', using: { method: 'regex', selector: '.' } }),
      'copy behavior "from" field must have exactly one key',
    );
    assert.match(await refuse({ from: 'path', into: 'X', using: { method: 'regex', selector: '(' } }), /invalid regular expression/);
  });
});

describe('lookup', () => {
  it("replaces a row's columns found by a key from the path (mountebank's lookup example)", async () => {
    writeFileSync(
      join(mb.dir, 'values.csv'),
      'State_ID,code,Name,price,tree,jobs\n1111111,400,liquid,235651,mango,farmer\n9856543,404,solid,54564564,orange,miner\n2222222,500,water,12564,pine,shepherd\n1234564,200,plasma,2656,guava,lumberjack\n9999999,200,lovers,9999,dogwood,steel worker',
    );
    const { url } = await imposter([
      {
        responses: [
          {
            is: {
              statusCode: "${row}['code']",
              headers: { 'X-Tree': "${row}['tree']" },
              body: "Hello ${row}['Name'], have you done your ${row}['jobs'] today?",
            },
            _behaviors: {
              lookup: [
                {
                  key: { from: 'path', using: { method: 'regex', selector: '/(.*)$' }, index: 1 },
                  // mb's cwd is the test directory; the file is given by its absolute path here.
                  fromDataSource: { csv: { path: join(mb.dir, 'values.csv'), keyColumn: 'Name' } },
                  into: '${row}',
                },
              ],
            },
          },
        ],
      },
    ]);
    const res = await get(`${url}/liquid`);
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-tree'], 'mango');
    assert.equal(res.body, 'Hello liquid, have you done your farmer today?');
    assert.equal((await get(`${url}/lovers`)).headers['x-tree'], 'dogwood');
  });

  it('reads a relative path from the working directory, quoted fields, a delimiter, and sees edits', async () => {
    writeFileSync(join(mb.dir, 'people.csv'), 'id;name;quote\n1;"Doe; Jane";"she said ""hi"""\n2;Roe;plain\n');
    const { url } = await imposter([
      {
        responses: [
          {
            is: { body: '${p}[name] / ${p}["quote"]' },
            behaviors: [
              {
                lookup: {
                  key: { from: { query: 'id' }, using: { method: 'regex', selector: '\\d+' } },
                  fromDataSource: { csv: { path: 'people.csv', keyColumn: 'id', delimiter: ';' } },
                  into: '${p}',
                },
              },
            ],
          },
        ],
      },
    ]);
    assert.equal((await get(`${url}/?id=1`)).body, 'Doe; Jane / she said "hi"');
    assert.equal((await get(`${url}/?id=3`)).body, '${p}[name] / ${p}["quote"]', 'no row: nothing replaced');
    writeFileSync(join(mb.dir, 'people.csv'), 'id;name;quote\n3;Poe;raven\n');
    assert.equal((await get(`${url}/?id=3`)).body, 'Poe / raven');
  });

  it('logs a missing file and replaces nothing', async () => {
    const { url, port } = await imposter([
      {
        responses: [
          {
            is: { body: '${r}[a]' },
            behaviors: [
              {
                lookup: {
                  key: { from: 'path', using: { method: 'regex', selector: '.+' } },
                  fromDataSource: { csv: { path: 'missing.csv', keyColumn: 'a' } },
                  into: '${r}',
                },
              },
            ],
          },
        ],
      },
    ]);
    assert.equal((await get(`${url}/x`)).body, '${r}[a]');
    await waitForOutput(mb, new RegExp(`error: \\[http:${port}\\] Cannot read missing.csv`));
  });
});

describe('decorate', () => {
  it("adds the current time (mountebank's example, function (request, response))", async () => {
    const { url } = await imposter([
      {
        responses: [
          {
            is: { body: 'The time is ${TIME}' },
            _behaviors: {
              decorate:
                "function (request, response) { var pad = function (number) { return (number < 10) ? '0' + number : number.toString(); }, now = new Date(), time = pad(now.getHours()) + ':' + pad(now.getMinutes()) + ':' + pad(now.getSeconds()); response.body = response.body.replace('${TIME}', time); }",
            },
          },
        ],
      },
    ]);
    assert.match((await get(`${url}/`)).body, /^The time is \d\d:\d\d:\d\d$/);
  });

  it('uses a returned response, and config.response changed in place', async () => {
    const { url } = await imposter([
      {
        predicates: [{ equals: { path: '/new' } }],
        responses: [{ is: { body: 'old' }, behaviors: [{ decorate: "config => ({ statusCode: 203, body: 'replaced ' + config.request.path })" }] }],
      },
      {
        responses: [
          {
            is: { statusCode: 200, body: 'kept' },
            behaviors: [{ decorate: "function (config) { config.response.headers = { 'X-Decorated': config.request.method }; }" }],
          },
        ],
      },
    ]);
    const replaced = await get(`${url}/new`);
    assert.deepEqual([replaced.status, replaced.body], [203, 'replaced /new']);
    const kept = await get(`${url}/other`);
    assert.deepEqual([kept.body, kept.headers['x-decorated']], ['kept', 'GET']);
  });

  it('answers 500 invalid decorator injection when it throws', async () => {
    const { url, port } = await imposter([{ responses: [{ is: { body: 'x' }, behaviors: [{ decorate: "function () { throw new Error('no'); }" }] }] }]);
    const res = await get(`${url}/`);
    assert.equal(res.status, 500);
    assert.deepEqual([res.json().errors[0].message, res.json().errors[0].data], ['invalid decorator injection', 'Error: no']);
    await waitForOutput(mb, new RegExp(`\\[http:${port}\\] stub 0: invalid decorator injection: Error: no`));
  });
});

describe('shellTransform', () => {
  it("runs a command with the request and response and takes its JSON (mountebank's addName.js example)", async () => {
    writeFileSync(join(mb.dir, 'names.csv'), '123,Frodo Baggins\n234,Samwise Gamgee\n345,Gandalf the White\n456,Smeagol\n');
    writeFileSync(
      join(mb.dir, 'addName.js'),
      `var request = JSON.parse(process.argv[2]),
    response = JSON.parse(process.argv[3]),
    requestId = request.path.replace('/accounts/', ''),
    fs = require('fs'),
    mappings = fs.readFileSync('names.csv', { encoding: 'utf8' }),
    lines = mappings.split('\\n');

for (var i = 0; i < lines.length; i += 1) {
    var fields = lines[i].split(','),
        id = fields[0],
        name = fields[1];

    if (requestId === id) {
        response.body = response.body.replace('\${YOU}', name);
    }
}

console.log(JSON.stringify(response));
`,
    );
    const { url } = await imposter([
      {
        predicates: [{ matches: { path: '/accounts/\\d+' } }],
        responses: [{ is: { body: 'Hello, ${YOU}!' }, _behaviors: { shellTransform: `"${process.execPath}" addName.js` } }],
      },
    ]);
    assert.equal((await get(`${url}/accounts/234`)).body, 'Hello, Samwise Gamgee!');
    assert.equal((await get(`${url}/accounts/456`)).body, 'Hello, Smeagol!');
  });

  it('passes MB_REQUEST and MB_RESPONSE in the environment, and runs several in order', async () => {
    writeFileSync(
      join(mb.dir, 'fromEnv.js'),
      "const req = JSON.parse(process.env.MB_REQUEST), res = JSON.parse(process.env.MB_RESPONSE); res.body += ' ' + req.method + ' ' + req.query.tag; console.log(JSON.stringify(res));",
    );
    const { url } = await imposter([
      { responses: [{ is: { body: 'seen:' }, _behaviors: { shellTransform: [`"${process.execPath}" fromEnv.js`, `"${process.execPath}" fromEnv.js`] } }] },
    ]);
    assert.equal((await get(`${url}/?tag=it's`)).body, "seen: GET it's GET it's");
  });

  it('answers 500 when the command fails or prints something that is not JSON', async () => {
    const { url } = await imposter([
      { predicates: [{ equals: { path: '/fail' } }], responses: [{ is: {}, behaviors: [{ shellTransform: 'exit 3' }] }] },
      { responses: [{ is: {}, behaviors: [{ shellTransform: 'echo not json' }] }] },
    ]);
    const failed = await get(`${url}/fail`);
    assert.equal(failed.status, 500);
    assert.equal(failed.json().errors[0].message, 'invalid shellTransform');
    const notJson = await get(`${url}/print`);
    assert.equal(notJson.status, 500);
    assert.match(notJson.json().errors[0].message, /^Shell command returned invalid JSON: 'not json/);
  });
});

describe('behavior order and formats', () => {
  it('runs the array in its order', async () => {
    const { url } = await imposter([
      {
        responses: [
          {
            is: { body: '${v}' },
            behaviors: [
              { decorate: "function (config) { config.response.body += '-first'; }" },
              { copy: { from: 'path', into: '${v}', using: { method: 'regex', selector: '[a-z]+' } } },
              { wait: 100 },
              { decorate: "function (config) { config.response.body += '-last'; }" },
            ],
          },
        ],
      },
    ]);
    assert.equal((await get(`${url}/abc`)).body, 'abc-first-last');
  });

  it("turns the old _behaviors object into mountebank's order (wait, lookup, copy, shellTransform, decorate) and echoes the array", async () => {
    const { url, port } = await imposter([
      {
        responses: [
          {
            is: { body: '${v}' },
            _behaviors: {
              decorate: "function (config) { config.response.body += '-decorated'; }",
              copy: { from: 'path', into: '${v}', using: { method: 'regex', selector: '[a-z]+' } },
              repeat: 2,
            },
          },
        ],
      },
    ]);
    assert.equal((await get(`${url}/abc`)).body, 'abc-decorated');
    const response = (await get(`${mb.url}/imposters/${port}`)).json().stubs[0].responses[0];
    assert.deepEqual(Object.keys(response.behaviors[0]), ['copy']);
    assert.deepEqual(Object.keys(response.behaviors[1]), ['decorate']);
    assert.equal(response.repeat, 2);
  });

  it('accepts behaviors written as an object (some generators do)', async () => {
    const { url } = await imposter([{ responses: [{ is: { body: 'object form' }, behaviors: { wait: 100 } }] }]);
    const started = Date.now();
    assert.equal((await get(`${url}/`)).body, 'object form');
    assert.ok(Date.now() - started >= 90);
  });
});
