import { TorchletError } from '@torchlet/tensor';

/** A data file that is truncated, corrupt or not in the expected format; the message names the file. */
export class DataFormatError extends TorchletError {
  override name = 'DataFormatError';
}
