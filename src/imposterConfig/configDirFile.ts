// Files a config names (a response `file`, a store's `preloadFile`) are read from its own
// directory and never from outside it. The check is on the real path, after every symbolic link
// is followed: a link inside the directory that points at /etc/passwd is outside.
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { ImposterConfigError } from './configModel.js';
import { errorMessage } from '../model/caughtError.js';

/**
 * The real path of `file`, relative to `dir` unless absolute; ImposterConfigError when it does
 * not exist or leads outside `dir`. `what` names the field in the message.
 */
export function fileInsideDir(dir: string, file: string, what: string): string {
  let root: string;
  let real: string;
  try {
    root = realpathSync(dir);
    real = realpathSync(resolve(dir, file));
  } catch (err) {
    throw new ImposterConfigError(`${what} ${JSON.stringify(file)} cannot be read: ${errorMessage(err)}`);
  }
  const inside = relative(root, real);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || resolve(root, inside) !== real) {
    const link = real !== resolve(dir, file) ? ` (it leads to ${real})` : '';
    throw new ImposterConfigError(`${what} ${JSON.stringify(file)} is outside the config directory ${root}${link}; keep the file inside that directory`);
  }
  return real;
}
