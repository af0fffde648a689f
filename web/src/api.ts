// Calls to the admin API from the pages: JSON in and out, the API key from this tab's storage,
// and a header that marks the dashboard's calls (standin logs them at debug, not info).

const KEY_STORAGE = 'standin.apikey';

export interface ApiErrorBody {
  code?: string;
  message?: string;
  source?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorBody[],
  ) {
    super(errors.map((e) => e.message ?? e.code ?? 'error').join('; ') || `HTTP ${status}`);
  }
}

export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** Called when the API answers 401: the page then asks for the key. */
let onUnauthorized: () => void = () => {};
export const whenUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};

function headers(json: boolean): Record<string, string> {
  const out: Record<string, string> = { Accept: 'application/json', 'X-Standin-Dashboard': '1' };
  const key = apiKey.get();
  if (key) out['x-api-key'] = key;
  if (json) out['Content-Type'] = 'application/json';
  return out;
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (response.ok) return response;
  let errors: ApiErrorBody[] = [];
  try {
    const parsed = (await response.json()) as { errors?: ApiErrorBody[] };
    errors = parsed.errors ?? [];
  } catch {
    // not JSON: the status says it
  }
  if (response.status === 401) onUnauthorized();
  throw new ApiError(response.status, errors);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

export async function getText(path: string): Promise<string> {
  return (await send('GET', path)).text();
}

export interface StreamEvent {
  event: string;
  id?: string;
  data: unknown;
}

/**
 * Server-Sent Events read with fetch (EventSource cannot send the API key): reconnects after a
 * drop with Last-Event-ID, so no event is missed or seen twice. Returns the function that stops it.
 */
export function streamEvents(path: string, onEvent: (event: StreamEvent) => void, onState?: (live: boolean) => void): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const h = headers(false);
        h.Accept = 'text/event-stream';
        if (lastId !== undefined) h['Last-Event-ID'] = lastId;
        const response = await fetch(path, { headers: h, signal: controller.signal });
        if (response.status === 401) {
          onUnauthorized();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        onState?.(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const parsed = parseFrame(frame);
            if (!parsed) continue;
            if (parsed.id !== undefined) lastId = parsed.id;
            onEvent(parsed);
          }
        }
      } catch {
        if (stopped) return;
      }
      onState?.(false);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}

function parseFrame(frame: string): StreamEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  try {
    return { event, id, data: JSON.parse(data.join('\n')) };
  } catch {
    return undefined;
  }
}

/** Saves `text` as a file through the browser's download. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
