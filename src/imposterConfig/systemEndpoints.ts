// Imposter's own endpoints under /system, answered before any resource or passthrough is
// considered (one stub placed first), so nothing under /system is ever forwarded:
//   GET /system/status            {"status":"ok","version":"..."}
//   /system/store/{store}[/{key}] read, write and delete store items, in imposter-go's shapes.
// Any other /system path is a 404.
import type { HttpRequest } from '../model/request.js';
import type { HttpReply } from '../protocols/http/httpReply.js';
import { VERSION } from '../model/version.js';
import type { NamedStores } from '../contracts/index.js';

const reply = (statusCode: number, body = '', contentType?: string): HttpReply => {
  const bytes = Buffer.from(body, 'utf8');
  const headers = contentType ? ['Content-Type', contentType] : [];
  headers.push('Content-Length', String(bytes.length));
  return { statusCode, headers, body: bytes };
};
const json = (statusCode: number, value: unknown) => reply(statusCode, JSON.stringify(value), 'application/json');

export function answerSystem(request: HttpRequest, stores: NamedStores): HttpReply {
  const path = request.path;
  if (path === '/system/status') {
    return request.method === 'GET' ? json(200, { status: 'ok', version: VERSION }) : reply(405, 'Method not allowed');
  }
  if (path === '/system/store' || path.startsWith('/system/store/')) return answerStore(request, stores);
  return reply(404, 'Not found');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function answerStore(request: HttpRequest, stores: NamedStores): HttpReply {
  const rest = request.path.slice('/system/store'.length).replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  const storeName = decode(slash === -1 ? rest : rest.slice(0, slash));
  // The key may itself contain slashes.
  const key = slash === -1 ? '' : decode(rest.slice(slash + 1));
  if (storeName === '') return reply(400, 'Store name is required');

  switch (request.method) {
    case 'GET': {
      if (key === '') {
        const prefix = typeof request.query.keyPrefix === 'string' ? request.query.keyPrefix : '';
        const items: Record<string, unknown> = {};
        for (const [k, v] of stores.find(storeName) ?? []) if (k.startsWith(prefix)) items[k] = v;
        return json(200, items);
      }
      const store = stores.find(storeName);
      if (!store || !store.has(key)) return reply(404, 'Item not found');
      const value = store.get(key);
      return typeof value === 'string' ? reply(200, value, 'text/plain') : json(200, value);
    }
    case 'PUT': {
      if (key === '') return reply(400, 'Item key is required');
      const store = stores.open(storeName);
      const existed = store.has(key);
      store.set(key, request.body);
      return reply(existed ? 200 : 201);
    }
    case 'POST': {
      if (key !== '') return reply(405, 'Method not allowed');
      let items: unknown;
      try {
        items = JSON.parse(request.body);
      } catch {
        return reply(400, 'Request body must be a JSON object');
      }
      if (items === null || typeof items !== 'object' || Array.isArray(items)) return reply(400, 'Request body must be a JSON object');
      const store = stores.open(storeName);
      for (const [k, v] of Object.entries(items)) store.set(k, v);
      return reply(200);
    }
    case 'DELETE':
      if (key === '') stores.delete(storeName);
      else stores.find(storeName)?.delete(key);
      return reply(204);
    default:
      return reply(405, 'Method not allowed');
  }
}
