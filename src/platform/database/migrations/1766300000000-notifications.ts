import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * Notifications (issue 16).
 *
 * - `notification_channel`: where events go (a webhook or e-mail addresses) and which events;
 *   `secret` is one SecretBox envelope (the webhook's signing secret), never readable without
 *   the key.
 * - `notification_delivery`: the outbox. One row per event and channel, written when the event
 *   happens and sent by the delivery schedule; `next_attempt_at` (epoch ms) is both the retry
 *   time and the claim (a sender pushes it forward before sending), so deliveries survive a
 *   restart and two processes never send the same row at once.
 * - `destination.skipped_alert_percent`: the share of skipped members above which a run sends
 *   `skipped.threshold` (null: never).
 */
export class Notifications1766300000000 implements MigrationInterface {
  name = 'Notifications1766300000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`ALTER TABLE destination ADD COLUMN skipped_alert_percent ${t.real}`);
    await runner.query(`CREATE TABLE notification_channel (
      id varchar(36) PRIMARY KEY,
      type varchar(20) NOT NULL,
      name varchar(200) NOT NULL,
      config ${t.simpleJson} NOT NULL,
      secret text,
      events ${t.simpleJson} NOT NULL,
      created_at ${t.timestamp} NOT NULL DEFAULT ${t.now},
      updated_at ${t.timestamp} NOT NULL DEFAULT ${t.now}
    )`);
    await runner.query(`CREATE TABLE notification_delivery (
      id varchar(36) PRIMARY KEY,
      channel_id varchar(36) NOT NULL,
      event_id varchar(36) NOT NULL,
      event_type varchar(40) NOT NULL,
      payload text NOT NULL,
      status varchar(20) NOT NULL,
      attempts integer NOT NULL,
      next_attempt_at ${t.bigint} NOT NULL,
      last_error text,
      response_code integer,
      created_at varchar(30) NOT NULL,
      last_attempt_at varchar(30),
      delivered_at varchar(30)
    )`);
    await runner.query(
      'CREATE INDEX ix_notification_delivery_due ON notification_delivery (status, next_attempt_at)',
    );
    await runner.query(
      'CREATE INDEX ix_notification_delivery_channel ON notification_delivery (channel_id, id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE notification_delivery');
    await runner.query('DROP TABLE notification_channel');
    await runner.query('ALTER TABLE destination DROP COLUMN skipped_alert_percent');
  }
}
