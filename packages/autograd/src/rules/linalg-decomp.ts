import {
  diagEmbed,
  diagonal,
  eye,
  linalg,
  narrow,
  noGrad,
  type Tensor,
  TorchletError,
  tril,
} from '@torchlet/tensor';
import { registerGradient } from '../registry.js';

// Gradient rules of the decompositions, solves and trace of @torchlet/tensor's linalg,
// following PyTorch's FunctionsManual.cpp. Every rule is written with differentiable tensor ops
// (inv, solve and matmul record themselves), so double backward works.

function eyeLike(n: number, like: Tensor, m = n): Tensor {
  return eye(n, m, { dtype: like.dtype, device: like.device });
}

/** Lower triangle with the diagonal halved: the adjoint of symmetrizing a lower triangle. */
function trilHalfDiag(x: Tensor): Tensor {
  return tril(x).sub(diagEmbed(diagonal(x, 0, -2, -1)).mul(0.5));
}

/** Whether a gradient is identically zero (the engine passes zeros for unused outputs). */
function isZero(g: Tensor | undefined): boolean {
  return g === undefined || g.dataSync().every((v) => v === 0);
}

const batchScalar = (g: Tensor): Tensor => g.unsqueeze(-1).unsqueeze(-1);

/**
 * The cofactor matrix det(A)·A⁻ᵀ from the SVD: det(U)·det(Vh)·U·diag(Πⱼ≠ᵢ σⱼ)·Vh, which stays
 * finite at singular A where A⁻ᵀ does not. Not differentiable again (computed without a graph).
 */
function cofactor(A: Tensor): Tensor {
  return noGrad(() => {
    const { U, S, Vh } = linalg.svd(A);
    const n = S.shape[S.ndim - 1]!;
    const logS = S.log()
      .unsqueeze(-2)
      .expand([...S.shape, n]);
    // where, not a 0/1 product: log 0 = −∞ and −∞·0 would be NaN.
    const others = logS.where(eyeLike(n, S).eq(0), 0).sum(-1).exp();
    const sign = linalg.det(U).mul(linalg.det(Vh));
    return U.mul(others.unsqueeze(-2)).matmul(Vh).mul(batchScalar(sign));
  });
}

// d det(A) = det(A)·tr(A⁻¹ dA)  ⇒  Ā = ḡ·det(A)·A⁻ᵀ, or ḡ·cofactor(A) where A is singular.
registerGradient('linalgDet', ([g], { inputs: [A], outputs: [d] }) => {
  const singular = d!.dataSync().some((v) => v === 0);
  if (singular) return [cofactor(A!).mul(batchScalar(g!))];
  return [batchScalar(g!.mul(d!)).mul(linalg.inv(A!).mT)];
});

// d log|det A| = tr(A⁻¹ dA); the sign is piecewise constant.
registerGradient('linalgSlogdet', ([, g], { inputs: [A] }) => [batchScalar(g!).mul(linalg.inv(A!).mT)]);

// d(A⁻¹) = −A⁻¹ dA A⁻¹  ⇒  Ā = −A⁻ᵀ Ȳ A⁻ᵀ.
registerGradient('linalgInv', ([g], { outputs: [Y] }) => {
  const yt = Y!.mT;
  return [yt.matmul(g!).matmul(yt).neg()];
});

// X = A⁻¹B  ⇒  B̄ = A⁻ᵀ X̄, Ā = −B̄ Xᵀ (the op broadcasts A and B before recording).
registerGradient('linalgSolve', ([g], { inputs: [A], outputs: [X], needsInputGrad }) => {
  const gB = linalg.solve(A!.mT, g!);
  return [needsInputGrad[0] ? gB.matmul(X!.mT).neg() : null, gB];
});

// A = LLᵀ  ⇒  Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), Φ = lower triangle with halved diagonal.
registerGradient('linalgCholesky', ([g], { outputs: [out], attrs }) => {
  const upper = Boolean(attrs.upper);
  const L = upper ? out!.mT : out!;
  const gL = upper ? g!.mT : g!;
  const Linv = linalg.inv(L);
  const gA = Linv.mT.matmul(trilHalfDiag(L.mT.matmul(gL))).matmul(Linv);
  return [gA.add(gA.mT).mul(0.5)];
});

// A = QR (m ≥ n, R square): Ā = (Q̄ + Q·copyltu(M))·R⁻ᵀ with M = R R̄ᵀ − Q̄ᵀ Q.
registerGradient('linalgQr', ([gQ, gR], { inputs: [A], outputs: [Q, R], attrs }) => {
  const m = A!.shape[A!.ndim - 2]!;
  const n = A!.shape[A!.ndim - 1]!;
  if (attrs.mode === 'r') {
    throw new TorchletError(
      "linalg.qr: the derivative depends on Q, which is not computed with mode 'r'; use mode 'reduced'",
    );
  }
  if (m < n || (attrs.mode === 'complete' && m > n)) {
    throw new TorchletError(
      `linalg.qr: the derivative is implemented for m >= n (reduced mode, or complete with m == n), got a ${m}x${n} input in mode '${attrs.mode}'`,
    );
  }
  const M = R!.matmul(gR!.mT).sub(gQ!.mT.matmul(Q!));
  const copyltu = tril(M).add(tril(M, -1).mT);
  const b = gQ!.add(Q!.matmul(copyltu));
  return [linalg.solve(R!, b.mT).mT];
});

// A = V diag(λ) Vᵀ: Ā = V (diag(λ̄) + skew(Vᵀ V̄) / E) Vᵀ with E_ij = λ_j − λ_i.
registerGradient('linalgEigh', ([gL, gV], { outputs: [L, V] }) => {
  const v = V!;
  let inner = diagEmbed(gL!);
  if (!isZero(gV)) {
    const n = L!.shape[L!.ndim - 1]!;
    const I = eyeLike(n, v);
    const VtgV = v.mT.matmul(gV!);
    const skew = VtgV.sub(VtgV.mT).mul(0.5);
    const E = L!.unsqueeze(-2).sub(L!.unsqueeze(-1)).add(I);
    inner = inner.add(skew.div(E));
  }
  return [v.matmul(inner).matmul(v.mT)];
});

/** The first `k` columns of `x`. */
function firstColumns(x: Tensor, k: number): Tensor {
  return x.shape[x.ndim - 1] === k ? x : narrow(x, -1, 0, k);
}

// PyTorch's svd_backward: with E_jk = σ_k² − σ_j² and skew(X) = X − Xᵀ,
// Ā = U[(skew(UᵀŪ)/E)S + S(skew(VᵀV̄)/E) + diag(S̄)]Vᵀ + (I − UUᵀ)Ū S⁻¹ Vᵀ + U S⁻¹ V̄ᵀ (I − VVᵀ).
// With full matrices only the first k singular vectors enter (the rest are not unique).
registerGradient('linalgSvd', ([gU_, gS, gVh_], { inputs: [A], outputs: [U_, S, Vh_] }) => {
  const m = A!.shape[A!.ndim - 2]!;
  const n = A!.shape[A!.ndim - 1]!;
  const k = Math.min(m, n);
  const U = firstColumns(U_!, k);
  const V = firstColumns(Vh_!.mT, k);
  const s = S!;
  const noU = isZero(gU_);
  const noV = isZero(gVh_);
  let inner = diagEmbed(gS!);
  if (noU && noV) return [U.matmul(inner).matmul(V.mT)];
  const gU = firstColumns(gU_!, k);
  const gV = firstColumns(gVh_!.mT, k);
  const s2 = s.mul(s);
  const E = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eyeLike(k, s));
  const skew = (x: Tensor) => x.sub(x.mT);
  const sRow = s.unsqueeze(-2);
  inner = inner.add(
    skew(U.mT.matmul(gU))
      .mul(sRow)
      .add(s.unsqueeze(-1).mul(skew(V.mT.matmul(gV))))
      .div(E),
  );
  let gA = U.matmul(inner).matmul(V.mT);
  if (m > k && !noU) {
    const w = gU.div(sRow);
    gA = gA.add(w.sub(U.matmul(U.mT.matmul(w))).matmul(V.mT));
  }
  if (n > k && !noV) {
    const w = gV.div(sRow);
    gA = gA.add(U.matmul(w.sub(V.matmul(V.mT.matmul(w))).mT));
  }
  return [gA];
});

// tr(X) = Σ X_ii  ⇒  X̄ = ḡ·I (rectangular I for rectangular X).
registerGradient('trace', ([g], { inputs: [x] }) => [eyeLike(x!.shape[0]!, g!, x!.shape[1]!).mul(g!)]);
