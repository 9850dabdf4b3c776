/** A contract of about `lines` lines (bench/contract.mjs). */
export function generateContract(lines: number): string;
