import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationPayload } from './notification-events';
import type { SendOutcome } from './webhook-sender';

const TIMEOUT_MS = 15_000;

/** Subject and plain text of a notification e-mail. */
export function emailText(payload: NotificationPayload): { subject: string; text: string } {
  const where = payload.destination ? ` of "${payload.destination.name}"` : '';
  const titles: Record<NotificationPayload['type'], string> = {
    'run.failed': `Export${where} failed`,
    'run.partial': `Export${where} partly failed`,
    'run.held': `Export${where} held: removals wait for approval`,
    'run.recovered': `Export${where} succeeded again`,
    'skipped.threshold': `Export${where}: many members skipped`,
    test: 'Test notification',
  };
  const subject = `[Audience Sync] ${titles[payload.type]}`;
  const lines = [payload.reason, ''];
  if (payload.run) {
    const t = payload.run.totals;
    lines.push(
      `Run ${payload.run.id} (${payload.run.status}, started by ${payload.run.trigger})`,
      `Members ${t.members}, added ${t.added}, removed ${t.removed}, skipped ${t.skipped}, failed ${t.failed}`,
      '',
      ...payload.run.segments.map(
        (s) =>
          `- ${s.segmentName ?? s.segmentId}: ${s.status}; members ${s.members}, added ${s.added}, removed ${s.removed}, skipped ${s.skipped}, failed ${s.failed}`,
      ),
      '',
      `See the run in Audience Sync: ${payload.run.link}`,
    );
  }
  lines.push('', `Event ${payload.id} (${payload.type}) at ${payload.occurredAt}`);
  return { subject, text: lines.join('\n') };
}

/**
 * Sends notification e-mails over SMTP (SMTP_URL) with nodemailer, the well-kept library for
 * it (STARTTLS, authentication, pooling of nothing: one connection per message is plenty for
 * alerts). The URL holds the password: it is never logged or put into an error.
 */
export class EmailSender {
  private readonly transport: Transporter | null;

  constructor(
    smtpUrl: string | undefined,
    private readonly from: string,
  ) {
    this.transport = smtpUrl
      ? createTransport({
          url: smtpUrl,
          connectionTimeout: TIMEOUT_MS,
          greetingTimeout: TIMEOUT_MS,
          socketTimeout: TIMEOUT_MS,
        } as Parameters<typeof createTransport>[0])
      : null;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(to: string[], payload: NotificationPayload): Promise<SendOutcome> {
    if (!this.transport) {
      return { ok: false, responseCode: null, error: 'SMTP_URL is not set', permanent: true };
    }
    const { subject, text } = emailText(payload);
    try {
      await this.transport.sendMail({
        from: this.from,
        to,
        subject,
        text,
        headers: { 'X-Audience-Sync-Event-Id': payload.id, 'X-Audience-Sync-Event': payload.type },
      });
      return { ok: true, responseCode: null, error: null };
    } catch (error) {
      const e = error as Error & { responseCode?: number };
      return { ok: false, responseCode: e.responseCode ?? null, error: `SMTP: ${e.message}` };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
