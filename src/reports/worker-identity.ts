import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Global, Module } from '@nestjs/common';

/** Who holds a lease: host, process and a random part (two apps in one process differ). */
export class WorkerIdentity {
  readonly name = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * One identity per app: report runs, deliveries and connector syncs lease their work under the same
 * name (a second instance of the provider in another module would make an app two workers).
 */
@Global()
@Module({ providers: [WorkerIdentity], exports: [WorkerIdentity] })
export class WorkerIdentityModule {}
