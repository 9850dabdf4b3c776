// The contract the compiler benchmarks compile (bench/compile.mjs) and the fast line
// parser's test holds to nearley (tests/compiler/line-parser.test.ts): every kind of line a
// real contract has — steps with bindings, arguments with lists and objects, checks, nested
// for/if blocks, comments — repeated to the size asked for.

/** A contract of about `lines` lines. */
export function generateContract(lines) {
  const out = ['task bench v0', 'goal "A generated contract for benchmarking."', 'use file.read, tests.run, notes.write', 'deny network.*', 'need files: list[file]', 'need cmd: str', 'budget calls=1000000'];
  let i = 0;
  while (out.length < lines - 1) {
    out.push(
      `# block ${i}`,
      `do file.read(paths=files, note="step ${i}") -> r${i}  # read`,
      `check r${i} has "needle ${i}"`,
      `for f${i} in files`,
      `  if f${i} has ".ts"`,
      `    do notes.write(text=f${i}, meta={index: ${i}, tags: ["a", "b"]})`,
      `do tests.run(cmd=cmd) -> t${i}`,
    );
    i++;
  }
  out.push('return {ok: true, last: r0}');
  return out.join('\n') + '\n';
}
