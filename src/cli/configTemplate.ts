// Rendering of --configfile templates (mb's default formatter renders EJS: `include`, `stringify`,
// `inject`). Not implemented yet: this is the seam where EJS rendering slots in. Until then a file
// that uses EJS tags is refused with a clear message instead of being half-understood.
import { ConfigFileError } from './configFileError.js';

/** Renders the text of `filename` into JSON text. */
export type ConfigRenderer = (text: string, filename: string) => string | Promise<string>;

export const renderConfigTemplate: ConfigRenderer = (text, filename) => {
  if (text.includes('<%')) {
    throw new ConfigFileError(
      `config file ${filename} uses EJS tags (<% ... %>), and EJS templating is not implemented yet; ` +
        'use --noParse to load it as plain JSON',
    );
  }
  return text;
};
