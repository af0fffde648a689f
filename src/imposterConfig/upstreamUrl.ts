// An upstream's `url` split once into what a forward needs: the origin (the undici pool's key),
// the base path prefixed to every request path, and the Host header. Only http and https with a
// host are accepted (imposter-go accepts any scheme and fails each request with 502 instead).
import { ImposterConfigError } from './configModel.js';

export interface UpstreamTarget {
  origin: string;
  /** The URL's path without its trailing slash: '' for `http://api`, '/v1' for `http://api/v1/`. */
  basePath: string;
  host: string;
}

export function parseUpstreamUrl(url: unknown, where: string): UpstreamTarget {
  if (typeof url !== 'string' || url.trim() === '') throw new ImposterConfigError(`${where}: 'url' is required, such as "http://backend:8080/api"`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImposterConfigError(`${where}: url ${JSON.stringify(url)} is not a URL with a scheme and a host, such as "http://backend:8080"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ImposterConfigError(`${where}: url ${JSON.stringify(url)} must be http or https`);
  }
  if (parsed.hostname === '') throw new ImposterConfigError(`${where}: url ${JSON.stringify(url)} has no host`);
  return { origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, ''), host: parsed.host };
}

/**
 * The seed's path joining: the base path prefixed to the request path as the client sent it
 * (still percent-encoded, so `%2F` stays `%2F`), the query string unchanged.
 */
export function joinUpstreamPath(target: UpstreamTarget, requestTarget: string): string {
  const path = requestTarget.startsWith('/') ? requestTarget : `/${requestTarget}`;
  return target.basePath + path;
}
