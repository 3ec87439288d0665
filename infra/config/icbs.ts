import { exampleIcb } from './example-icb.ts';
import { exampleProdIcb } from './example-prod-icb.ts';
import type { IcbConfig, IcbConfigInput } from './types.ts';
import { validateIcbConfig } from './validate.ts';

/** Every ICB this repository can deploy, by the name given to `-c icb=<name>`. */
export const icbs: Record<string, IcbConfigInput> = {
  [exampleIcb.name]: exampleIcb,
  [exampleProdIcb.name]: exampleProdIcb,
};

/** The ICB deployed when `-c icb` is not given. */
export const DEFAULT_ICB = 'example-icb';

/**
 * The validated config of the named ICB.
 *
 * @example icbConfig(app.node.tryGetContext('icb') ?? DEFAULT_ICB)
 */
export function icbConfig(name: string): IcbConfig {
  const input = icbs[name];
  if (input === undefined) {
    throw new Error(`Unknown ICB "${name}" (-c icb=${name}): known ICBs are ${Object.keys(icbs).join(', ')}`);
  }
  return validateIcbConfig(input);
}
