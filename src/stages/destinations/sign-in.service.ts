import type { SignInChallenge, SignInSink } from '@audience-sync/exporter-contract';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppError } from '@platform/errors/app-error';
import { Clock } from '@platform/clock/clock';
import { Destination, type SignInState } from './destination.entity';
import { DestinationsService } from './destinations.service';
import { fromPluginError } from './plugin-errors';

/** What `POST /api/destinations/:id/sign-in` answers: what to show the person signing in. */
export interface SignInStart extends SignInChallenge {
  status: 'pending';
}

/**
 * The interactive sign-in of a destination type that offers one (a device code): the plugin
 * answers the code at once and completes in the background through a sink that stores the
 * resulting secrets (sealed) and shows who signed in on the destination.
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger('Destinations');

  constructor(
    @InjectRepository(Destination) private readonly repo: Repository<Destination>,
    private readonly destinations: DestinationsService,
    private readonly clock: Clock,
  ) {}

  async start(id: string): Promise<SignInStart> {
    const destination = await this.destinations.entity(id);
    const plugin = this.destinations.plugin(destination);
    if (!plugin.startSignIn || !plugin.description.signIn) {
      throw AppError.validation(
        'type',
        `${plugin.description.displayName} destinations have no interactive sign-in`,
      );
    }
    const startedAt = this.clock.iso();
    await this.setState(id, { status: 'pending', startedAt });
    let challenge: SignInChallenge;
    try {
      challenge = await plugin.startSignIn(
        await this.destinations.ref(destination),
        this.sink(id, startedAt, destination.config),
      );
    } catch (error) {
      const failure = fromPluginError(error, 'Starting the sign-in');
      await this.setIfCurrent(id, startedAt, {
        status: 'failed',
        startedAt,
        message: failure.message,
      });
      throw failure;
    }
    // The sink may already have finished (a fast sign-in); then its state stays.
    await this.setIfCurrent(id, startedAt, {
      status: 'pending',
      startedAt,
      userCode: challenge.userCode,
      verificationUri: challenge.verificationUri,
      expiresAt: challenge.expiresAt,
    });
    return { status: 'pending', ...challenge };
  }

  /** `config`: the destination as the sign-in began (its hosts are where it signs in). */
  private sink(id: string, startedAt: string, config: Record<string, unknown>): SignInSink {
    return {
      saveSecrets: async (secrets) => {
        if (!(await this.destinations.addSecrets(id, secrets, config))) {
          // The plugin then reports the sign-in as failed to store; the destination shows none.
          throw new Error(
            'the server or sign-in host of the destination changed during the sign-in: sign in again',
          );
        }
      },
      saveAccount: async (account) => {
        await this.setState(id, {
          status: 'signed-in',
          startedAt,
          user: {
            username: account.username,
            ...(account.name ? { name: account.name } : {}),
            ...(account.tenantId ? { tenantId: account.tenantId } : {}),
          },
          signedInAt: this.clock.iso(),
        });
        this.logger.log(`Destination ${id}: signed in as ${account.username}.`);
      },
      fail: async (message) => {
        await this.setState(id, { status: 'failed', startedAt, message });
      },
    };
  }

  private async setState(id: string, state: SignInState): Promise<void> {
    await this.repo.update({ id }, { signIn: state });
  }

  /** Writes the state only while the sign-in that began at `startedAt` is still pending. */
  private async setIfCurrent(id: string, startedAt: string, state: SignInState): Promise<void> {
    const current = await this.repo.findOneBy({ id });
    if (current?.signIn?.status === 'pending' && current.signIn.startedAt === startedAt) {
      await this.setState(id, state);
    }
  }
}
