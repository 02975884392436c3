/**
 * How `smcs eval routing --prices` shows the accuracy–cost frontier: text lines for the terminal, and an SVG chart
 * (`--plot`) of the frontier against every single model — cost on a log axis, because list prices span 100×.
 */
import type { FrontierPoint, SingleModelResult } from '../core/eval/costFrontier';
import { formatUsd } from '../presentation/format';

/** The cost shares of the best single model the summary reports the frontier at. */
const SHARES = [1, 0.9, 0.5, 0.25];

/** The most accurate frontier point costing at most `usd` per 1,000 questions, if any. */
export function bestWithin(frontier: readonly FrontierPoint[], usd: number): FrontierPoint | undefined {
  return frontier.reduce<FrontierPoint | undefined>((best, p) => (p.usdPer1kQuestions <= usd && (!best || p.accuracy > best.accuracy) ? p : best), undefined);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The terminal summary: each model alone (cheapest first), then the frontier at shares of the best model's cost. */
export function costLines(frontier: readonly FrontierPoint[], singles: Readonly<Record<string, SingleModelResult>>, bestModel: string): string[] {
  const rows = Object.entries(singles).sort((a, b) => a[1].usdPer1kQuestions - b[1].usdPer1kQuestions);
  const width = Math.max(...rows.map(([m]) => m.length), 5);
  const best = singles[bestModel];
  const lines = ['', 'single models (USD per 1,000 questions):', ...rows.map(([m, r]) => `  ${m.padEnd(width)}  ${pct(r.accuracy).padStart(6)}  ${formatUsd(r.usdPer1kQuestions)}`)];
  if (!best) return lines;
  lines.push('', `price-aware routing against ${bestModel} (${pct(best.accuracy)} at ${formatUsd(best.usdPer1kQuestions)}):`);
  for (const share of SHARES) {
    const p = bestWithin(frontier, share * best.usdPer1kQuestions);
    const at = `≤ ${share.toFixed(2)}× its cost`;
    lines.push(
      p
        ? `  ${at}: ${pct(p.accuracy)} at ${formatUsd(p.usdPer1kQuestions)} (${(p.usdPer1kQuestions / best.usdPer1kQuestions).toFixed(2)}×, cost weight ${p.costWeight.toPrecision(3)})`
        : `  ${at}: no point of the frontier is that cheap`,
    );
  }
  return lines;
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fixed = (x: number) => x.toFixed(1);

export interface PlotInput {
  frontier: readonly FrontierPoint[];
  singles: Readonly<Record<string, SingleModelResult>>;
  title: string;
}

/** Nice tick values for a log axis between `lo` and `hi` (1, 2, 5 × powers of ten). */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  return ticks;
}

/** Moves label y positions apart (at least `gap` between labels that share a column), keeping their order. */
function spreadLabels(items: { x: number; y: number }[], gap: number): void {
  const sorted = [...items].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) {
    const cur = sorted[i];
    if (!cur) continue;
    for (let j = i - 1; j >= 0; j--) {
      const prev = sorted[j];
      if (prev && Math.abs(prev.x - cur.x) < 150 && cur.y - prev.y < gap) cur.y = prev.y + gap;
    }
  }
}

/** The SVG chart: frontier as a line with its points, each single model as a labelled dot. */
export function frontierSvg(input: PlotInput): string {
  const W = 960;
  const H = 640;
  const m = { left: 72, right: 220, top: 48, bottom: 64 };
  const singles = Object.entries(input.singles);
  const costs = [...input.frontier.map((p) => p.usdPer1kQuestions), ...singles.map(([, r]) => r.usdPer1kQuestions)].filter((c) => c > 0);
  const accs = [...input.frontier.map((p) => p.accuracy), ...singles.map(([, r]) => r.accuracy)];
  const lo = Math.min(...costs) / 1.3;
  const hi = Math.max(...costs) * 1.3;
  const yLo = Math.max(0, Math.floor(Math.min(...accs) * 20) / 20);
  const yHi = Math.min(1, Math.ceil(Math.max(...accs) * 20) / 20 + 0.02);
  const x = (usd: number) => m.left + ((Math.log10(Math.max(usd, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (W - m.left - m.right);
  const y = (acc: number) => H - m.bottom - ((acc - yLo) / (yHi - yLo)) * (H - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="28" font-size="16" font-weight="bold" fill="#111">${escapeXml(`Accuracy–cost frontier: ${input.title}`)}</text>`,
  ];
  for (const t of logTicks(lo, hi)) {
    out.push(`<line x1="${fixed(x(t))}" y1="${m.top}" x2="${fixed(x(t))}" y2="${H - m.bottom}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${fixed(x(t))}" y="${H - m.bottom + 18}" text-anchor="middle" fill="#333">${escapeXml(formatUsd(t))}</text>`);
  }
  for (let a = yLo; a <= yHi + 1e-9; a += 0.05) {
    out.push(`<line x1="${m.left}" y1="${fixed(y(a))}" x2="${W - m.right}" y2="${fixed(y(a))}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${m.left - 8}" y="${fixed(y(a) + 4)}" text-anchor="end" fill="#333">${Math.round(a * 100)}%</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 18}" text-anchor="middle" fill="#111">USD per 1,000 questions (log scale)</text>`);
  out.push(`<text transform="translate(20 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#111">accuracy (share of questions answered right)</text>`);
  const path = [...input.frontier].sort((a, b) => a.usdPer1kQuestions - b.usdPer1kQuestions).map((p, i) => `${i === 0 ? 'M' : 'L'}${fixed(x(p.usdPer1kQuestions))},${fixed(y(p.accuracy))}`);
  out.push(`<path d="${path.join(' ')}" fill="none" stroke="#1f6fd1" stroke-width="2.5"/>`);
  for (const p of input.frontier) out.push(`<circle cx="${fixed(x(p.usdPer1kQuestions))}" cy="${fixed(y(p.accuracy))}" r="2" fill="#1f6fd1"><title>cost weight ${p.costWeight.toPrecision(3)}: ${pct(p.accuracy)} at ${formatUsd(p.usdPer1kQuestions)}</title></circle>`);
  const labels = singles.map(([model, r]) => ({ model, r, x: x(r.usdPer1kQuestions), y: y(r.accuracy) + 4 }));
  spreadLabels(labels, 13);
  for (const l of labels) {
    const cx = x(l.r.usdPer1kQuestions);
    const cy = y(l.r.accuracy);
    out.push(`<circle cx="${fixed(cx)}" cy="${fixed(cy)}" r="4.5" fill="#d1495b"><title>${escapeXml(`${l.model}: ${pct(l.r.accuracy)} at ${formatUsd(l.r.usdPer1kQuestions)}`)}</title></circle>`);
    if (Math.abs(l.y - 4 - cy) > 2) out.push(`<line x1="${fixed(cx + 5)}" y1="${fixed(cy)}" x2="${fixed(cx + 8)}" y2="${fixed(l.y - 4)}" stroke="#d1495b" stroke-width="0.8"/>`);
    out.push(`<text x="${fixed(cx + 9)}" y="${fixed(l.y)}" fill="#222">${escapeXml(l.model)}</text>`);
  }
  const legendX = W - m.right + 16;
  out.push(`<line x1="${legendX}" y1="${m.top + 8}" x2="${legendX + 24}" y2="${m.top + 8}" stroke="#1f6fd1" stroke-width="2.5"/>`);
  out.push(`<text x="${legendX + 30}" y="${m.top + 12}" fill="#111">price-aware routing</text>`);
  out.push(`<text x="${legendX + 30}" y="${m.top + 27}" fill="#555">(one point per cost weight)</text>`);
  out.push(`<circle cx="${legendX + 12}" cy="${m.top + 46}" r="4.5" fill="#d1495b"/>`);
  out.push(`<text x="${legendX + 30}" y="${m.top + 50}" fill="#111">one model alone</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
