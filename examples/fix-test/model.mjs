// A scripted model for the fix-test example: no keys, no network. It answers the
// `make patch: diff ...` step with a fixed unified diff and refuses anything else.
const PATCH = `diff --git a/src/math.js b/src/math.js
--- a/src/math.js
+++ b/src/math.js
@@ -1,4 +1,4 @@
 // A tiny module with a bug for the fix-test example: add() subtracts.
 export function add(a, b) {
-  return a - b;
+  return a + b;
 }
`;

export default async function scriptedModel(request) {
  if (request.kind !== 'diff') throw new Error(`scripted model only produces diffs, not ${request.kind}`);
  const sources = request.inputs.find((i) => i.name === 'sources');
  if (!sources || typeof sources.value?.['src/math.js'] !== 'string') throw new Error('expected the contents of src/math.js');
  return PATCH;
}
