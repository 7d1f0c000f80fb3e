/** Small DOM helpers the page's views share. */

export function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`renderer: #${id} is missing from index.html`);
  return el as T;
}

/** A labelled checkbox (class "check") whose value and text are `name`. */
export function checkLabel(name: string): { label: HTMLLabelElement; cb: HTMLInputElement } {
  const label = document.createElement('label');
  label.className = 'check';
  const cb = document.createElement('input');
  cb.type = 'checkbox';
  cb.value = name;
  label.append(cb, ` ${name}`);
  return { label, cb };
}

/**
 * Fill a select with [value, text] options, keeping the selected value when it is still offered,
 * else selecting `fallback` (or the first option).
 */
export function fillOptions(select: HTMLSelectElement, options: readonly (readonly [string, string])[], keep: string, fallback?: string): void {
  select.replaceChildren(...options.map(([value, textContent]) => Object.assign(document.createElement('option'), { value, textContent })));
  select.value = options.some(([v]) => v === keep) ? keep : (fallback ?? options[0]?.[0] ?? '');
}
