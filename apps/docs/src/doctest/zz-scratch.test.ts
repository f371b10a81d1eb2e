import * as torch from 'torchlet';
import { it } from 'vitest';
it('x', () => {
  const output = torch.tensor([[-0.2369, 0.7376, -0.6863, 0.3419, 0.1905]]);
  for (let s = 0; s < 12; s++) {
    torch.manualSeed(s);
    console.log(s, new torch.nn.Dropout(0.75).call(output).toString());
  }
});
