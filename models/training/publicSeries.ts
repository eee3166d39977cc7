// Public real-world data for evaluation, from the vega-datasets npm package (installed as a dev
// dependency; its files are the datasets Vega's examples use). Read as the tables they are, so a
// benchmark or test can load them into a dataset through the product.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** vega-datasets' data folder (its package exports only its JavaScript entry, beside which the data sits). */
export const VEGA_DATA = path.join(path.dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');

/** A CSV file of the package as records of strings (no quoted commas in the files used here). */
export function vegaCsv(file: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(path.join(VEGA_DATA, file), 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i]!, v])));
}

/** A JSON file of the package. */
export function vegaJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(VEGA_DATA, file), 'utf8')) as T;
}

/** `Jan 1 2000` (stocks.csv, sp500.csv) as `2000-01-01`. */
export function isoDate(text: string): string {
  const d = new Date(`${text} UTC`);
  return d.toISOString().slice(0, 10);
}

/** Monthly CO2 at Mauna Loa (ppm), 1958–2018: a strong trend and a yearly season; one month missing. */
export function co2Series(): { timestamps: string[]; values: number[] } {
  const rows = vegaCsv('co2-concentration.csv');
  return { timestamps: rows.map((r) => r.Date!), values: rows.map((r) => Number(r.CO2)) };
}
