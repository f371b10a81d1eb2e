/**
 * torchlet — one import for the whole framework, laid out like PyTorch:
 * tensors and their ops at the top level, `autograd`, `nn` (with `nn.F` and `nn.init`), `optim`
 * and `data` as namespaces.
 *
 * @example
 * import * as torch from 'torchlet';
 * const model = new torch.nn.Sequential(new torch.nn.Linear(2, 8), new torch.nn.Tanh(), new torch.nn.Linear(8, 1));
 * const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
 * const x = torch.randn([16, 2]);
 * const loss = torch.nn.F.mseLoss(model.call(x), x.sum(1, true));
 * loss.backward();
 * opt.step();
 */

export * as autograd from '@torchlet/autograd';
export * as data from '@torchlet/data';
export * as nn from '@torchlet/nn';
export * as optim from '@torchlet/optim';
export * from '@torchlet/tensor';
