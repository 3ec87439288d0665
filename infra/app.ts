import { buildApp } from './stack.ts';

/** The CDK app: one ICB's shared care record stack (`npx cdk synth -c icb=<name>`). */
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
  throw new Error(
    `The CDK app needs Node.js 24, the functions' runtime, not ${process.versions.node}: use npx cdk`,
  );
}

buildApp().app.synth();
