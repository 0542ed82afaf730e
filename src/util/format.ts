/** Number formatting shared by the HTML and Markdown reports. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toPrecision(3)} us`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

export function fmtN(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `1e${e}` : String(n);
}

export function fmtNum(v: number | undefined, digits = 3): string {
  return v === undefined || !Number.isFinite(v) ? '-' : v.toPrecision(digits);
}

/** Checked of timed calls ('1,200 of 9,600'; one number when every call was checked; '-' when unknown). */
export function checkedText(r: { checkedCalls?: number; timedCalls?: number }): string {
  if (r.checkedCalls === undefined) return '-';
  const f = (v: number) => v.toLocaleString('en-US');
  return r.timedCalls === undefined || r.timedCalls === r.checkedCalls ? f(r.checkedCalls) : `${f(r.checkedCalls)} of ${f(r.timedCalls)}`;
}
