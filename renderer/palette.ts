/** Arena colours: they live in lab/palette.ts, shared with the replay frames the CLI renders. */
export * from '../lab/palette.ts';
