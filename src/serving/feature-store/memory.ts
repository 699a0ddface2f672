// The embedded feature store: an in-process Map filled by the seeded loader. Each scoring process holds
// its own copy (the stand-in when no Redis can be had; results say so).

import { entityFeatures, entityId } from './loader.js';

export class MemoryStore {
  readonly kind = 'memory' as const;
  private readonly rows = new Map<string, number[]>();

  constructor(seed: number, entities: number, featureCount: number) {
    for (let i = 0; i < entities; i++) this.rows.set(entityId(i), entityFeatures(seed, i, featureCount));
  }

  get size(): number {
    return this.rows.size;
  }

  /** The entity's features, or undefined for an unknown entity. Synchronous: it is a Map lookup. */
  get(entity: string): number[] | undefined {
    return this.rows.get(entity);
  }
}
