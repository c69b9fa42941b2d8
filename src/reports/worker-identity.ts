import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Who holds a lease: host, process and a random part (two apps in one process differ). */
export class WorkerIdentity {
  readonly name = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
