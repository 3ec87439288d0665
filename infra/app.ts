import { IcbSelectionError } from './config/icbs.ts';
import { IcbConfigError } from './config/validate.ts';
import { buildApp } from './stack.ts';

/** The CDK app: one ICB's shared care record stack (`npx cdk synth -c icb=<name>`). */
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
  throw new Error(
    `The CDK app needs Node.js 24, the functions' runtime, not ${process.versions.node}: use npx cdk`,
  );
}

try {
  buildApp().app.synth();
} catch (e) {
  // A mistake in the config is the engineer's to fix: say what it is in a few lines, without a stack trace.
  if (e instanceof IcbConfigError || e instanceof IcbSelectionError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
