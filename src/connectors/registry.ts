import type { ConnectorFactory, ConnectorKind } from './adapter';
import { erpnextFactory } from './erpnext';
import { qoyodFactory } from './qoyod';

/**
 * The adapters this build knows, by kind. A kind of CONNECTOR_KINDS without a factory here answers
 * 422 "not available" when a connector of it is created. Adding a system = adding its line.
 */
export const CONNECTOR_FACTORIES: Partial<Record<ConnectorKind, ConnectorFactory>> = {
  qoyod: qoyodFactory,
  erpnext: erpnextFactory,
};

export function factoryFor(kind: string): ConnectorFactory | undefined {
  return Object.prototype.hasOwnProperty.call(CONNECTOR_FACTORIES, kind)
    ? CONNECTOR_FACTORIES[kind as ConnectorKind]
    : undefined;
}
