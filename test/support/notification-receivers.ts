import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One request the webhook listener received. */
export interface Received {
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  at: number;
}

/**
 * A webhook receiver on 127.0.0.1: records every request and answers the statuses queued with
 * `answerNext` (then 200).
 */
export class WebhookListener {
  readonly received: Received[] = [];
  private readonly answers: number[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const status = this.answers.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status === 200 ? 'ok' : 'listener refused');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  answerNext(...statuses: number[]): void {
    this.answers.push(...statuses);
  }

  /** The received bodies, parsed, of events matching `pick`, once there are `count` of them. */
  async waitFor<T = Record<string, unknown>>(
    pick: (body: T) => boolean,
    count = 1,
    timeoutMs = 20_000,
  ): Promise<Array<{ body: T; raw: Received }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received
        .map((raw) => ({ body: JSON.parse(raw.body) as T, raw }))
        .filter((r) => pick(r.body));
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `the webhook did not get ${count} matching event(s); got: ${this.received.map((r) => r.body).join('\n')}`,
        );
      }
      await sleep(25);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) {
        resolve();
        return;
      }
      this.server.closeAllConnections();
      this.server.close(() => {
        resolve();
      });
    });
  }
}

/** A message the SMTP server accepted, parsed by mailparser. */
export interface ReceivedMail {
  /** The envelope's sender and recipients. */
  from: string;
  to: string[];
  subject: string;
  /** The plain-text body. */
  text: string;
  headers: Map<string, unknown>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives. */
export class MailCatcher {
  readonly messages: ReceivedMail[] = [];
  private server?: SMTPServer;
  url = '';

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (parsed) => {
            this.messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              headers: parsed.headers,
            });
            callback();
          },
          (error: unknown) => {
            callback(error as Error);
          },
        );
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.server.address() as AddressInfo).port;
    this.url = `smtp://127.0.0.1:${port}`;
    return this;
  }

  async waitFor(pick: (m: ReceivedMail) => boolean, timeoutMs = 20_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(pick);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no such mail; got ${this.messages.map((m) => m.text).join('\n---\n')}`);
      }
      await sleep(25);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) {
        resolve();
        return;
      }
      this.server.close(() => {
        resolve();
      });
    });
  }
}
