// The --datadir file layout: what a reopened directory holds after writes, interrupted writes and
// positions that belong to an older revision of their imposter.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DatadirRepository } from '../../src/persistence/datadirRepository.js';
import { tempDir } from '../support/cliHarness.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let count = 0;
const newDir = (): string => join(tmp.dir, `repo-${++count}`);

const imposter = (port: number, body: string) => ({
  definition: { protocol: 'http', port, stubs: [{ responses: [{ is: { body } }, { is: { body: `${body}!` } }] }] },
  positions: [[0, 0]] as const,
});

async function reopened(dir: string) {
  const repository = await DatadirRepository.open(dir);
  try {
    return await repository.loadAll();
  } finally {
    await repository.close();
  }
}

describe('DatadirRepository', () => {
  it('keeps saves, edits, deletes and position updates across a reopen, ordered by port', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.save(4000, imposter(4000, 'b'));
    await repository.save(6000, imposter(6000, 'c'));
    await repository.save(5000, imposter(5000, 'a2'));
    await repository.savePositions(5000, [[1, 0]]);
    await repository.delete(6000);
    await repository.close();

    const loaded = await reopened(dir);
    assert.deepEqual(loaded.map((s) => s.definition.port), [4000, 5000]);
    assert.deepEqual(loaded[1]!.definition, imposter(5000, 'a2').definition);
    assert.deepEqual(loaded[1]!.positions, [[1, 0]]);
    assert.deepEqual(loaded[0]!.positions, [[0, 0]]);
  });

  it('positions written before the last save of their imposter are not applied to the new definition', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.savePositions(5000, [[1, 0]]);
    await repository.save(5000, { ...imposter(5000, 'new'), positions: [[0, 0]] });
    await repository.close();
    assert.deepEqual((await reopened(dir))[0]!.positions, [[0, 0]]);
  });

  it('replaceAll swaps the whole set and removes the old files', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.replaceAll(new Map([[7000, imposter(7000, 'z')]]));
    await repository.close();
    assert.deepEqual((await reopened(dir)).map((s) => s.definition.port), [7000]);
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('5000-')).length, 0);
  });

  it('a write interrupted before its rename leaves the previous contents, and its temp file is swept', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.close();
    const file = readdirSync(dir).find((f) => /^5000-[0-9a-f]+\.json$/.test(f))!;
    // What a crash in the middle of writing leaves: half a temp file next to the real ones.
    writeFileSync(join(dir, `.${file}.99999.1.tmp`), '{"revision":2,"imposter":{"protoc');
    writeFileSync(join(dir, '.imposters.json.99999.2.tmp'), '{"format":"standin-da');

    const loaded = await reopened(dir);
    assert.deepEqual(loaded[0]!.definition, imposter(5000, 'a').definition);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('refuses a directory another live process holds', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.close();
    writeFileSync(join(dir, 'standin.lock'), `${process.ppid}\n`);
    await assert.rejects(DatadirRepository.open(dir), new RegExp(`is in use by process ${process.ppid}`));
  });
});
