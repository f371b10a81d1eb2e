import { type Tensor, zerosLike } from '@torchlet/tensor';
import { ema, emaSquare } from './tensor-math.js';

/** What the Adam family keeps per parameter: a step count and the two moment averages. */
export interface MomentState {
  step: number;
  /** Moving average of the gradient (first moment). */
  expAvg: Tensor;
  /** Moving average of the squared gradient (second moment). */
  expAvgSq: Tensor;
}

/** Zeroed moments for `param`'s first step. */
export function initMoments(param: Tensor): MomentState {
  return { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
}

/** Folds the gradient `g` into both averages (the caller counts the step). */
export function updateMoments(state: MomentState, g: Tensor, betas: readonly [number, number]): void {
  state.expAvg = ema(state.expAvg, g, betas[0]);
  state.expAvgSq = emaSquare(state.expAvgSq, g, betas[1]);
}
