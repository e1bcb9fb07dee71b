/**
 * "Show Connection Details" as a document: the status in a sentence, then one titled table per part
 * (session, connection, worker, REST), the last tick of each symbol, the rows refreshed by REST, the
 * registration plan and the recent data gaps. Pure: built once as data, then written as Markdown (what the
 * command returns, for tests and copy-paste) or as HTML for the webview that shows it (details.ts).
 */
import { formatKstClock } from '../../market/time';
import { restSymbolRows } from './restText';
import { at, statsSections, statusView, type StatusInput } from './statusBarModel';

/** One part of the document: a table (with an optional header row) or a list. */
export interface DetailsSection {
  title: string;
  header?: string[];
  rows?: string[][];
  list?: string[];
}

/** The whole document. */
export interface DetailsDocument {
  title: string;
  /** The status bar's text without its icons, and the sentence that explains it. */
  status: string;
  headline: string;
  sections: DetailsSection[];
  footer: string;
}

/** The status bar text without its codicons (`$(pulse)`). */
function withoutIcons(text: string): string {
  return text.replace(/\$\([a-z0-9~-]+\)\s*/g, '').trim();
}

/** The document of the status as it is now; `names` gives a symbol's name for the per-symbol tables. */
export function detailsDocument(input: StatusInput, names: (symbol: string) => string): DetailsDocument {
  const { t, agent } = input;
  const shown = input.shown ?? ((a: number): number => a);
  const view = statusView(input);
  const sections: DetailsSection[] = statsSections(input).map((s) => ({
    title: s.title,
    rows: s.rows.map(([k, v]) => [k, v]),
  }));
  if (agent && Object.keys(agent.lastTickAt).length > 0) {
    const rows = Object.entries(agent.lastTickAt)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([symbol, when]) => [`${names(symbol)} ${symbol}`, at(when, shown)]);
    sections.push({ title: t('Last tick per symbol'), header: [t('Symbol'), t('Last tick')], rows });
  }
  if (input.restSymbols && input.restSymbols.length > 0) {
    sections.push({
      title: t('Refreshed by REST'),
      header: [t('Symbol'), t('REST refresh')],
      rows: restSymbolRows(input.restSymbols, names, t, shown, input.now),
    });
  }
  if (input.plan && input.plan.length > 0) sections.push({ title: t('Registration plan'), list: input.plan });
  const gaps = agent?.recentGaps ?? [];
  if (gaps.length > 0) {
    // KIS does not resend what a lost connection missed: list exactly what each subscription has no data for.
    const rows = [...gaps]
      .reverse()
      .slice(0, 10)
      .map((gap) => [
        `${names(gap.trKey)} ${gap.trKey}`,
        gap.trId,
        gap.to === undefined ? `${at(gap.from, shown)} –` : `${formatKstClock(shown(gap.from))} – ${at(gap.to, shown)}`,
        gap.reason,
      ]);
    sections.push({ title: t('Recent data gaps'), header: [t('Symbol'), 'TR', t('No data'), t('Why')], rows });
  }
  return {
    title: t('KIS Market Monitor: connection details'),
    status: withoutIcons(view.text),
    headline: view.tooltipPlain.split('\n')[0] ?? '',
    sections,
    footer: t('Updated at {0} KST.', formatKstClock(shown(input.now))),
  };
}

/** `text` with Markdown's active characters escaped (table cells, list items). */
function md(text: string): string {
  return text.replace(/[\\`*_[\]|<>#]/g, (c) => `\\${c}`);
}

/** The document as Markdown: headings, tables with a header row, lists. */
export function detailsMarkdown(doc: DetailsDocument): string {
  const out = [`# ${md(doc.title)}`, '', `**${md(doc.status)}**: ${md(doc.headline)}`, ''];
  for (const section of doc.sections) {
    out.push(`## ${md(section.title)}`, '');
    if (section.rows !== undefined) {
      const header = section.header ?? ['', ''];
      out.push(`| ${header.map(md).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
      for (const row of section.rows) out.push(`| ${row.map(md).join(' | ')} |`);
    }
    if (section.list !== undefined) for (const item of section.list) out.push(`- ${md(item)}`);
    out.push('');
  }
  out.push(`*${md(doc.footer)}*`, '');
  return out.join('\n');
}

/** `text` safe inside HTML. */
function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The document as a page for a webview: no script, theme colours and fonts only, a style element allowed
 * by its nonce (CSP `default-src 'none'`).
 */
export function detailsHtml(doc: DetailsDocument, nonce: string, lang: string): string {
  const body: string[] = [
    `<h1>${html(doc.title)}</h1>`,
    `<p><strong>${html(doc.status)}</strong>: ${html(doc.headline)}</p>`,
  ];
  for (const section of doc.sections) {
    body.push(`<h2>${html(section.title)}</h2>`);
    if (section.rows !== undefined) {
      const head =
        section.header === undefined
          ? ''
          : `<thead><tr>${section.header.map((h) => `<th>${html(h)}</th>`).join('')}</tr></thead>`;
      const rows = section.rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => (i === 0 && section.header === undefined ? `<th scope="row">${html(c)}</th>` : `<td>${html(c)}</td>`)).join('')}</tr>`,
        )
        .join('');
      body.push(`<table>${head}<tbody>${rows}</tbody></table>`);
    }
    if (section.list !== undefined)
      body.push(`<ul>${section.list.map((item) => `<li><code>${html(item)}</code></li>`).join('')}</ul>`);
  }
  body.push(`<p class="footer">${html(doc.footer)}</p>`);
  return [
    '<!DOCTYPE html>',
    `<html lang="${html(lang)}">`,
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${html(doc.title)}</title>`,
    `<style nonce="${nonce}">`,
    'body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; max-width: 60em; }',
    'h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.4em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 2px; }',
    'table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 16px 2px 0; vertical-align: top; }',
    'th[scope="row"] { font-weight: normal; color: var(--vscode-descriptionForeground); }',
    'thead th { border-bottom: 1px solid var(--vscode-panel-border); }',
    'code { font-family: var(--vscode-editor-font-family); } .footer { color: var(--vscode-descriptionForeground); margin-top: 2em; }',
    '</style>',
    '</head>',
    `<body>${body.join('\n')}</body>`,
    '</html>',
  ].join('\n');
}

/** The document as Markdown, from the status (the command's text). */
export function renderDetails(input: StatusInput, names: (symbol: string) => string): string {
  return detailsMarkdown(detailsDocument(input, names));
}
