/**
 * Stock per product and warehouse, moved by the generated sales and restocked returns, replenished
 * by a reorder-point policy on an exponentially smoothed demand rate. Produces the inventory
 * snapshots. "Consistent-ish": a sale larger than the stock empties it (the rest is treated as
 * shipped from elsewhere), so on-hand never goes negative.
 *
 * Deliberate patterns for the restock engine: unreliable suppliers (late deliveries → stock-outs),
 * suppliers that stop delivering near the end (out of stock on the end date), discontinued
 * products that keep stock with no sales (dead stock), and open purchase orders (onOrder > 0).
 */
import { isoDay } from './calendar';
import { costOn, type Catalog, type Product } from './catalog';
import type { Customer } from './customers';
import { formatHalalas } from './money';
import type { Rng } from './rng';
import type { InventoryRecord } from './types';

interface Cell {
  warehouse: number;
  onHand: number;
  onOrder: number;
  arrival: number;
  /** Moving average unit cost, halalas. */
  avgCost: number;
  /** Smoothed daily units. */
  rate: number;
  unitsSinceSnapshot: number;
  deadStockFilled: boolean;
}

export class Inventory {
  /** cells[product.index][warehouse], null where the product is not stocked. */
  private readonly cells: (Cell | null)[][];
  private lastSnapshot: number;

  constructor(
    private readonly rng: Rng,
    private readonly catalog: Catalog,
    private readonly warehouses: readonly string[],
    private readonly startDay: number,
    endDay: number,
    customers: readonly Customer[],
  ) {
    this.lastSnapshot = startDay - 1;
    // Prior demand rate: customers' expected units per warehouse, spread over the catalogue by popularity.
    const units = warehouses.map(() => 0);
    for (const c of customers) units[c.warehouse]! += c.expectedUnits;
    const days = Math.max(1, endDay - startDay + 1);
    const cumulative = catalog.cumulative;
    const totalWeight = cumulative[cumulative.length - 1] ?? 1;
    this.cells = catalog.products.map(() => []);
    catalog.goods.forEach((p, g) => {
      const share = ((cumulative[g] ?? 0) - (cumulative[g - 1] ?? 0)) / totalWeight;
      const row: (Cell | null)[] = warehouses.map((_, w) =>
        w === 0 || rng.chance(0.7) ? this.newCell(w) : null,
      );
      row.forEach((cell, w) => {
        const rate = (share * (units[w] ?? 0)) / days;
        const target = cell ?? row[0];
        if (target) target.rate += rate;
      });
      for (const cell of row) if (cell) this.openStock(p, cell);
      this.cells[p.index] = row;
    });
  }

  private newCell(warehouse: number): Cell {
    return {
      warehouse,
      onHand: 0,
      onOrder: 0,
      arrival: 0,
      avgCost: 0,
      rate: 0,
      unitsSinceSnapshot: 0,
      deadStockFilled: false,
    };
  }

  private roundToPack(p: Product, qty: number): number {
    return Math.max(p.minOrderQty, Math.ceil(qty / p.packSize) * p.packSize);
  }

  private openStock(p: Product, cell: Cell): void {
    cell.avgCost = costOn(p, this.startDay, this.startDay);
    const stock = this.rng.chance(0.03)
      ? 0
      : Math.ceil((cell.rate * this.rng.uniform(25, 75)) / p.packSize) * p.packSize;
    if (p.launchDay <= this.startDay) {
      cell.onHand = stock;
    } else {
      cell.onOrder = this.roundToPack(p, cell.rate * 45);
      cell.arrival = p.launchDay;
    }
  }

  /** The warehouse that serves a customer for a product: their own when it stocks it, else main. */
  private cellFor(p: Product, warehouse: number): Cell | null {
    const row = this.cells[p.index];
    return row?.[warehouse] ?? row?.[0] ?? null;
  }

  private receive(p: Product, cell: Cell, day: number): void {
    if (cell.onOrder <= 0 || cell.arrival > day) return;
    const cost = costOn(p, cell.arrival, this.startDay) * this.rng.uniform(0.97, 1.03);
    const units = cell.onHand + cell.onOrder;
    cell.avgCost = Math.round((cell.onHand * cell.avgCost + cell.onOrder * cost) / units);
    cell.onHand = units;
    cell.onOrder = 0;
  }

  private reorder(p: Product, cell: Cell, day: number): void {
    if (cell.onOrder > 0 || day < p.launchDay || day >= p.discontinueDay || day >= p.noSupplyFrom) return;
    const safetyDays = 7 + p.leadTime * 0.3;
    if (cell.onHand > cell.rate * (p.leadTime + safetyDays)) return;
    cell.onOrder = this.roundToPack(p, cell.rate * (p.leadTime + safetyDays + 30) - cell.onHand);
    const delay = p.unreliable ? this.rng.uniform(1.5, 3) : this.rng.uniform(0.8, 1.3);
    cell.arrival = day + Math.max(1, Math.round(p.leadTime * delay));
  }

  /** Current average cost where the customer is served, null when the cost is unknown. */
  costOf(p: Product, warehouse: number): number | null {
    if (!p.costKnown || p.isService) return null;
    const cell = this.cellFor(p, warehouse);
    return cell ? cell.avgCost : null;
  }

  /** Takes sold units out of stock; returns the warehouse they came from (-1 for services). */
  sell(p: Product, warehouse: number, qty: number, day: number): number {
    const cell = p.isService ? null : this.cellFor(p, warehouse);
    if (!cell) return -1;
    this.receive(p, cell, day);
    cell.onHand = Math.max(0, cell.onHand - qty);
    cell.unitsSinceSnapshot += qty;
    this.reorder(p, cell, day);
    return cell.warehouse;
  }

  /** Puts returned units back into the warehouse they were sold from. */
  putBack(p: Product, warehouse: number, qty: number, day: number): void {
    const cell = warehouse < 0 ? null : (this.cells[p.index]?.[warehouse] ?? null);
    if (!cell) return;
    this.receive(p, cell, day);
    cell.onHand += qty;
    cell.unitsSinceSnapshot = Math.max(0, cell.unitsSinceSnapshot - qty);
  }

  /** One snapshot per launched product and stocking warehouse, dated `day`. */
  snapshot(day: number): InventoryRecord[] {
    const out: InventoryRecord[] = [];
    const asOf = isoDay(day);
    const days = Math.max(1, day - this.lastSnapshot);
    this.lastSnapshot = day;
    for (const p of this.catalog.goods) {
      const row = this.cells[p.index] ?? [];
      for (const cell of row) {
        if (!cell) continue;
        this.receive(p, cell, day);
        cell.rate = 0.5 * cell.rate + (0.5 * cell.unitsSinceSnapshot) / days;
        cell.unitsSinceSnapshot = 0;
        if (day >= p.discontinueDay && !cell.deadStockFilled) {
          // The last order arrives after demand has gone: stock with no sales.
          cell.deadStockFilled = true;
          if (cell.onHand + cell.onOrder === 0) {
            cell.onOrder = this.roundToPack(p, Math.max(cell.rate, 0.2) * 45);
            cell.arrival = day + this.rng.int(3, 20);
          }
        }
        this.reorder(p, cell, day);
        if (day < p.launchDay) continue;
        out.push({
          productId: p.id,
          warehouseId: this.warehouses[cell.warehouse] ?? 'main',
          asOf,
          onHand: String(cell.onHand),
          onOrder: String(cell.onOrder),
          ...(p.costKnown ? { unitCost: formatHalalas(cell.avgCost) } : {}),
        });
      }
    }
    return out;
  }
}
