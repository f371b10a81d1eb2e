/** A number as the fixture scripts write it: JSON numbers, booleans, or 'nan'/'inf'/'-inf'/'-0'. */
export type Encoded = number | boolean | string;

const SPECIAL: Record<string, number> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-0': -0,
};

/** The number a fixture value stands for (booleans as 0/1). */
export function decode(v: Encoded): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return SPECIAL[v] ?? Number(v);
  return v;
}
