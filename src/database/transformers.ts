import type { ValueTransformer } from 'typeorm';

/** bigint columns arrive from pg as strings; sizes and seqs fit a JS number comfortably. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? 0 : Number(value)),
};
