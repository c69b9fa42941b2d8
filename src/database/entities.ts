import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Entities for the plain CRUD tables. Documents and analytics go through hand-written SQL. */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('text') timezone!: string;
  @Column('jsonb') settings!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text') prefix!: string;
  @Column('text', { name: 'key_hash' }) keyHash!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt!: Date | null;
}

export const ENTITIES = [TenantEntity, ApiKeyEntity];
