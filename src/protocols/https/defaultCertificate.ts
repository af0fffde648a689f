// The key and certificate an https imposter (or smtp's STARTTLS) uses when it brings none: made by
// this process, the first time one is needed, and shared after that. mountebank ships a fixed pair
// that has long expired; a fresh one is valid for a year, for localhost, 127.0.0.1 and ::1.
// node can make keys but not write X.509, so `selfsigned` (node's WebCrypto underneath) signs it.

export interface KeyAndCertificate {
  key: string;
  cert: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Starts a day back, so a client whose clock is a little behind still accepts it. */
const CLOCK_SKEW_MS = DAY_MS;
const VALID_FOR_MS = 365 * DAY_MS;

let pending: Promise<KeyAndCertificate> | undefined;

/** The process's self-signed pair; generated once (about 250 ms of RSA key generation). */
export function defaultCertificate(): Promise<KeyAndCertificate> {
  pending ??= createCertificate().catch((err: unknown) => {
    pending = undefined; // let the next imposter try again rather than fail forever
    throw err;
  });
  return pending;
}

export async function createCertificate(now: number = Date.now()): Promise<KeyAndCertificate> {
  // Loaded when the first certificate is made, not at startup (selfsigned takes ~165 ms to import).
  const { generate } = await import('selfsigned');
  const pems = await generate(
    [
      { name: 'commonName', value: 'localhost' },
      { name: 'organizationName', value: 'standin' },
    ],
    {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(now - CLOCK_SKEW_MS),
      notAfterDate: new Date(now + VALID_FOR_MS),
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    },
  );
  return { key: pems.private, cert: pems.cert };
}
