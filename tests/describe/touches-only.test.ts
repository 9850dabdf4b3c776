// `check … touches only …` reads diffs with the same parser as the kernel (docs/paths.md).
import { describe, expect, it } from 'vitest';
import { diffError, filesOfDiffText, touchedFiles } from '../../src/runtime/checks.js';

describe('touches only uses the patch parser', () => {
  it('sees quoted names, rename old/new and both sides of a rename', () => {
    expect(filesOfDiffText('--- "a/\\056\\056/x"\n+++ "b/\\056\\056/x"\n@@ -1 +1 @@\n-a\n+b\n')).toEqual(['../x']);
    expect(touchedFiles('diff --git a/ok b/secrets/k\nrename old ok\nrename new secrets/k\n')).toEqual(['ok', 'secrets/k']);
  });

  it('finds nothing in a diff it cannot read, and says why', () => {
    const crafted = 'diff --git a/ok b/ok\n--- a/secrets/k\n+++ b/secrets/k\n@@ -1 +1 @@\n-a\n+b\n';
    expect(filesOfDiffText(crafted)).toEqual([]);
    expect(diffError(crafted)).toMatch(/diff --git line/);
  });
});
