import { CreateCoreSchema1763800000000 } from './1763800000000-CreateCoreSchema';

/** Every migration, in order. Listed explicitly so the same list works from ts and from dist. */
export const MIGRATIONS = [CreateCoreSchema1763800000000];
