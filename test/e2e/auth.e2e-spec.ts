import { createHash, randomUUID } from 'node:crypto';
import { importThreeCustomers } from '../support/three-customers';
import { ADMIN_TOKEN, bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * User accounts and sessions (ADR 0015): login, the cookie, CSRF, roles, expiry, throttling, tenant
 * isolation for sessions, and user management by the operator and by the tenant's admins. Emails are
 * unique across tenants (and the e2e files share one database on PostgreSQL): each run's carry a
 * random suffix. Each test logs in from its own client address (X-Forwarded-For, TRUST_PROXY=1) so
 * the per-address throttle of one test does not reach another.
 */
const RUN = randomUUID().slice(0, 8);
const PASSWORD = 'correct horse battery staple';
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

let addressCounter = 0;
const newAddress = () => `198.51.100.${++addressCounter}`;

interface Session {
  cookie: string;
  csrf: string;
  body: Record<string, unknown>;
  setCookie: string;
}

describe('users and sessions', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  let emailCounter = 0;
  const email = (who: string) => `${who}-${++emailCounter}-${RUN}@example.test`;

  beforeAll(async () => {
    t = await bootApp({ TRUST_PROXY: '1' });
    a = await createTenant(t, { name: 'Tenant A of auth' });
    b = await createTenant(t, { name: 'Tenant B of auth' });
    await importThreeCustomers(t, a);
    await importBatch(t, b, 'customers', [{ externalId: 'B-ONLY', name: 'Only in B' }]).expect(200);
  });
  afterAll(() => t.close());

  async function createUser(tenant: TestTenant, role: 'admin' | 'viewer', who: string = role) {
    const address = email(who);
    const res = await t.http
      .post(`/v1/admin/tenants/${tenant.id}/users`)
      .set(admin)
      .send({ email: address, password: PASSWORD, role, name: `${who} of ${tenant.id.slice(0, 4)}` })
      .expect(201);
    return { id: res.body.id as string, email: address };
  }

  function loginRequest(emailAddress: string, password: string, from: string) {
    return t.http.post('/v1/auth/login').set('X-Forwarded-For', from).send({ email: emailAddress, password });
  }

  async function login(emailAddress: string, password = PASSWORD, from = newAddress()): Promise<Session> {
    const res = await loginRequest(emailAddress, password, from).expect(200);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!;
    return {
      cookie: setCookie.split(';')[0]!,
      csrf: res.body.csrfToken as string,
      body: res.body,
      setCookie,
    };
  }

  describe('login', () => {
    it('answers the user, role, tenant and CSRF token, and sets an HttpOnly SameSite=Lax cookie', async () => {
      const user = await createUser(a, 'admin');
      const s = await login(user.email.toUpperCase());
      expect(s.body).toEqual({
        user: { id: user.id, email: user.email, name: expect.any(String), role: 'admin', locale: null },
        role: 'admin',
        tenant: { id: a.id, name: 'Tenant A of auth', currency: 'SAR', timezone: 'Asia/Riyadh' },
        csrfToken: expect.stringMatching(/^[\w-]{40,}$/),
      });
      expect(s.setCookie).toMatch(/^harakah_session=[\w-]{40,}; /);
      const attributes = s.setCookie
        .split(';')
        .slice(1)
        .map((x) => x.trim());
      expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/']));
      expect(attributes).not.toContain('Secure');
      // the session is stored under the SHA-256 of the token, never the token itself
      const token = s.cookie.split('=')[1]!;
      const rows = await t.sql<{ id: string; tenant_id: string; user_id: string }>(
        `SELECT id, tenant_id, user_id FROM sessions WHERE user_id = $1`,
        [user.id],
      );
      expect(rows).toEqual([
        { id: createHash('sha256').update(token).digest('hex'), tenant_id: a.id, user_id: user.id },
      ]);
      const [u] = await t.sql<{ last_login_at: unknown }>(`SELECT last_login_at FROM users WHERE id = $1`, [
        user.id,
      ]);
      expect(u!.last_login_at).not.toBeNull();
    });

    it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
      const user = await createUser(a, 'viewer');
      const res = await loginRequest(user.email, PASSWORD, newAddress())
        .set('X-Forwarded-Proto', 'https')
        .expect(200);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!;
      expect(cookie.split(';').map((x) => x.trim())).toEqual(
        expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', 'Secure']),
      );
    });

    it('gives a wrong password, an unknown email and a disabled user the same 401', async () => {
      const user = await createUser(a, 'viewer');
      const disabled = await createUser(a, 'viewer', 'disabled');
      await t.http
        .patch(`/v1/admin/tenants/${a.id}/users/${disabled.id}`)
        .set(admin)
        .send({ disabled: true })
        .expect(200);
      const answers = [];
      for (const [who, password] of [
        [user.email, 'not the right password'],
        [email('nobody'), PASSWORD],
        [disabled.email, PASSWORD],
      ] as const) {
        const res = await loginRequest(who, password, newAddress()).expect(401);
        expect(res.headers['set-cookie']).toBeUndefined();
        const { requestId: _id, ...body } = res.body as Record<string, unknown>;
        answers.push(body);
      }
      expect(answers).toEqual([
        { error: 'invalid_credentials', message: 'the email or password is not correct' },
        { error: 'invalid_credentials', message: 'the email or password is not correct' },
        { error: 'invalid_credentials', message: 'the email or password is not correct' },
      ]);
    });

    it('refuses a body of the wrong shape with 422 naming the fields', async () => {
      const res = await t.http
        .post('/v1/auth/login')
        .set('X-Forwarded-For', newAddress())
        .send({ email: 'not an email', password: 7, extra: 1 })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'email',
        'extra',
        'password',
        'password',
      ]);
    });

    it('answers 403 tenant_suspended for a user of a suspended tenant, and refuses its sessions', async () => {
      const c = await createTenant(t, { name: 'Suspended one' });
      const user = await createUser(c, 'admin');
      const s = await login(user.email);
      await t.http.post(`/v1/admin/tenants/${c.id}/suspend`).set(admin).expect(200);
      const res = await loginRequest(user.email, PASSWORD, newAddress()).expect(403);
      expect(res.body.error).toBe('tenant_suspended');
      expect((await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(403)).body.error).toBe(
        'tenant_suspended',
      );
      await t.http.post(`/v1/admin/tenants/${c.id}/resume`).set(admin).expect(200);
      await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(200);
    });
  });

  describe('the session', () => {
    it('GET /v1/auth/me answers the same as login; an API key is an admin without a user; nothing is a 401', async () => {
      const user = await createUser(a, 'admin');
      const s = await login(user.email);
      const me = await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(200);
      expect(me.body).toEqual(s.body);
      const key = await t.http.get('/v1/auth/me').set(a.auth).expect(200);
      expect(key.body).toEqual({ user: null, role: 'admin', tenant: s.body.tenant, csrfToken: null });
      const none = await t.http.get('/v1/auth/me').expect(401);
      expect(none.body.error).toBe('unauthorized');
      await t.http
        .get('/v1/auth/me')
        .set('Cookie', 'harakah_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
        .expect(401);
    });

    it('logout needs the CSRF token, ends the session at once and clears the cookie; again is a 204', async () => {
      const user = await createUser(a, 'viewer');
      const s = await login(user.email);
      const refused = await t.http.post('/v1/auth/logout').set('Cookie', s.cookie).expect(403);
      expect(refused.body.error).toBe('csrf_required');
      await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(200);
      const out = await t.http
        .post('/v1/auth/logout')
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.csrf)
        .expect(204);
      const cleared = ([] as string[]).concat(out.headers['set-cookie'] ?? [])[0]!;
      expect(cleared).toMatch(/^harakah_session=; /);
      expect(cleared).toMatch(/Max-Age=0/);
      await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(401);
      await t.http.get('/v1/customers').set('Cookie', s.cookie).expect(401);
      await t.http.post('/v1/auth/logout').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).expect(204);
      await t.http.post('/v1/auth/logout').expect(204);
      expect(await t.sql(`SELECT 1 FROM sessions WHERE user_id = $1`, [user.id])).toEqual([]);
    });

    it('ends after the idle time and at the absolute expiry, and deletes the expired row', async () => {
      const user = await createUser(a, 'viewer');
      const idle = await login(user.email);
      const absolute = await login(user.email);
      const idOf = (s: Session) => createHash('sha256').update(s.cookie.split('=')[1]!).digest('hex');
      // idle: 60 minutes by default
      await t.sql(`UPDATE sessions SET last_seen_at = now() - interval '59 minutes' WHERE id = $1`, [
        idOf(idle),
      ]);
      await t.http.get('/v1/auth/me').set('Cookie', idle.cookie).expect(200);
      await t.sql(`UPDATE sessions SET last_seen_at = now() - interval '61 minutes' WHERE id = $1`, [
        idOf(idle),
      ]);
      await t.http.get('/v1/auth/me').set('Cookie', idle.cookie).expect(401);
      // absolute: however recently it was used
      await t.sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        idOf(absolute),
      ]);
      await t.http.get('/v1/auth/me').set('Cookie', absolute.cookie).expect(401);
      expect(await t.sql(`SELECT id FROM sessions WHERE user_id = $1`, [user.id])).toEqual([]);
    });

    it('starts with an absolute expiry SESSION_MAX_HOURS after login and writes last_seen_at at most once a minute', async () => {
      const user = await createUser(a, 'viewer');
      const s = await login(user.email);
      const [row] = await t.sql<{ hours: number }>(
        `SELECT round(extract(epoch FROM expires_at - created_at) / 3600) AS hours FROM sessions WHERE user_id = $1`,
        [user.id],
      );
      expect(Number(row!.hours)).toBe(12);
      const seen = async () =>
        (
          await t.sql<{ s: string }>(`SELECT last_seen_at::text AS s FROM sessions WHERE user_id = $1`, [
            user.id,
          ])
        )[0]!.s;
      await t.sql(`UPDATE sessions SET last_seen_at = now() - interval '30 seconds' WHERE user_id = $1`, [
        user.id,
      ]);
      const before = await seen();
      await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(200);
      expect(await seen()).toBe(before);
      await t.sql(`UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE user_id = $1`, [
        user.id,
      ]);
      const old = await seen();
      await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(200);
      expect(new Date(await seen()).getTime()).toBeGreaterThan(new Date(old).getTime() + 60_000);
    });

    it('counts a session as its own rate-limit key', async () => {
      const user = await createUser(a, 'viewer');
      const s = await login(user.email);
      const res = await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(200);
      expect(res.headers['ratelimit-policy']).toMatch(/^"key";q=\d+;w=60$/);
    });
  });

  describe('CSRF and roles', () => {
    it('an admin session changes settings only with the right X-CSRF-Token; without it nothing changes', async () => {
      const user = await createUser(a, 'admin');
      const s = await login(user.email);
      const before = (await t.http.get('/v1/settings').set('Cookie', s.cookie).expect(200)).body;
      for (const token of [undefined, 'wrong', `${s.csrf}x`]) {
        let req = t.http.put('/v1/settings').set('Cookie', s.cookie);
        if (token) req = req.set('X-CSRF-Token', token);
        const res = await req.send({ newDays: before.newDays + 1 }).expect(403);
        expect(res.body.error).toBe('csrf_required');
      }
      expect((await t.http.get('/v1/settings').set(a.auth).expect(200)).body).toEqual(before);
      const ok = await t.http
        .put('/v1/settings')
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.csrf)
        .send({ newDays: before.newDays + 1 })
        .expect(200);
      expect(ok.body.newDays).toBe(before.newDays + 1);
      // an API key needs no CSRF header
      await t.http.put('/v1/settings').set(a.auth).send({ newDays: before.newDays }).expect(200);
    });

    it('an admin session imports with its CSRF token, recorded without an API key', async () => {
      const user = await createUser(a, 'admin');
      const s = await login(user.email);
      const batch = JSON.stringify([{ externalId: `S-${RUN}`, name: 'Imported by a person' }]);
      await t.http
        .post('/v1/import/customers')
        .set('Cookie', s.cookie)
        .set('Content-Type', 'application/json')
        .send(batch)
        .expect(403);
      const res = await t.http
        .post('/v1/import/customers')
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.csrf)
        .set('Content-Type', 'application/json')
        .send(batch)
        .expect(200);
      expect(res.body).toMatchObject({ received: 1, created: 1 });
      const runs = await t.http.get('/v1/import/runs').set('Cookie', s.cookie).expect(200);
      expect(runs.body.data[0]).toMatchObject({ apiKeyId: null });
      await t.http.get(`/v1/customers/S-${RUN}`).set(a.auth).expect(200);
    });

    it('a viewer reads everything of the tenant and changes nothing (403), but may set their own locale', async () => {
      const user = await createUser(a, 'viewer');
      const s = await login(user.email);
      const as = (req: ReturnType<typeof t.http.get>) =>
        req.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
      await as(t.http.get('/v1/settings')).expect(200);
      const customers = await as(t.http.get('/v1/customers?asOf=2024-06-30')).expect(200);
      expect(customers.body.data.map((c: { customerId: string }) => c.customerId)).toEqual(
        expect.arrayContaining(['A', 'B', 'C']),
      );
      await as(t.http.get('/v1/users')).expect(200);
      const counts = await t.sql(`SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1`, [a.id]);
      const refused = [
        await as(t.http.put('/v1/settings')).send({ newDays: 30 }),
        await as(t.http.post('/v1/import/customers'))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify([{ externalId: 'V1', name: 'By a viewer' }])),
        await as(t.http.post('/v1/reports/schedules')).send({ type: 'churn-risk', cron: '0 8 * * 1' }),
        await as(t.http.post('/v1/analytics/recompute')).send({ asOf: '2024-06-30' }),
        await as(t.http.post('/v1/users')).send({
          email: email('x'),
          password: PASSWORD,
          role: 'admin',
          name: 'X',
        }),
      ];
      for (const res of refused) {
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({
          error: 'forbidden',
          message: 'viewers can read but not change anything',
        });
      }
      expect(await t.sql(`SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1`, [a.id])).toEqual(
        counts,
      );
      expect(await t.sql(`SELECT 1 FROM report_schedules WHERE tenant_id = $1`, [a.id])).toEqual([]);
      const me = await as(t.http.patch('/v1/auth/me')).send({ locale: 'ar' }).expect(200);
      expect(me.body.user.locale).toBe('ar');
      expect(me.body.role).toBe('viewer');
      // the CSRF rule holds for the viewer's own preferences too
      await t.http.patch('/v1/auth/me').set('Cookie', s.cookie).send({ locale: 'en' }).expect(403);
      await as(t.http.post('/v1/auth/logout')).expect(204);
    });
  });

  describe('throttling', () => {
    it(`answers 429 with Retry-After after 5 refused logins for an account, even for the right password`, async () => {
      const user = await createUser(a, 'viewer');
      for (let i = 0; i < 5; i++)
        await loginRequest(user.email, `wrong password ${i}`, newAddress()).expect(401);
      const blocked = await loginRequest(user.email, PASSWORD, newAddress()).expect(429);
      expect(blocked.body.error).toBe('too_many_requests');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
      // the same email in other letters is the same account
      await loginRequest(user.email.toUpperCase(), PASSWORD, newAddress()).expect(429);
      // once the failures are older than the window, the right password works again
      await t.sql(`UPDATE login_failures SET failed_at = now() - interval '16 minutes' WHERE email = $1`, [
        user.email.toLowerCase(),
      ]);
      await login(user.email);
    });

    it('throttles an unknown email exactly like a known one', async () => {
      const nobody = email('nobody');
      for (let i = 0; i < 5; i++) await loginRequest(nobody, PASSWORD, newAddress()).expect(401);
      await loginRequest(nobody, PASSWORD, newAddress()).expect(429);
    });

    it('answers 429 after 20 refused logins from one address, for any account', async () => {
      const user = await createUser(a, 'viewer');
      const from = newAddress();
      for (let i = 0; i < 20; i++) await loginRequest(email('guess'), PASSWORD, from).expect(401);
      const blocked = await loginRequest(user.email, PASSWORD, from).expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // the account itself is not blocked from another address
      await login(user.email, PASSWORD, newAddress());
    });
  });

  describe('tenant isolation', () => {
    it("a session of tenant A never sees tenant B's customers", async () => {
      const user = await createUser(a, 'admin');
      const s = await login(user.email);
      await t.http.get('/v1/customers/A').set('Cookie', s.cookie).expect(200);
      const res = await t.http.get('/v1/customers/B-ONLY').set('Cookie', s.cookie).expect(404);
      expect(JSON.stringify(res.body)).not.toContain('Only in B');
      const list = await t.http
        .get('/v1/customers?asOf=2024-06-30&limit=100')
        .set('Cookie', s.cookie)
        .expect(200);
      expect(list.body.data.map((c: { customerId: string }) => c.customerId)).not.toContain('B-ONLY');
      const users = await t.http.get('/v1/users').set('Cookie', s.cookie).expect(200);
      expect(users.body.every((u: { email: string }) => !u.email.includes('-b-'))).toBe(true);
      const bUser = await createUser(b, 'viewer', 'in-b');
      await t.http
        .patch(`/v1/users/${bUser.id}`)
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.csrf)
        .send({ name: 'hijacked' })
        .expect(404);
      await t.http
        .delete(`/v1/users/${bUser.id}`)
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.csrf)
        .expect(404);
      const [still] = await t.sql<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [bUser.id]);
      expect(still!.name).not.toBe('hijacked');
    });
  });

  describe('user management by the operator', () => {
    it('creates, lists, changes and deletes users; never answers a hash', async () => {
      const address = email('managed');
      const created = await t.http
        .post(`/v1/admin/tenants/${a.id}/users`)
        .set(admin)
        .send({ email: address, password: PASSWORD, role: 'viewer', name: 'Managed One' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        email: address,
        name: 'Managed One',
        role: 'viewer',
        locale: null,
        disabled: false,
        disabledAt: null,
        createdAt: expect.any(String),
        lastLoginAt: null,
      });
      const list = await t.http.get(`/v1/admin/tenants/${a.id}/users`).set(admin).expect(200);
      expect(list.body.map((u: { id: string }) => u.id)).toContain(created.body.id);
      expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/);
      const [row] = await t.sql<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [
        created.body.id,
      ]);
      expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      const changed = await t.http
        .patch(`/v1/admin/tenants/${a.id}/users/${created.body.id}`)
        .set(admin)
        .send({ role: 'admin', name: 'Managed Two' })
        .expect(200);
      expect(changed.body).toMatchObject({ role: 'admin', name: 'Managed Two' });
      await t.http.delete(`/v1/admin/tenants/${a.id}/users/${created.body.id}`).set(admin).expect(204);
      await t.http.delete(`/v1/admin/tenants/${a.id}/users/${created.body.id}`).set(admin).expect(404);
      await loginRequest(address, PASSWORD, newAddress()).expect(401);
    });

    it('refuses a short password (422), a taken email in any tenant or case (409), an unknown tenant (404)', async () => {
      const short = await t.http
        .post(`/v1/admin/tenants/${a.id}/users`)
        .set(admin)
        .send({ email: email('short'), password: 'elevenchars', role: 'viewer', name: 'S' })
        .expect(422);
      expect(short.body.errors).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
      const bad = await t.http
        .post(`/v1/admin/tenants/${a.id}/users`)
        .set(admin)
        .send({ email: 'nope', password: PASSWORD, role: 'owner', name: '' })
        .expect(422);
      expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
        'email',
        'name',
        'role',
      ]);
      const blank = await t.http
        .post(`/v1/admin/tenants/${a.id}/users`)
        .set(admin)
        .send({ email: email('blank'), password: PASSWORD, role: 'viewer', name: '   ' })
        .expect(422);
      expect(blank.body.errors).toEqual([{ field: 'name', message: 'name must not be blank' }]);
      const taken = await createUser(a, 'viewer', 'taken');
      for (const tenant of [a, b]) {
        const res = await t.http
          .post(`/v1/admin/tenants/${tenant.id}/users`)
          .set(admin)
          .send({ email: taken.email.toUpperCase(), password: PASSWORD, role: 'viewer', name: 'Dup' })
          .expect(409);
        expect(res.body.error).toBe('email_taken');
      }
      const unknown = randomUUID();
      await t.http
        .post(`/v1/admin/tenants/${unknown}/users`)
        .set(admin)
        .send({ email: email('lost'), password: PASSWORD, role: 'viewer', name: 'L' })
        .expect(404);
      await t.http.get(`/v1/admin/tenants/${unknown}/users`).set(admin).expect(404);
      // a user of tenant A through tenant B's path
      await t.http
        .patch(`/v1/admin/tenants/${b.id}/users/${taken.id}`)
        .set(admin)
        .send({ name: 'x' })
        .expect(404);
      await t.http.delete(`/v1/admin/tenants/${b.id}/users/${taken.id}`).set(admin).expect(404);
      const res = await t.http.post(`/v1/admin/tenants/${a.id}/users`).send({}).expect(401);
      expect(res.body.error).toBe('unauthorized');
    });

    it('disabling, a new password and deleting each end the user’s sessions at once', async () => {
      for (const change of [{ disabled: true }, { password: 'a brand new password' }, null]) {
        const user = await createUser(a, 'admin');
        const s = await login(user.email);
        if (change) {
          await t.http
            .patch(`/v1/admin/tenants/${a.id}/users/${user.id}`)
            .set(admin)
            .send(change)
            .expect(200);
        } else {
          await t.http.delete(`/v1/admin/tenants/${a.id}/users/${user.id}`).set(admin).expect(204);
        }
        await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(401);
        expect(await t.sql(`SELECT 1 FROM sessions WHERE user_id = $1`, [user.id])).toEqual([]);
        if (change && 'password' in change) {
          await loginRequest(user.email, PASSWORD, newAddress()).expect(401);
          await login(user.email, change.password);
        }
        if (change && 'disabled' in change) {
          await t.http
            .patch(`/v1/admin/tenants/${a.id}/users/${user.id}`)
            .set(admin)
            .send({ disabled: false })
            .expect(200);
          await login(user.email);
        }
      }
    });

    it('deleting a tenant deletes its users and sessions', async () => {
      const c = await createTenant(t, { name: 'Short-lived' });
      const user = await createUser(c, 'admin');
      const s = await login(user.email);
      const res = await t.http.delete(`/v1/admin/tenants/${c.id}`).set(admin).expect(200);
      expect(res.body.deletedRows).toMatchObject({ users: 1, sessions: 1 });
      await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(401);
      expect(await t.sql(`SELECT 1 FROM users WHERE tenant_id = $1`, [c.id])).toEqual([]);
    });
  });

  describe("the tenant's own users", () => {
    it('admins (sessions or API keys) manage users; viewers list them only; the last admin stays', async () => {
      const c = await createTenant(t, { name: 'Self-managed' });
      const first = await createUser(c, 'admin', 'first');
      const s = await login(first.email);
      const as = <R extends { set: (k: string, v: string) => R }>(req: R) =>
        req.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
      const viewerEmail = email('their-viewer');
      const created = await as(t.http.post('/v1/users'))
        .send({ email: viewerEmail, password: PASSWORD, role: 'viewer', name: 'Their viewer' })
        .expect(201);
      const short = await as(t.http.post('/v1/users'))
        .send({ email: email('short'), password: 'short', role: 'viewer', name: 'S' })
        .expect(422);
      expect(short.body.errors).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
      await as(t.http.post('/v1/users'))
        .send({ email: viewerEmail, password: PASSWORD, role: 'viewer', name: 'Again' })
        .expect(409);
      const list = await t.http.get('/v1/users').set(c.auth).expect(200);
      expect(list.body.map((u: { email: string }) => u.email)).toEqual([first.email, viewerEmail]);
      // the viewer may list, not change
      const v = await login(viewerEmail);
      await t.http.get('/v1/users').set('Cookie', v.cookie).expect(200);
      await t.http
        .patch(`/v1/users/${first.id}`)
        .set('Cookie', v.cookie)
        .set('X-CSRF-Token', v.csrf)
        .send({ role: 'viewer' })
        .expect(403);
      // the last enabled admin cannot be demoted, disabled or deleted by the tenant
      for (const req of [
        as(t.http.patch(`/v1/users/${first.id}`)).send({ role: 'viewer' }),
        as(t.http.patch(`/v1/users/${first.id}`)).send({ disabled: true }),
        as(t.http.delete(`/v1/users/${first.id}`)),
      ]) {
        expect((await req).status).toBe(409);
      }
      // once there is another admin, it can
      await t.http.patch(`/v1/users/${created.body.id}`).set(c.auth).send({ role: 'admin' }).expect(200);
      const demoted = await as(t.http.patch(`/v1/users/${first.id}`))
        .send({ role: 'viewer' })
        .expect(200);
      expect(demoted.body.role).toBe('viewer');
      await t.http.delete(`/v1/users/${first.id}`).set(c.auth).expect(204);
      await t.http.get('/v1/auth/me').set('Cookie', s.cookie).expect(401);
    });

    it('changing your own password needs the current one and ends your other sessions', async () => {
      const user = await createUser(a, 'viewer');
      const here = await login(user.email);
      const elsewhere = await login(user.email);
      const as = <R extends { set: (k: string, v: string) => R }>(req: R) =>
        req.set('Cookie', here.cookie).set('X-CSRF-Token', here.csrf);
      const missing = await as(t.http.patch('/v1/auth/me'))
        .send({ newPassword: 'my new password!' })
        .expect(422);
      expect(missing.body.errors).toEqual([
        { field: 'currentPassword', message: 'is required to change the password' },
      ]);
      const wrong = await as(t.http.patch('/v1/auth/me'))
        .send({ currentPassword: 'not it at all', newPassword: 'my new password!' })
        .expect(422);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: 'is not correct' }]);
      const short = await as(t.http.patch('/v1/auth/me'))
        .send({ currentPassword: PASSWORD, newPassword: 'short' })
        .expect(422);
      expect(short.body.errors).toEqual([
        { field: 'newPassword', message: 'must be at least 12 characters' },
      ]);
      await as(t.http.patch('/v1/auth/me')).send({ locale: 'fr' }).expect(422);
      const ok = await as(t.http.patch('/v1/auth/me'))
        .send({ currentPassword: PASSWORD, newPassword: 'my new password!', name: 'Renamed' })
        .expect(200);
      expect(ok.body.user).toMatchObject({ id: user.id, name: 'Renamed' });
      await t.http.get('/v1/auth/me').set('Cookie', here.cookie).expect(200);
      await t.http.get('/v1/auth/me').set('Cookie', elsewhere.cookie).expect(401);
      await login(user.email, 'my new password!');
      // an API key has no user to change
      await t.http.patch('/v1/auth/me').set(a.auth).send({ locale: 'ar' }).expect(403);
    });
  });
});
