// The --datadir file layout: what a reopened directory holds after writes, interrupted writes and
// positions that belong to an older revision of their imposter.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    assert.deepEqual(
      loaded.map((s) => s.definition.port),
      [4000, 5000],
    );
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
    assert.deepEqual(
      (await reopened(dir)).map((s) => s.definition.port),
      [7000],
    );
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('5000-')).length, 0);
  });

  it('a write interrupted before its rename leaves the previous contents, and its temp file is swept', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.close();
    const own = readdirSync(dir).find((f) => /^5000-[0-9a-f]+$/.test(f))!;
    // What a crash in the middle of writing leaves: half a temp file next to the real ones.
    writeFileSync(join(dir, own, '.imposter.json.99999.1.tmp'), '{"revision":2,"imposter":{"protoc');
    writeFileSync(join(dir, '.imposters.json.99999.2.tmp'), '{"format":"standin-da');

    const loaded = await reopened(dir);
    assert.deepEqual(loaded[0]!.definition, imposter(5000, 'a').definition);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
    assert.deepEqual(
      readdirSync(join(dir, own)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('touches only what it made: files of the same shapes, put there by someone else, survive a start and every change', async () => {
    const dir = newDir();
    mkdirSync(dir);
    const theirs = ['2024-12.json', '4545-abcdef.json', '4545-abcdef.positions.json', '.session.tmp', '.imposters.json.tmp', 'notes.txt'];
    for (const name of theirs) writeFileSync(join(dir, name), 'user data');
    mkdirSync(join(dir, '4546-abcdef'));
    writeFileSync(join(dir, '4546-abcdef', 'imposter.json'), 'user data');

    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.save(6000, imposter(6000, 'b'));
    await repository.delete(6000);
    await repository.replaceAll(new Map([[7000, imposter(7000, 'z')]]));
    await repository.replaceAll(new Map());
    await repository.close();
    await reopened(dir);

    for (const name of theirs) assert.equal(readFileSync(join(dir, name), 'utf8'), 'user data', name);
    assert.equal(readFileSync(join(dir, '4546-abcdef', 'imposter.json'), 'utf8'), 'user data');
    assert.deepEqual(readdirSync(dir).sort(), [...theirs, '4546-abcdef', 'imposters.json'].sort());
  });

  it('deleting an imposter removes its whole directory, files put in it included', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.save(6000, imposter(6000, 'b'));
    const own = readdirSync(dir).find((f) => /^5000-[0-9a-f]+$/.test(f))!;
    writeFileSync(join(dir, own, 'extra.txt'), 'put here by hand');
    await repository.delete(5000);
    await repository.close();
    assert.equal(existsSync(join(dir, own)), false);
    assert.deepEqual(
      (await reopened(dir)).map((s) => s.definition.port),
      [6000],
    );
  });

  it('a creation cut short before its imposter file was written is forgotten at the next start, its directory removed', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.save(5000, imposter(5000, 'a'));
    await repository.close();
    // The manifest already names the new imposter's directory; the crash came before its file.
    const manifest = JSON.parse(readFileSync(join(dir, 'imposters.json'), 'utf8'));
    manifest.imposters.push({ port: 6000, dir: '6000-0badf00d' });
    writeFileSync(join(dir, 'imposters.json'), JSON.stringify(manifest));
    mkdirSync(join(dir, '6000-0badf00d'));

    assert.deepEqual(
      (await reopened(dir)).map((s) => s.definition.port),
      [5000],
    );
    assert.equal(existsSync(join(dir, '6000-0badf00d')), false);
    assert.deepEqual(
      JSON.parse(readFileSync(join(dir, 'imposters.json'), 'utf8')).imposters.map((i: { port: number }) => i.port),
      [5000],
    );
  });

  it('a manifest entry that is a path, not a directory name of its own, is refused and nothing is removed', async () => {
    const dir = newDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'x');
    writeFileSync(join(dir, 'imposters.json'), JSON.stringify({ format: 'standin-datadir', version: 2, imposters: [], unused: ['..'] }));
    await assert.rejects(DatadirRepository.open(dir), /imposters\.json lists an invalid entry "\.\."/);
    assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'x');
  });

  it('reads a directory written in the earlier one-file-per-imposter layout and moves each imposter into its own directory', async () => {
    const dir = newDir();
    mkdirSync(dir);
    const stored = { revision: 3, imposter: imposter(5000, 'old').definition, positions: [[0, 0]] };
    writeFileSync(join(dir, '5000-1a2b3c4d.json'), JSON.stringify(stored));
    writeFileSync(join(dir, '5000-1a2b3c4d.positions.json'), JSON.stringify({ revision: 3, positions: [[1, 0]] }));
    writeFileSync(
      join(dir, 'imposters.json'),
      JSON.stringify({ format: 'standin-datadir', version: 1, imposters: [{ port: 5000, file: '5000-1a2b3c4d.json' }] }),
    );

    const loaded = await reopened(dir);
    assert.deepEqual(loaded[0]!.definition, stored.imposter);
    assert.deepEqual(loaded[0]!.positions, [[1, 0]]);
    assert.deepEqual(readdirSync(dir).sort(), ['5000-1a2b3c4d', 'imposters.json']);
    assert.deepEqual(readdirSync(join(dir, '5000-1a2b3c4d')).sort(), ['imposter.json', 'positions.json']);
  });

  it('refuses a directory another live process holds', async () => {
    const dir = newDir();
    const repository = await DatadirRepository.open(dir);
    await repository.close();
    writeFileSync(join(dir, 'standin.lock'), `${process.ppid}\n`);
    await assert.rejects(DatadirRepository.open(dir), new RegExp(`is in use by process ${process.ppid}`));
  });
});
