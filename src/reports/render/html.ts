import { Cell, Label, ReportDocument, pick } from '../report-types';

const UI = {
  asOf: { en: 'As of', ar: 'بتاريخ' },
  generated: { en: 'Generated', ar: 'أُنشئ في' },
  currency: { en: 'Currency', ar: 'العملة' },
  summary: { en: 'Summary', ar: 'الملخص' },
  details: { en: 'Details', ar: 'التفاصيل' },
  empty: { en: 'Nothing to report.', ar: 'لا يوجد ما يُبلّغ عنه.' },
  none: { en: 'None', ar: 'لا أحد' },
} satisfies Record<string, Label>;

const STYLE = [
  "body{font-family:system-ui,'Segoe UI','Noto Naskh Arabic',Tahoma,sans-serif;margin:24px;color:#222}",
  'table{border-collapse:collapse;width:100%}',
  'th,td{border:1px solid #ccc;padding:4px 8px;text-align:start;vertical-align:top}',
  'th{background:#f3f3f3}',
  'td.num{text-align:end;white-space:nowrap}',
  'dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px}',
  'dt{font-weight:600}',
  '.meta{color:#555}',
].join('');

/**
 * A self-contained HTML page. language "ar": <html lang="ar" dir="rtl">, Arabic labels and headings;
 * every value sits in <bdi> so numbers, dates, e-mails and Latin names keep their own direction
 * inside right-to-left text. Everything from data is escaped.
 */
export function renderHtml(doc: ReportDocument): string {
  const l = (label: Label) => esc(pick(label, doc.language));
  const rtl = doc.language === 'ar';
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push(`<html lang="${doc.language}" dir="${rtl ? 'rtl' : 'ltr'}">`);
  out.push(`<head><meta charset="utf-8"><title>${l(doc.title)}</title><style>${STYLE}</style></head>`);
  out.push('<body>');
  out.push(`<h1>${l(doc.title)}</h1>`);
  out.push(
    `<p class="meta">${l(UI.asOf)}: <bdi>${esc(doc.asOf)}</bdi> · ${l(UI.generated)}: <bdi>${esc(doc.generatedAt)}</bdi>` +
      ` · ${l(UI.currency)}: <bdi>${esc(doc.currency)}</bdi></p>`,
  );
  out.push(`<h2>${l(UI.summary)}</h2>`);
  out.push('<dl>');
  for (const line of doc.summaryLines)
    out.push(`<dt>${l(line.label)}</dt><dd><bdi>${esc(line.value)}</bdi></dd>`);
  out.push('</dl>');
  for (const section of doc.sections) {
    out.push(`<h2>${l(section.title)}</h2>`);
    if (section.items.length === 0) out.push(`<p>${l(UI.none)}</p>`);
    else
      out.push(
        `<ul>${section.items.map((i) => `<li><bdi>${esc(i.name)}</bdi> (<bdi>${esc(i.id)}</bdi>)</li>`).join('')}</ul>`,
      );
  }
  out.push(`<h2>${l(UI.details)}</h2>`);
  if (doc.rows.length === 0) {
    out.push(`<p>${l(UI.empty)}</p>`);
  } else {
    out.push('<table>');
    out.push(`<thead><tr>${doc.columns.map((c) => `<th>${l(c.label)}</th>`).join('')}</tr></thead>`);
    out.push('<tbody>');
    for (const row of doc.rows) {
      const cells = doc.columns.map((c) => {
        const numeric = c.kind === 'money' || c.kind === 'number';
        const value = row[c.key] ?? null;
        const coded = typeof value === 'string' ? c.valueLabels?.[value] : undefined;
        return `<td${numeric ? ' class="num"' : ''}>${htmlCell(coded ? pick(coded, doc.language) : value)}</td>`;
      });
      out.push(`<tr>${cells.join('')}</tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('</body></html>');
  return out.join('\n') + '\n';
}

function htmlCell(cell: Cell): string {
  if (cell === null) return '';
  if (Array.isArray(cell)) return cell.map((c) => `<bdi>${esc(c)}</bdi>`).join('<br>');
  return `<bdi>${esc(String(cell))}</bdi>`;
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
