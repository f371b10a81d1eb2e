import { describe, it } from 'vitest';
import losses from '../fixtures/losses.json' with { type: 'json' };
import type { Reduction } from '../functional/reduction.js';
import * as nn from '../index.js';
import type { Module } from '../module.js';
import { type Case, checkCase, decode, type Encoded } from '../test-utils/fixtures.js';

type R = { reduction: Reduction };

/** The loss of each fixture case; buffers such as class weights come from the case's state dict. */
const factories: Record<string, (r: R, state: Record<string, Encoded>) => Module> = {
  mse: (r) => new nn.MSELoss(r),
  l1: (r) => new nn.L1Loss(r),
  smoothl1: (r) => new nn.SmoothL1Loss(r),
  smoothl1_beta: (r) => new nn.SmoothL1Loss({ ...r, beta: 0.5 }),
  huber: (r) => new nn.HuberLoss({ ...r, delta: 0.7 }),
  bce: (r) => new nn.BCELoss(r),
  bce_weight: (r, s) => new nn.BCELoss({ ...r, weight: decode(s.weight!) }),
  bce_logits: (r) => new nn.BCEWithLogitsLoss(r),
  bce_logits_posweight: (r, s) => new nn.BCEWithLogitsLoss({ ...r, posWeight: decode(s.pos_weight!) }),
  ce: (r) => new nn.CrossEntropyLoss(r),
  ce_weight: (r, s) => new nn.CrossEntropyLoss({ ...r, weight: decode(s.weight!) }),
  ce_ignore: (r, s) => new nn.CrossEntropyLoss({ ...r, weight: decode(s.weight!), ignoreIndex: -100 }),
  ce_smoothing: (r) => new nn.CrossEntropyLoss({ ...r, labelSmoothing: 0.2 }),
  ce_smoothing_weight_ignore: (r, s) =>
    new nn.CrossEntropyLoss({ ...r, weight: decode(s.weight!), labelSmoothing: 0.1 }),
  ce_probs: (r) => new nn.CrossEntropyLoss(r),
  ce_probs_weight_smoothing: (r, s) =>
    new nn.CrossEntropyLoss({ ...r, weight: decode(s.weight!), labelSmoothing: 0.3 }),
  ce_nd: (r) => new nn.CrossEntropyLoss(r),
  ce_unbatched: (r) => new nn.CrossEntropyLoss(r),
  nll: (r, s) => new nn.NLLLoss({ ...r, weight: decode(s.weight!) }),
  kldiv: (r) => new nn.KLDivLoss(r),
  kldiv_logtarget: (r) => new nn.KLDivLoss({ ...r, logTarget: true }),
  cosine_embedding: (r) => new nn.CosineEmbeddingLoss({ ...r, margin: 0.2 }),
  margin_ranking: (r) => new nn.MarginRankingLoss({ ...r, margin: 0.1 }),
  triplet: (r) => new nn.TripletMarginLoss({ ...r, margin: 1 }),
  triplet_swap_p1: (r) => new nn.TripletMarginLoss({ ...r, margin: 0.5, p: 1, swap: true }),
  hinge_embedding: (r) => new nn.HingeEmbeddingLoss({ ...r, margin: 1.5 }),
  soft_margin: (r) => new nn.SoftMarginLoss(r),
  poisson_nll: (r) => new nn.PoissonNLLLoss(r),
  poisson_nll_full: (r) => new nn.PoissonNLLLoss({ ...r, logInput: false, full: true }),
  gaussian_nll: (r) => new nn.GaussianNLLLoss(r),
  gaussian_nll_full: (r) => new nn.GaussianNLLLoss({ ...r, full: true, eps: 0.05 }),
  multi_margin: (r) => new nn.MultiMarginLoss(r),
  multi_margin_p2_weight: (r, s) =>
    new nn.MultiMarginLoss({ ...r, p: 2, margin: 0.5, weight: decode(s.weight!) }),
  multi_margin_unbatched: (r) => new nn.MultiMarginLoss({ ...r, margin: 2 }),
  multilabel_margin: (r) => new nn.MultiLabelMarginLoss(r),
  multilabel_margin_unbatched: (r) => new nn.MultiLabelMarginLoss(r),
  multilabel_soft_margin: (r) => new nn.MultiLabelSoftMarginLoss(r),
  multilabel_soft_margin_weight: (r, s) =>
    new nn.MultiLabelSoftMarginLoss({ ...r, weight: decode(s.weight!) }),
  triplet_distance: (r) => new nn.TripletMarginWithDistanceLoss(r),
  triplet_distance_cosine_swap: (r) =>
    new nn.TripletMarginWithDistanceLoss({
      ...r,
      distanceFunction: (a, b) => nn.F.cosineSimilarity(a, b).neg().add(1),
      margin: 0.3,
      swap: true,
    }),
};

describe('losses match PyTorch (values and input gradients) for every reduction', () => {
  it('has a factory for every fixture case', () => {
    const missing = Object.keys(losses).filter((k) => !(k.split(':')[0]! in factories));
    if (missing.length > 0) throw new Error(`no factory for ${missing.join(', ')}`);
  });
  for (const [key, c] of Object.entries(losses as unknown as Record<string, Case>)) {
    const [name, reduction] = key.split(':') as [string, Reduction];
    it(key, () => {
      const make = factories[name];
      if (make) checkCase(make({ reduction }, c.state), c);
    });
  }
});
