import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/cli/flags.js';
import { parseArgs, type ParsedCommand } from '../../src/cli/parseArgs.js';
import { usage } from '../../src/cli/usage.js';
import { DEFAULT_OPTIONS, type StandinOptions } from '../../src/model/options.js';

function run(argv: string[]): Extract<ParsedCommand, { kind: 'run' }> {
  const parsed = parseArgs(argv);
  assert.equal(parsed.kind, 'run');
  return parsed as Extract<ParsedCommand, { kind: 'run' }>;
}
const optionsOf = (argv: string[]): StandinOptions => run(argv).options;

function refused(argv: string[], pattern: RegExp): void {
  assert.throws(
    () => parseArgs(argv),
    (err: unknown) => {
      assert.ok(err instanceof UsageError, `expected a UsageError, got ${String(err)}`);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes('\n'), 'the message is one line');
      return true;
    },
  );
}

describe('parseArgs: verbs', () => {
  it('defaults to start with mb defaults', () => {
    const parsed = run([]);
    assert.equal(parsed.verb, 'start');
    assert.deepEqual(parsed.options, DEFAULT_OPTIONS);
    assert.deepEqual(parsed.unsupportedFlags, []);
  });

  it('reads each verb', () => {
    for (const verb of ['start', 'stop', 'restart', 'save', 'replay'] as const) {
      assert.equal(run([verb]).verb, verb);
    }
  });

  it('flags may come before the verb', () => {
    const parsed = run(['--port', '3000', 'stop', '--pidfile', 'x.pid']);
    assert.equal(parsed.verb, 'stop');
    assert.equal(parsed.options.port, 3000);
    assert.equal(parsed.options.pidfile, 'x.pid');
  });

  it('help, --help and --version', () => {
    assert.deepEqual(parseArgs(['help']), { kind: 'help' });
    assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseArgs(['start', '--help']), { kind: 'help', verb: 'start' });
    assert.deepEqual(parseArgs(['help', 'save']), { kind: 'help', verb: 'save' });
    assert.deepEqual(parseArgs(['--help', 'stop']), { kind: 'help', verb: 'stop' });
    assert.deepEqual(parseArgs(['help', 'imposter']), { kind: 'help', verb: 'imposter' });
    assert.deepEqual(parseArgs(['help', 'launch']), { kind: 'invalidCommand', command: 'launch' });
    assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
  });

  it('an unknown verb is an invalid command', () => {
    assert.deepEqual(parseArgs(['launch']), { kind: 'invalidCommand', command: 'launch' });
  });

  it('a second positional argument is refused', () => {
    refused(['start', 'now'], /unexpected argument "now" after 'start'/);
  });

  it('does not mutate the defaults', () => {
    optionsOf(['--ipWhitelist', 'a|b', '--port', '9']);
    assert.deepEqual(DEFAULT_OPTIONS.ipWhitelist, ['*']);
    assert.equal(DEFAULT_OPTIONS.port, 2525);
  });
});

describe('parseArgs: flags', () => {
  it('reads every value flag in both --flag value and --flag=value forms', () => {
    const expected: Partial<StandinOptions> = {
      port: 3000,
      host: '127.0.0.1',
      ipWhitelist: ['127.0.0.1', '::1'],
      loglevel: 'debug',
      logfile: 'x.log',
      pidfile: 'x.pid',
      configfile: 'imposters.json',
      journalCap: 50,
      bodyLimit: 512 * 1024,
      adminBodyLimit: 3 * 1024 * 1024,
    };
    const values: Record<string, string> = {
      port: '3000',
      host: '127.0.0.1',
      ipWhitelist: '127.0.0.1|::1',
      loglevel: 'debug',
      logfile: 'x.log',
      pidfile: 'x.pid',
      configfile: 'imposters.json',
      journalCap: '50',
      bodyLimit: '512kb',
      adminBodyLimit: '3MB',
    };
    const spaced = optionsOf(Object.entries(values).flatMap(([k, v]) => [`--${k}`, v]));
    const equals = optionsOf(Object.entries(values).map(([k, v]) => `--${k}=${v}`));
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(spaced[key as keyof StandinOptions], value, key);
      assert.deepEqual(equals[key as keyof StandinOptions], value, key);
    }
  });

  it('reads the short aliases of mb', () => {
    const options = optionsOf(['-p', '4000', '-h', 'localhost', '-i', '-l', '-w', '10.0.0.1', '-d', '-m']);
    assert.equal(options.port, 4000);
    assert.equal(options.host, 'localhost');
    assert.equal(options.allowInjection, true);
    assert.equal(options.localOnly, true);
    assert.deepEqual(options.ipWhitelist, ['10.0.0.1']);
    assert.equal(options.debug, true);
    assert.equal(options.mock, true);
  });

  it('reads clustered and attached short aliases', () => {
    const options = optionsOf(['-il', '-p4001']);
    assert.equal(options.allowInjection, true);
    assert.equal(options.localOnly, true);
    assert.equal(options.port, 4001);
    assert.equal(optionsOf(['-dp', '4002']).port, 4002);
    assert.equal(optionsOf(['-p=4003']).port, 4003);
  });

  it('boolean flags accept true|false, =value, --no- and kebab-case', () => {
    for (const flag of ['allowInjection', 'localOnly', 'nologfile', 'noParse', 'debug', 'mock'] as const) {
      assert.equal(optionsOf([`--${flag}`])[flag], true, flag);
      assert.equal(optionsOf([`--${flag}`, 'true'])[flag], true, flag);
      assert.equal(optionsOf([`--${flag}`, 'false'])[flag], false, flag);
      assert.equal(optionsOf([`--${flag}=false`])[flag], false, flag);
      assert.equal(optionsOf([`--${flag}=TRUE`])[flag], true, flag);
    }
    assert.equal(optionsOf(['--no-allowInjection']).allowInjection, false);
    assert.equal(optionsOf(['--allow-injection']).allowInjection, true);
    assert.equal(optionsOf(['--no-parse']).noParse, true);
  });

  it('a boolean flag does not swallow the verb', () => {
    const parsed = run(['--allowInjection', 'start']);
    assert.equal(parsed.verb, 'start');
    assert.equal(parsed.options.allowInjection, true);
  });

  it('the last occurrence wins', () => {
    const options = optionsOf(['--port', '3000', '--port', '3001', '--nologfile', '--nologfile', 'false']);
    assert.equal(options.port, 3001);
    assert.equal(options.nologfile, false);
  });

  it('accepts the whole port range', () => {
    assert.equal(optionsOf(['--port', '1']).port, 1);
    assert.equal(optionsOf(['--port', '65535']).port, 65535);
  });
});

describe('parseArgs: refusals are one line naming the flag', () => {
  it('an unknown flag', () => {
    refused(['--prot', '3000'], /^unknown flag --prot \(did you mean "--port"\?\); standin --help lists every flag$/);
    refused(['--allowinjection'], /^unknown flag --allowinjection \(did you mean "--allowInjection"\?\)/);
    refused(['--configFile', 'x.json'], /^unknown flag --configFile \(did you mean "--configfile"\?\)/);
    refused(['--zzzzzz'], /^unknown flag --zzzzzz; standin --help lists every flag$/);
    refused(['start', '--adminPort', '2526'], /^--adminPort is for standin imposter; for standin start the admin API's port is --port$/);
    refused(['-z'], /^unknown flag -z\b/);
    refused(['-iz'], /^unknown flag -z\b/);
  });

  it('a bad port', () => {
    refused(['--port', 'abc'], /^--port must be an integer from 1 to 65535, got "abc"$/);
    refused(['--port', '0'], /^--port must be an integer from 1 to 65535, got "0"$/);
    refused(['--port', '65536'], /--port must be an integer from 1 to 65535, got "65536"/);
    refused(['--port', '25.5'], /--port must be an integer/);
    refused(['--port=-1'], /--port must be an integer/);
    refused(['-p', 'x'], /^-p must be an integer from 1 to 65535, got "x"$/);
  });

  it('a missing value', () => {
    refused(['--port'], /^--port needs a value$/);
    refused(['--pidfile', '--port', '3000'], /^--pidfile needs a value$/);
    refused(['-h'], /^-h needs a value \(-h is --host/);
  });

  it('a bad log level', () => {
    refused(['--loglevel', 'verbose'], /^--loglevel must be one of debug, info, warn, error, got "verbose"$/);
  });

  it('a bad boolean value', () => {
    refused(['--allowInjection=yes'], /^--allowInjection must be true or false, got "yes"$/);
  });

  it('a bad journalCap', () => {
    refused(['--journalCap', '0'], /^--journalCap must be a positive integer, got "0"$/);
    refused(['--journalCap', 'lots'], /--journalCap must be a positive integer/);
  });

  it('a bad body limit', () => {
    refused(['--bodyLimit', '0'], /^--bodyLimit must be a size from 1 byte to 500mb, such as 1048576, 512kb or 64mb, got "0"$/);
    refused(['--adminBodyLimit', '1gb'], /^--adminBodyLimit must be a size from 1 byte to 500mb/);
    refused(['--bodyLimit', 'lots'], /^--bodyLimit must be a size/);
  });

  it('empty values', () => {
    refused(['--host='], /^--host must be a hostname or IP address, got an empty string$/);
    refused(['--ipWhitelist', '|'], /^--ipWhitelist must be a pipe-delimited list/);
  });

  it('a value given to a negated flag', () => {
    refused(['--no-debug=true'], /--no-debug takes no value/);
  });
});

describe('parseArgs: mb flags standin does not support yet', () => {
  it('are recognised, their values skipped, and reported', () => {
    const parsed = run(['--impostersRepository', 'repo.js', '--heroku', '--log', '{}', 'start']);
    assert.equal(parsed.verb, 'start');
    assert.deepEqual(parsed.unsupportedFlags, ['--impostersRepository', '--heroku', '--log']);
  });
});

describe('usage', () => {
  it('lists every verb and flag', () => {
    const text = usage();
    for (const word of ['start', 'stop', 'restart', 'save', 'replay', 'help']) assert.match(text, new RegExp(`\\b${word}\\b`));
    for (const flag of [
      'port',
      'host',
      'allowInjection',
      'localOnly',
      'ipWhitelist',
      'loglevel',
      'logfile',
      'nologfile',
      'pidfile',
      'configfile',
      'noParse',
      'debug',
      'mock',
      'journalCap',
      'help',
      'version',
    ]) {
      assert.ok(text.includes(`--${flag}`), flag);
    }
  });
});

describe("parseArgs: mb's short aliases", () => {
  it('-d -h -i -l -m -p -r -w -o are debug, host, allowInjection, localOnly, mock, port, removeProxies, ipWhitelist, origin', () => {
    const options = optionsOf(['-dilmr', '-h', '127.0.0.1', '-p', '3000', '-w', '10.0.0.1|10.0.0.2', '-o', 'http://app.test']);
    assert.equal(options.debug, true);
    assert.equal(options.allowInjection, true);
    assert.equal(options.localOnly, true);
    assert.equal(options.mock, true);
    assert.equal(options.removeProxies, true);
    assert.equal(options.host, '127.0.0.1');
    assert.equal(options.port, 3000);
    assert.deepEqual(options.ipWhitelist, ['10.0.0.1', '10.0.0.2']);
    assert.equal(options.origin, 'http://app.test');
  });

  it('flags unknown to standin go to a --formatter, wherever it appears', () => {
    const parsed = run(['save', '--customName', 'x', '--formatter', './fmt.js', '--flagOnly']);
    assert.deepEqual(parsed.formatterOptions, { customName: 'x', flagOnly: true });
    refused(['save', '--customName', 'x'], /unknown flag --customName/);
  });
});
