import type { HistoryRecord } from './history-record.ts';

const WIDTH = 720;
const HEIGHT = 110;
const PAD = 28;

const VERDICT_COLOR: Record<string, string> = { pass: '#1a7f37', warnings: '#d4a72c', strict: '#bc4c00', critical: '#cf222e', interrupted: '#8c959f' };

const escape = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const day = (iso: string) => escape(iso.replace('T', ' ').slice(0, 16));
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** One line plot: a value per run (undefined: no value that run), y from 0 to the largest value. */
function linePlot(title: string, values: (number | undefined)[], testId: string): string {
  const known = values.filter((v): v is number => v !== undefined);
  const max = Math.max(1, ...known);
  const x = (i: number) => PAD + (values.length <= 1 ? 0 : (i * (WIDTH - 2 * PAD)) / (values.length - 1));
  const y = (v: number) => HEIGHT - PAD / 2 - (v / max) * (HEIGHT - PAD);
  // A gap in the line where a run had no value (the service never became ready).
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === undefined) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));
  const lines = segments.map((points) => `<polyline fill="none" stroke="#0969da" stroke-width="1.5" points="${points}"/>`).join('');
  const lastValue = known.at(-1);
  return (
    `<figure data-testid="${escape(testId)}"><figcaption>${escape(title)}: last ${lastValue === undefined ? '-' : seconds(lastValue)}, max ${seconds(max)}</figcaption>` +
    `<svg width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escape(title)}">` +
    `<line x1="${PAD}" y1="${HEIGHT - PAD / 2}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD / 2}" stroke="#d0d7de"/>` +
    `<text x="2" y="${PAD / 2 + 4}" font-size="10">${seconds(max)}</text><text x="2" y="${HEIGHT - PAD / 2}" font-size="10">0</text>${lines}</svg></figure>`
  );
}

/** One square per run, coloured by its verdict. */
function verdictStrip(records: HistoryRecord[]): string {
  const step = (WIDTH - 2 * PAD) / Math.max(1, records.length);
  const cells = records
    .map((run, i) => `<rect x="${(PAD + i * step).toFixed(1)}" y="4" width="${Math.max(1, step - 1).toFixed(1)}" height="22" fill="${VERDICT_COLOR[run.verdict] ?? '#8c959f'}"><title>${escape(run.endedAt)}: ${escape(run.verdict)}, exit ${run.exitCode}</title></rect>`)
    .join('');
  const counts = ['pass', 'warnings', 'strict', 'critical', 'interrupted'].map((v) => `${records.filter((r) => r.verdict === v).length} ${v}`).join(', ');
  return `<figure data-testid="history-verdicts"><figcaption>verdict per run (green pass, amber warnings, red critical): ${counts}</figcaption><svg width="${WIDTH}" height="30" viewBox="0 0 ${WIDTH} 30" role="img" aria-label="verdict per run">${cells}</svg></figure>`;
}

/** The history page: what a person reads at a glance before a demo. Self-contained, no script. */
export function renderHistoryPage(records: HistoryRecord[], warnings: string[], problems: string[]): string {
  const services = [...new Set(records.flatMap((run) => run.services.map((s) => s.name)))];
  const list = (title: string, items: string[], testId: string) =>
    items.length ? `<h2>${escape(title)}</h2><ul data-testid="${testId}">${items.map((item) => `<li>${escape(item)}</li>`).join('')}</ul>` : '';
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>preflight history</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1f2328}figure{margin:12px 0}figcaption{font-size:13px;margin-bottom:2px}h1{font-size:20px}</style></head><body>',
    `<h1>preflight history: ${records.length} run${records.length === 1 ? '' : 's'}${records.length ? `, ${day(records[0].endedAt)} to ${day(records.at(-1)!.endedAt)} (UTC)` : ''}</h1>`,
    list('Warnings', warnings, 'history-warnings'),
    list('Skipped lines', problems, 'history-problems'),
    verdictStrip(records),
    linePlot('gate duration', records.map((run) => run.durationMs), 'history-duration'),
    ...services.map((name) => linePlot(`${name}: time to ready`, records.map((run) => run.services.find((s) => s.name === name)?.msToReady), `history-ready-${name}`)),
    '</body></html>\n',
  ].join('\n');
}
