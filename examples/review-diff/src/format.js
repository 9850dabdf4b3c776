// Formatting helpers for the review-diff example.
export function shout(text) {
  return text.toUpperCase();
}
