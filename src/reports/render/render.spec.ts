import { ReportDocument } from '../report-types';
import { renderCsv, renderJson } from './render';
import { renderHtml } from './html';

const doc = (over: Partial<ReportDocument> = {}): ReportDocument => ({
  type: 'churn-risk',
  title: { en: 'Customers at risk', ar: 'العملاء المعرضون للخطر' },
  language: 'en',
  asOf: '2025-01-05',
  generatedAt: '2025-01-05T06:00:01.000Z',
  currency: 'SAR',
  runId: 'run-1',
  scheduleId: 'sch-1',
  source: 'test',
  columns: [
    { key: 'customerId', label: { en: 'Customer', ar: 'العميل' }, kind: 'text' },
    { key: 'name', label: { en: 'Name', ar: 'الاسم' }, kind: 'text' },
    { key: 'value', label: { en: 'Value', ar: 'القيمة' }, kind: 'money' },
    {
      key: 'segment',
      label: { en: 'Segment', ar: 'الشريحة' },
      kind: 'text',
      valueLabels: { at_risk: { en: 'At risk', ar: 'معرضون للخطر' } },
    },
    { key: 'reasons', label: { en: 'Reasons', ar: 'الأسباب' }, kind: 'list' },
  ],
  rows: [
    { customerId: 'C1', name: 'Smith, "Bob" & Co', value: '-12.50', segment: 'at_risk', reasons: ['a', 'b'] },
    { customerId: 'C2', name: '=HYPERLINK("http://x")', value: '3.00', segment: 'at_risk', reasons: [] },
    { customerId: 'C3', name: '+966 50 123 4567', value: '0.00', segment: 'at_risk', reasons: null },
  ],
  summary: { customers: 3 },
  summaryLines: [{ label: { en: 'Customers', ar: 'العملاء' }, value: '3' }],
  sections: [{ key: 'new', title: { en: 'New', ar: 'جدد' }, items: [{ id: 'C1', name: '<script>' }] }],
  ...over,
});

describe('report renderers', () => {
  it('writes RFC 4180 CSV with quoting, CRLF and a formula guard for text only', () => {
    expect(renderCsv(doc())).toBe(
      'customerId,name,value,segment,reasons\r\n' +
        'C1,"Smith, ""Bob"" & Co",-12.50,at_risk,a; b\r\n' +
        `C2,"'=HYPERLINK(""http://x"")",3.00,at_risk,\r\n` +
        'C3,+966 50 123 4567,0.00,at_risk,\r\n',
    );
  });

  it('writes JSON with rows in column order', () => {
    const json = JSON.parse(renderJson(doc()));
    expect(Object.keys(json.rows[0])).toEqual(['customerId', 'name', 'value', 'segment', 'reasons']);
    expect(json.report).toMatchObject({ type: 'churn-risk', title: 'Customers at risk', asOf: '2025-01-05' });
  });

  it('escapes HTML and renders Arabic right-to-left with Arabic labels', () => {
    const ar = renderHtml(doc({ language: 'ar' }));
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain('<h1>العملاء المعرضون للخطر</h1>');
    expect(ar).toContain('<th>الشريحة</th>');
    expect(ar).toContain('<bdi>معرضون للخطر</bdi>');
    expect(ar).toContain('&#60;script&#62;');
    expect(ar).not.toContain('<script>');
    expect(ar).toContain('Smith, &#34;Bob&#34; &#38; Co');
    const en = renderHtml(doc());
    expect(en).toContain('<html lang="en" dir="ltr">');
    expect(en).toContain('<bdi>At risk</bdi>');
  });

  it('says so when there is nothing to report', () => {
    expect(renderHtml(doc({ rows: [], language: 'ar' }))).toContain('لا يوجد ما يُبلّغ عنه.');
    expect(renderCsv(doc({ rows: [] }))).toBe('customerId,name,value,segment,reasons\r\n');
  });
});
