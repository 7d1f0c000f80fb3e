/**
 * The HUD line of a scene in plain words ("shot 3 of 20 · blue to shoot", "score 0 : 1 · 3.2 s"),
 * for the app's arenas (renderer/arena.ts) and the replay frames (lab/replay-frames.ts). Pure.
 */
export function formatHud(hud: Record<string, number | string>): string {
  const parts: string[] = [];
  const side = (v: number | string) => (Number(v) === 0 ? 'blue' : 'red');
  const rest = { ...hud };
  if (typeof hud.maxShots === 'number' && typeof hud.shots === 'number') {
    const over = hud.winner !== '' && hud.winner !== undefined;
    parts.push(over ? `${hud.shots} shot${hud.shots === 1 ? '' : 's'} fired` : `shot ${Math.min(hud.shots + 1, hud.maxShots)} of ${hud.maxShots}`);
    if (over) parts.push(hud.winner === 'draw' ? 'draw' : `${side(hud.winner)} won`);
    else if (hud.turn !== undefined && hud.turn !== '') parts.push(`${side(hud.turn)} to shoot`);
    delete rest.maxShots;
    delete rest.shots;
    delete rest.turn;
    delete rest.winner;
  }
  if (typeof hud.wind === 'number') {
    parts.push(`wind ${hud.wind > 0 ? '→' : hud.wind < 0 ? '←' : ''} ${Math.abs(hud.wind).toFixed(2)}`);
    delete rest.wind;
  }
  if (typeof hud.time === 'number') {
    parts.push(`${hud.time.toFixed(1)} s`);
    delete rest.time;
    delete rest.step;
  }
  for (const [k, v] of Object.entries(rest)) {
    if (v === '') continue;
    parts.push(`${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : v}`);
  }
  return parts.join('  ·  ');
}
