// The `shellTransform` behavior: runs the command with the request and response as JSON in
// MB_REQUEST and MB_RESPONSE (and, for older scripts, as two quoted arguments while the command
// line stays under 2048 characters), and takes the JSON it prints as the new response. A command
// that fails, prints something else or outlives the injection time limit fails the request.
import type { ResponseObject } from '../contracts/index.js';
import { exec } from 'node:child_process';
import { StandinError } from '../model/errors.js';
import { SHELL_MESSAGE, type ScriptScope } from '../injection/index.js';
import { BehaviorFields } from './behaviorFields.js';
import type { BehaviorStep } from './behaviorStep.js';

const MAX_COMMAND_LENGTH = 2048;

/** The command line; refused without --allowInjection. */
export function validateShellTransform(value: unknown, allowInjection: boolean, source: unknown): string {
  if (!allowInjection) throw new StandinError('invalid injection', SHELL_MESSAGE, source);
  return new BehaviorFields('shellTransform', source).requiredString(value, 'shellTransform', 'the path to a command line application');
}

export function compileShellTransform(command: string, scope: ScriptScope): BehaviorStep {
  return (request, response) => {
    const requestJson = JSON.stringify(request);
    const responseJson = JSON.stringify(response);
    let commandLine = `${command} ${shellQuote(requestJson)} ${shellQuote(responseJson)}`;
    if (commandLine.length >= MAX_COMMAND_LENGTH) commandLine = command;
    const env = { ...process.env, MB_REQUEST: requestJson, MB_RESPONSE: responseJson };
    scope.log.debug(`Shelling out to ${command}`);
    return new Promise<ResponseObject>((resolve, reject) => {
      exec(commandLine, { env, timeout: scope.timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          if (stderr) scope.log.error(stderr.trimEnd());
          const reason = error.killed ? `did not finish within ${scope.timeoutMs} ms` : error.message.trimEnd();
          scope.log.error(`shellTransform ${JSON.stringify(command)} failed: ${reason}`);
          reject(new StandinError('invalid injection', 'invalid shellTransform', undefined, { source: command, data: reason }));
          return;
        }
        try {
          // As mountebank: the JSON the command printed goes on to the next behavior, an object or not.
          resolve(JSON.parse(stdout) as ResponseObject);
        } catch {
          scope.log.error(`shellTransform ${JSON.stringify(command)} returned invalid JSON: '${stdout}'`);
          reject(new StandinError('invalid injection', `Shell command returned invalid JSON: '${stdout}'`, undefined, { source: command }));
        }
      });
    });
  };
}

/** One single-quoted shell word (a quote inside ends the word, adds \' and reopens it). */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
