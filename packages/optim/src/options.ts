import { TorchletError } from '@torchlet/tensor';
import type { OptimizerSpec } from './optimizer.js';

/** Formats an option value for an error message (`-1`, `[0.9,1.2]`, `'foo'`). */
export function fmtValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(fmtValue).join(',')}]`;
  return String(value);
}

/**
 * Refuses keys of `options` that are not in `known`, naming the closest mistake a user can make:
 * a misspelt option silently ignored would train with the default instead.
 */
export function checkKnownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TorchletError(`${owner}: unknown option '${key}' (known options: ${known.join(', ')})`);
    }
  }
}

function fail(owner: string, name: string, value: unknown, expected: string): never {
  throw new TorchletError(`${owner}: invalid ${name} ${fmtValue(value)} (expected ${expected})`);
}

/** Requires a finite number >= 0 (learning rates, epsilons, weight decay, momentum). */
export function checkNonNegative(owner: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    fail(owner, name, value, `${name} >= 0`);
  }
}

/** Requires a number in [0, 1) (betas, alpha, rho). */
export function checkUnitInterval(owner: string, name: string, value: unknown, closed = false): void {
  const ok = typeof value === 'number' && value >= 0 && (closed ? value <= 1 : value < 1);
  if (!ok) fail(owner, name, value, closed ? `0 <= ${name} <= 1` : `0 <= ${name} < 1`);
}

/** Requires a pair of betas, each in [0, 1). */
export function checkBetas(owner: string, value: unknown): void {
  if (!Array.isArray(value) || value.length !== 2) fail(owner, 'betas', value, 'a pair [beta1, beta2]');
  checkUnitInterval(owner, 'betas[0]', value[0]);
  checkUnitInterval(owner, 'betas[1]', value[1]);
}

/** Requires a positive integer (step sizes, periods, history lengths). */
export function checkPositiveInt(owner: string, name: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) <= 0) fail(owner, name, value, 'a positive integer');
}

/** Requires a boolean flag. */
export function checkBoolean(owner: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') fail(owner, name, value, 'true or false');
}

/** Requires one of a fixed set of strings. */
export function checkChoice(owner: string, name: string, value: unknown, choices: readonly string[]): void {
  if (typeof value !== 'string' || !choices.includes(value)) {
    fail(owner, name, value, `one of ${choices.map(fmtValue).join(', ')}`);
  }
}

/** Throws the standard "invalid option" error for checks that do not fit the helpers above. */
export function invalidOption(owner: string, name: string, value: unknown, expected: string): never {
  fail(owner, name, value, expected);
}

/** Which check each option gets, by name; {@link checkOptions} runs them in this order. */
export interface OptionChecks<O> {
  nonNegative?: readonly (keyof O & string)[];
  /** Numbers in [0, 1] (alpha, rho). */
  fraction?: readonly (keyof O & string)[];
  /** Check `betas` with {@link checkBetas}. */
  betas?: boolean;
  boolean?: readonly (keyof O & string)[];
  choice?: { readonly [K in keyof O & string]?: readonly string[] };
}

/** Runs the declared checks on an options object (the errors name `owner`). */
export function checkOptions<O extends object>(owner: string, options: O, checks: OptionChecks<O>): void {
  const o = options as Record<string, unknown>;
  for (const k of checks.nonNegative ?? []) checkNonNegative(owner, k, o[k]);
  for (const k of checks.fraction ?? []) checkUnitInterval(owner, k, o[k], true);
  if (checks.betas) checkBetas(owner, o.betas);
  for (const k of checks.boolean ?? []) checkBoolean(owner, k, o[k]);
  const choices = Object.entries(checks.choice ?? {}) as [string, readonly string[]][];
  for (const [k, allowed] of choices) checkChoice(owner, k, o[k], allowed);
}

/**
 * An optimizer's spec from its defaults and declared checks; `extra` checks what the declarations
 * cannot (options that constrain each other).
 *
 * @example
 * optimizerSpec('Adamax', { lr: 2e-3, maximize: false }, { nonNegative: ['lr'], boolean: ['maximize'] });
 */
export function optimizerSpec<O extends object>(
  name: string,
  defaults: O,
  checks: OptionChecks<O>,
  extra?: (options: O) => void,
): OptimizerSpec<O> {
  return {
    name,
    defaults,
    validate(options) {
      checkOptions(name, options, checks);
      extra?.(options);
    },
  };
}
