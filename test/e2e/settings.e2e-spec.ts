import { bootApp, createTenant, TestApp } from '../support/app';

describe('tenant settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  it('starts from the DOMAIN.md defaults', async () => {
    const tenant = await createTenant(t);
    const res = await t.http.get('/v1/settings').set(tenant.auth).expect(200);
    expect(res.body).toEqual({
      rfmWindowDays: null,
      newDays: 90,
      lapseDays: 180,
      pAliveThreshold: 0.3,
      paymentTermsDays: 30,
      annualCreditRate: '0',
      serviceLevel: 0.95,
      coverDays: 30,
      restockWindowDays: 90,
      leadTimeDays: 14,
    });
  });

  it('changes only the keys sent, per tenant', async () => {
    const a = await createTenant(t);
    const b = await createTenant(t);
    const res = await t.http
      .put('/v1/settings')
      .set(a.auth)
      .send({ paymentTermsDays: 45, annualCreditRate: '0.12' })
      .expect(200);
    expect(res.body).toMatchObject({ paymentTermsDays: 45, annualCreditRate: '0.12', newDays: 90 });
    await t.http.put('/v1/settings').set(a.auth).send({ coverDays: 10 }).expect(200);
    expect((await t.http.get('/v1/settings').set(a.auth)).body).toMatchObject({
      paymentTermsDays: 45,
      coverDays: 10,
    });
    expect((await t.http.get('/v1/settings').set(b.auth)).body).toMatchObject({
      paymentTermsDays: 30,
      coverDays: 30,
    });
  });

  it('refuses out-of-range and unknown settings with the field named', async () => {
    const tenant = await createTenant(t);
    const res = await t.http
      .put('/v1/settings')
      .set(tenant.auth)
      .send({ serviceLevel: 1.5, annualCreditRate: 'twelve', colour: 'red' })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'annualCreditRate',
      'colour',
      'serviceLevel',
    ]);
  });
});
