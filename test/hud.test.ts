import { describe, expect, it } from 'vitest';
import { formatHud } from '../lab/hud.ts';

// The HUD line in plain words: every expected string below is written by hand.

describe('formatHud', () => {
  it('a duel in progress: the shot to come, who shoots, the wind', () => {
    expect(formatHud({ maxShots: 20, shots: 2, turn: 0, winner: '', wind: 0.5 })).toBe('shot 3 of 20  ·  blue to shoot  ·  wind → 0.50');
    expect(formatHud({ maxShots: 20, shots: 0, turn: '1', winner: '', wind: -0.25 })).toBe('shot 1 of 20  ·  red to shoot  ·  wind ← 0.25');
    // the count never passes maxShots; no turn shown when there is none
    expect(formatHud({ maxShots: 20, shots: 20, turn: '' })).toBe('shot 20 of 20');
    expect(formatHud({ maxShots: 3, shots: 1 })).toBe('shot 2 of 3');
    expect(formatHud({ wind: 0 })).toBe('wind  0.00');
  });

  it('a finished duel: shots fired and who won (or a draw)', () => {
    expect(formatHud({ maxShots: 20, shots: 1, turn: 0, winner: 1 })).toBe('1 shot fired  ·  red won');
    expect(formatHud({ maxShots: 20, shots: 7, turn: 1, winner: 0 })).toBe('7 shots fired  ·  blue won');
    expect(formatHud({ maxShots: 20, shots: 0, winner: '0' })).toBe('0 shots fired  ·  blue won');
    expect(formatHud({ maxShots: 5, shots: 5, winner: 'draw' })).toBe('5 shots fired  ·  draw');
  });

  it('hockey: time in seconds (the step count hidden), then the other fields in order', () => {
    expect(formatHud({ score: '0 : 1', time: 3.24, step: 194 })).toBe('3.2 s  ·  score 0 : 1');
    expect(formatHud({ step: 4 })).toBe('step 4');
  });

  it('other fields: integers as they are, other numbers to 2 decimals, strings as they are, empty strings left out', () => {
    expect(formatHud({ speed: 1.5, lives: 3, mode: 'practice', note: '' })).toBe('speed 1.50  ·  lives 3  ·  mode practice');
    // without both shot counts as numbers there is no duel line: turn and winner are plain fields
    expect(formatHud({ maxShots: 5, shots: '3', turn: 0, winner: '' })).toBe('maxShots 5  ·  shots 3  ·  turn 0');
    expect(formatHud({ shots: 2, turn: 1 })).toBe('shots 2  ·  turn 1');
    expect(formatHud({})).toBe('');
  });
});
