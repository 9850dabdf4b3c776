// A tiny module the review-diff example reviews a change to.
export function greet(name) {
  return 'Hello, ' + name;
}
