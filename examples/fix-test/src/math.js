// A tiny module with a bug for the fix-test example: add() subtracts.
export function add(a, b) {
  return a - b;
}
