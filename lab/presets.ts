import classroom from '../presets/classroom.json' with { type: 'json' };
import curse from '../presets/curse.json' with { type: 'json' };
import hockey from '../presets/hockey.json' with { type: 'json' };
import tails from '../presets/tails.json' with { type: 'json' };
import calibration from '../presets/calibration.json' with { type: 'json' };

/** The presets shipped with Driftlab (presets/*.json), by name. `classroom` is the default. */
export const presets: Record<string, unknown> = { classroom, hockey, curse, tails, calibration };
export const defaultPreset = 'classroom';
export const presetNames = Object.keys(presets);
