/**
 * The vocabulary of scheduled reports: types, formats, languages, statuses, and the report document
 * every content provider produces and every renderer consumes.
 */
export const REPORT_TYPES = ['churn-risk', 'receivables-aging', 'restock'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_LANGUAGES = ['en', 'ar'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** A label in both report languages. */
export interface Label {
  en: string;
  ar: string;
}

export type CellKind = 'text' | 'money' | 'number' | 'date' | 'list';
export type Cell = string | number | null | string[];

export interface Column {
  key: string;
  label: Label;
  kind: CellKind;
  /** coded values (segment keys): shown with these labels in HTML; JSON and CSV keep the code */
  valueLabels?: Record<string, Label>;
}

/** A list of people or things shown under the table, such as "new on the list". */
export interface ReportSection {
  key: string;
  title: Label;
  items: { id: string; name: string }[];
}

/**
 * What a run produced. `rows` hold one value per column key (money as 2-place decimal strings),
 * `summary` is the machine-readable summary (JSON), `summaryLines` the same for people (HTML).
 * Texts inside rows (reasons) are already in the run's language.
 */
export interface ReportDocument {
  type: ReportType;
  title: Label;
  language: ReportLanguage;
  asOf: string;
  generatedAt: string;
  currency: string;
  runId: string;
  scheduleId: string;
  source: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  summary: Record<string, unknown>;
  summaryLines: { label: Label; value: string }[];
  sections: ReportSection[];
}

export function pick(label: Label, language: ReportLanguage): string {
  return language === 'ar' ? label.ar : label.en;
}
