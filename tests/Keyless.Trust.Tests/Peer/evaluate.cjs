// Evaluates many trust-policy cases with @cloud-copilot/iam-simulate, in one process.
// stdin: a JSON array of {policy, context}; stdout: a JSON array of "Allowed" | "ExplicitlyDenied" |
// "ImplicitlyDenied" | {error}, one per case, in order.
// The package's public runSimulation validates context keys against the service authorization data and
// drops the generic <provider>:sub/aud keys, and runUnsafeSimulation fails on an unnamed resource policy;
// so this calls the engine runUnsafeSimulation calls, with the policy named.
'use strict';
const path = require('path');
const root = path.join(__dirname, 'node_modules', '@cloud-copilot', 'iam-simulate', 'dist', 'cjs');
const { authorize } = require(path.join(root, 'core_engine', 'CoreSimulatorEngine.js'));
const { AwsRequestImpl } = require(path.join(root, 'request', 'request.js'));
const { RequestContextImpl } = require(path.join(root, 'requestContext.js'));
const { DiscoveryContextKeyConstraints } = require(path.join(root, 'context_keys', 'discoveryContextKeyConstraints.js'));
const { loadPolicy } = require('@cloud-copilot/iam-policy');

const provider = process.argv[2];
const account = provider.split(':')[4];
const role = `arn:aws:iam::${account}:role/keyless-differential`;

function evaluate({ policy, context }) {
  try {
    const request = new AwsRequestImpl(provider, { resource: role, accountId: account }, 'sts:AssumeRoleWithWebIdentity', new RequestContextImpl(context));
    const analysis = authorize({
      request,
      sessionPolicy: undefined,
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: loadPolicy(policy, { name: 'trust' }),
      permissionBoundaries: undefined,
      vpcEndpointPolicies: undefined,
      simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
      serviceSettings: { s3: { blockPublicAccess: undefined } },
    });
    return analysis.result;
  } catch (e) {
    return { error: String(e && e.message || e) };
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(evaluate)));
});
