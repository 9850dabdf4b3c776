// The proxy's call budget behind one small interface, so the relay does not care whether
// the count lives in this process or in the project session's ledger shared with other
// proxies and the gate.

export interface CallBudget {
  /** Calls charged so far in this budget's session. */
  used(): number;
  /**
   * Charges one call if `stillAllowed(usedNow)` says the call may proceed at the count
   * as it is at the moment of charging (another proxy may have spent since the call was
   * judged). Returns the count after charging, or undefined when it was not charged.
   */
  charge(stillAllowed: (usedNow: number) => boolean): number | undefined;
  /** `aex.resume`: the count never goes down. */
  raiseTo(used: number): void;
}

/** A budget held by this proxy alone. */
export function memoryBudget(start = 0): CallBudget {
  let n = start;
  return {
    used: () => n,
    charge: (ok) => (ok(n) ? ++n : undefined),
    raiseTo: (u) => void (n = Math.max(n, u)),
  };
}
