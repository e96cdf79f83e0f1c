// Verify a credential with the Digital Credentials Consortium's verifier-core, offline.
//
//   node verify.mjs INPUT.json
//
// INPUT.json: {"credentials": [{...}, ...], "documents": {"https://...": {...}}}. Every HTTP(S) request the
// verifier makes is answered from "documents" (the issuer's status list credential); anything else
// is refused, so the check never touches the network. The issuer is a did:key, which the verifier
// resolves by itself, and the JSON-LD contexts come bundled with it. Prints the verifier's
// responses, one per credential, as JSON.
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = input.documents || {};
const refused = [];

globalThis.fetch = async (resource) => {
  const url = typeof resource === 'string' ? resource : (resource.url ?? String(resource));
  const key = url.split('#')[0];
  if (Object.hasOwn(documents, key)) {
    return new Response(JSON.stringify(documents[key]), {
      status: 200, headers: { 'content-type': 'application/json' }
    });
  }
  refused.push(url);
  throw new TypeError(`offline: ${url} is not served by this test`);
};

console.log = (...args) => console.error(...args);  // keep stdout for the result
const { verifyCredential } = await import('@digitalcredentials/verifier-core');
const results = [];
for (const credential of input.credentials) {
  const result = await verifyCredential({ credential, knownDIDRegistries: [] });
  delete result.credential;
  for (const error of result.errors ?? []) {
    delete error.stackTrace;
  }
  results.push(result);
}
process.stdout.write(JSON.stringify({ results, refused }, null, 2));
