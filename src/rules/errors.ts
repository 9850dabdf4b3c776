// The one error the rule library throws on purpose. Anything else escaping a matcher
// is a bug; callers treat any throw on a decision path as "fail closed".

/** A rule qualifier, pattern or `where` test that cannot be read. */
export class RuleSyntaxError extends Error {
  override readonly name = 'RuleSyntaxError';
}
