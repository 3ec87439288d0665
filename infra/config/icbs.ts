import { exampleIcb } from './example-icb.ts';
import { exampleProdIcb } from './example-prod-icb.ts';
import type { IcbConfig, IcbConfigInput } from './types.ts';
import { validateIcbConfig } from './validate.ts';

/** Every ICB this repository can deploy, by the name given to `-c icb=<name>`. */
export const icbs: Record<string, IcbConfigInput> = {
  [exampleIcb.name]: exampleIcb,
  [exampleProdIcb.name]: exampleProdIcb,
};

/** `-c icb` names no known ICB, or is left out while there is more than one to choose from. */
export class IcbSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IcbSelectionError';
  }
}

/**
 * The ICB to deploy: the one `-c icb=<name>` names; left out, the only one there is. With several, leaving it
 * out is an error, so a deployment never quietly becomes another ICB's.
 *
 * @example selectIcb(app.node.tryGetContext('icb')) // 'example-icb'
 */
export function selectIcb(named: unknown): string {
  const known = Object.keys(icbs);
  if (named === undefined || named === '') {
    if (known.length === 1) return known[0] as string;
    throw new IcbSelectionError(`Name the ICB to synthesise: -c icb=<name>, one of ${known.join(', ')}`);
  }
  return String(named);
}

/**
 * The validated config of the named ICB.
 *
 * @example icbConfig(selectIcb(app.node.tryGetContext('icb')))
 */
export function icbConfig(name: string): IcbConfig {
  const input = icbs[name];
  if (input === undefined) {
    throw new IcbSelectionError(
      `Unknown ICB "${name}" (-c icb=${name}): known ICBs are ${Object.keys(icbs).join(', ')}`,
    );
  }
  return validateIcbConfig(input);
}
