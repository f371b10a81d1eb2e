import { zeros, tensor } from '@torchlet/tensor';
import { it } from 'vitest';
it('x', () => { console.log(Array.from(zeros([2]).fill_(3).dataSync()), Array.from(zeros([2,2]).fill_(3).dataSync()), Array.from(tensor([1,2]).fill_(3).dataSync())); });
