// Types of scripts/gate-crypto.mjs, for its test.
export declare function sha256Hex(bytes: Uint8Array): string;
export declare function createHash(algorithm: string): {
  update(data: string | Uint8Array): ReturnType<typeof createHash>;
  digest(encoding: string): string;
};
