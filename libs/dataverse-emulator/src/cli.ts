#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator';

const USAGE = `Usage: dataverse-emulator [--port 8443] [--host 127.0.0.1] [--contacts 5000] [--seed 1]
                          [--data <folder>] [--token-lifetime <seconds>] [--json]

Starts a local Dynamics 365 (Dataverse Web API) + Entra ID emulator over HTTPS.
  --port            port to listen on (default 8443; 0 = any free port)
  --contacts        generated contacts to seed on first start (default 0)
  --seed            seed of the generated data and ids (default 1)
  --data            folder keeping the CA, identity, contacts and lists across restarts
  --token-lifetime  access-token lifetime in seconds (default 3599)
  --json            print one JSON line {url, authority, tenantId, clientId, clientSecret, caCertPath}`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer (got '${value}')\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        contacts: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        'token-lifetime': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({
    port: integer('port', values.port, 8443),
    host: values.host,
    contacts: integer('contacts', values.contacts, 0),
    seed: integer('seed', values.seed, 1),
    dataDir: values.data,
    tokenLifetimeSeconds: values['token-lifetime']
      ? integer('token-lifetime', values['token-lifetime'], 3599)
      : undefined,
  });
  // Before announcing the server: a script that stops it as soon as it reads the banner (or
  // the --json line) must find these handlers in place, or the data folder is not saved.
  const stop = () => {
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const info = {
    url: emulator.url,
    authority: emulator.authority,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    caCertPath: emulator.caCertPath,
  };
  if (values.json) {
    console.log(JSON.stringify(info));
  } else {
    const host = new URL(emulator.url).host;
    console.log(`Dataverse emulator listening
  Org URL (serverAddress)  ${info.url}
  Web API                  ${emulator.apiUrl}
  Authority                ${info.authority}   (MSAL knownAuthorities: ["${host}"])
  Tenant id                ${info.tenantId}
  Client id                ${info.clientId}
  Client secret            ${info.clientSecret}
  Scope                    ${emulator.scope}
  CA certificate           ${info.caCertPath}
  Admin API                ${emulator.adminUrl}
  Device sign-in page      ${emulator.url}/devicelogin
  Contacts                 ${emulator.contacts.count()}
Press Ctrl+C to stop.`);
  }
}

main().catch((error: unknown) => {
  console.error(`dataverse-emulator: ${(error as Error).message}`);
  process.exit(1);
});
