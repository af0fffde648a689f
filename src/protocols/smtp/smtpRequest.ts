// A received message as mountebank records it: the envelope, the parsed headers and bodies
// (mailparser), in mountebank's key order. Two deliberate differences: every address of a To/Cc/Bcc
// header is kept, where mountebank keeps only the first of each header, and `priority` comes from
// the message's priority headers.
import type { AddressObject, EmailAddress, ParsedMail } from 'mailparser';
import type { SMTPServerSession } from 'smtp-server';

export interface MailAddress {
  address: string;
  name: string;
}

export type SmtpRequest = {
  requestFrom: string;
  ip: string;
  envelopeFrom: string;
  envelopeTo: string[];
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string | undefined;
  priority: string;
  references: string | string[];
  inReplyTo: string | string[];
  text: string;
  html: string;
  attachments: unknown[];
  timestamp?: string;
};

/** Group members flattened: `Team: a@x, b@x;` is two addresses. */
function flatten(addresses: EmailAddress[]): MailAddress[] {
  return addresses.flatMap((a) => (a.group ? flatten(a.group) : [{ address: a.address ?? '', name: a.name ?? '' }]));
}

function addressList(header: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (header === undefined) return [];
  return (Array.isArray(header) ? header : [header]).flatMap((h) => flatten(h.value));
}

/**
 * mailparser reads Priority, X-Priority, X-MSMail-Priority and Importance into one `priority`
 * header (high, normal, low); simpleParser does not copy it onto the mail, so mountebank always
 * says 'normal'. standin reports the header.
 */
function priorityOf(mail: ParsedMail): string {
  const value = mail.headers?.get('priority');
  return typeof value === 'string' && value !== '' ? value : 'normal';
}

export function createSmtpRequest(session: SMTPServerSession, mail: ParsedMail): SmtpRequest {
  const envelopeFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
  const from = addressList(mail.from)[0] ?? { address: envelopeFrom, name: '' };
  // mountebank prints mailparser's attachment objects as JSON (content as {type: 'Buffer', data}).
  const attachments: unknown = JSON.parse(JSON.stringify(mail.attachments ?? []));
  return {
    requestFrom: session.remoteAddress,
    ip: session.remoteAddress,
    envelopeFrom,
    envelopeTo: session.envelope.rcptTo.map((r) => r.address),
    from,
    to: addressList(mail.to),
    cc: addressList(mail.cc),
    bcc: addressList(mail.bcc),
    subject: mail.subject,
    priority: priorityOf(mail),
    references: mail.references ?? [],
    inReplyTo: mail.inReplyTo ?? [],
    text: (mail.text ?? '').trim(),
    html: (typeof mail.html === 'string' ? mail.html : '').trim(),
    attachments: Array.isArray(attachments) ? attachments : [],
  };
}
