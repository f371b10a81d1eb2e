import { enableGrad, noGrad, Tensor, TorchletError } from '@torchlet/tensor';
import {
  type BaseOptions,
  type Closure,
  Optimizer,
  type OptimizerSpec,
  type ParamsInput,
  type StateValue,
} from '../optimizer.js';
import { checkNonNegative, checkPositiveInt, invalidOption } from '../options.js';
import { gradientsToVector, splitVector } from '../param-vector.js';
import { strongWolfe } from './lbfgs-line-search.js';
import { addScaled_, scale } from './tensor-math.js';

/** Options of {@link LBFGS}. */
export interface LBFGSOptions extends BaseOptions {
  /** Step length (default 1). */
  lr: number;
  /** Iterations per `step()` (default 20). */
  maxIter: number;
  /** Loss evaluations per `step()` (default ⌊maxIter · 5/4⌋). */
  maxEval: number | null;
  /** Stop when the largest gradient entry is at most this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the loss or the step changes less than this (default 1e-9). */
  toleranceChange: number;
  /** Number of curvature pairs kept (default 100). */
  historySize: number;
  /** `'strongWolfe'` for a line search; null (default) for fixed steps of `lr`. */
  lineSearchFn: 'strongWolfe' | null;
}

interface LBFGSState {
  [key: string]: StateValue;
  funcEvals: number;
  nIter: number;
  d: Tensor | null;
  t: number;
  oldDirs: Tensor[];
  oldStps: Tensor[];
  ro: number[];
  hDiag: number;
  prevFlatGrad: Tensor | null;
  prevLoss: number | null;
}

const SPEC: OptimizerSpec<LBFGSOptions> = {
  name: 'LBFGS',
  defaults: {
    lr: 1,
    maxIter: 20,
    maxEval: null,
    toleranceGrad: 1e-7,
    toleranceChange: 1e-9,
    historySize: 100,
    lineSearchFn: null,
  },
  validate(o) {
    checkNonNegative('LBFGS', 'lr', o.lr);
    checkPositiveInt('LBFGS', 'maxIter', o.maxIter);
    if (o.maxEval !== null) checkPositiveInt('LBFGS', 'maxEval', o.maxEval);
    checkNonNegative('LBFGS', 'toleranceGrad', o.toleranceGrad);
    checkNonNegative('LBFGS', 'toleranceChange', o.toleranceChange);
    checkPositiveInt('LBFGS', 'historySize', o.historySize);
    if (o.lineSearchFn !== null && o.lineSearchFn !== 'strongWolfe') {
      invalidOption('LBFGS', 'lineSearchFn', o.lineSearchFn, "null or 'strongWolfe'");
    }
  },
};

const toNumber = (loss: Tensor | number): number => (loss instanceof Tensor ? loss.item() : loss);
const dot = (a: Tensor, b: Tensor): number => a.dot(b).item();
const absMax = (v: Tensor): number => v.abs().amax().item();

/**
 * L-BFGS, as `torch.optim.LBFGS`: a quasi-Newton method for full-batch problems. `step(closure)`
 * runs up to `maxIter` iterations and needs a closure that zeroes grads, computes the loss, calls
 * `backward()` and returns the loss. One param group only; all parameters must share a dtype.
 *
 * @example
 * const opt = new LBFGS([w], { lineSearchFn: 'strongWolfe' });
 * opt.step(() => { opt.zeroGrad(); const loss = f(w); loss.backward(); return loss; });
 */
export class LBFGS extends Optimizer<LBFGSOptions, LBFGSState> {
  constructor(params: ParamsInput<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    super(params, options, SPEC);
    const group = this.paramGroups[0]!;
    group.maxEval ??= Math.floor((group.maxIter * 5) / 4);
  }

  protected initState(): LBFGSState {
    return {
      funcEvals: 0,
      nIter: 0,
      d: null,
      t: 0,
      oldDirs: [],
      oldStps: [],
      ro: [],
      hDiag: 1,
      prevFlatGrad: null,
      prevLoss: null,
    };
  }

  protected update(): void {
    throw new TorchletError('LBFGS: parameters are updated together by step(closure)');
  }

  override addParamGroup(group: Parameters<Optimizer<LBFGSOptions>['addParamGroup']>[0]): void {
    if (this.paramGroups.length > 0) {
      throw new TorchletError("LBFGS: doesn't support per-parameter options (parameter groups)");
    }
    super.addParamGroup(group);
  }

  override step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    if (!closure)
      throw new TorchletError(
        'LBFGS: step() requires a closure that re-evaluates the model and returns the loss',
      );
    const result = noGrad(() => this.run(() => enableGrad(closure)));
    this.stepCount++;
    return result;
  }

  private run<L extends Tensor | number>(closure: () => L): L {
    const group = this.paramGroups[0]!;
    const params = group.params;
    const shapes = params.map((p) => p.shape);
    const { lr, maxIter, toleranceGrad, toleranceChange, historySize } = group;
    const maxEval = group.maxEval ?? Math.floor((maxIter * 5) / 4);
    let st = this.state.get(params[0]!);
    if (st === undefined) this.state.set(params[0]!, (st = this.initState()));
    const state = st;

    const addGrad = (t: number, d: Tensor): void => {
      const parts = splitVector('LBFGS', d, shapes);
      params.forEach((p, i) => {
        addScaled_(p, parts[i]!, t);
      });
    };
    const evaluate = (t: number, d: Tensor) => {
      const saved = params.map((p) => p.clone());
      addGrad(t, d);
      const loss = toNumber(closure());
      const grad = gradientsToVector(params);
      params.forEach((p, i) => {
        p.copy_(saved[i]!);
      });
      return { loss, grad };
    };

    const origLoss = closure();
    let loss = toNumber(origLoss);
    let currentEvals = 1;
    state.funcEvals++;
    let flatGrad = gradientsToVector(params);
    if (absMax(flatGrad) <= toleranceGrad) return origLoss;

    let { d, t, hDiag, prevFlatGrad, prevLoss } = state;
    const { oldDirs, oldStps, ro } = state;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter++;
      if (state.nIter === 1 || d === null || prevFlatGrad === null) {
        d = flatGrad.neg();
        oldDirs.length = 0;
        oldStps.length = 0;
        ro.length = 0;
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad);
        const s = scale(d, t);
        const ys = dot(y, s);
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / dot(y, y);
        }
        // Two-loop recursion: d = −H·g with H the L-BFGS inverse-Hessian estimate.
        const al: number[] = new Array(oldDirs.length).fill(0);
        let q = flatGrad.neg();
        for (let i = oldDirs.length - 1; i >= 0; i--) {
          al[i] = dot(oldStps[i]!, q) * ro[i]!;
          q = q.add(scale(oldDirs[i]!, -al[i]!));
        }
        let r = scale(q, hDiag);
        for (let i = 0; i < oldDirs.length; i++) {
          const beta = dot(oldDirs[i]!, r) * ro[i]!;
          r = r.add(scale(oldStps[i]!, al[i]! - beta));
        }
        d = r;
      }
      prevFlatGrad = flatGrad;
      prevLoss = loss;
      t = state.nIter === 1 ? Math.min(1, 1 / flatGrad.abs().sum().item()) * lr : lr;
      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsEvals = 0;
      let optimal = false;
      if (group.lineSearchFn === 'strongWolfe') {
        const ls = strongWolfe(evaluate, t, d, loss, flatGrad, gtd);
        ({ loss, grad: flatGrad, t } = ls);
        lsEvals = ls.evals;
        addGrad(t, d);
        optimal = absMax(flatGrad) <= toleranceGrad;
      } else {
        addGrad(t, d);
        if (nIter !== maxIter) {
          loss = toNumber(closure());
          flatGrad = gradientsToVector(params);
          optimal = absMax(flatGrad) <= toleranceGrad;
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      state.funcEvals += lsEvals;
      if (nIter === maxIter || currentEvals >= maxEval || optimal) break;
      if (absMax(d) * Math.abs(t) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    Object.assign(state, { d, t, hDiag, prevFlatGrad, prevLoss });
    return origLoss;
  }
}
