// What an http imposter answers with, whoever built it: an `is` response, a proxy (the origin's
// bytes) or an Imposter-config resource. The http adapter writes it to the socket.
export interface HttpReply {
  statusCode: number;
  /** Name/value pairs flattened, names in the user's case, as writeHead takes them. */
  headers: string[];
  body: Buffer;
  /** The body in parts, when it was rendered from a template: written without joining them. */
  readonly chunks?: readonly Buffer[];
  /** `_mode: "binary"`: the body was given in base64. */
  readonly binary?: boolean;
}
