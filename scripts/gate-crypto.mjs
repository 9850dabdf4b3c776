// What the gate's bundle gets when its modules import `node:crypto` (scripts/bundle-gate.mjs):
// createHash('sha256') with update() and digest('hex'), the only use the gate path makes
// of it (the compiled-policy cache key, the per-session budget file, the project's state
// folder). Loading node:crypto costs a gate call more CPU than its whole decision, since it
// drags in the cipher, key and stream modules; one SHA-256 in JavaScript of a few hundred
// bytes costs microseconds (HMAC, for audit seals, comes from the real module when used).
// The digests are those of node:crypto, byte for byte
// (tests/gate/gate-crypto.test.ts), so the gate and every other surface agree on cache
// entries and state folders. Anything else throws, which makes the gate exit 2.

// First 32 bits of the fractional parts of the square roots of the first 8 primes.
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/**
 * SHA-256 (FIPS 180-4) of `bytes`, as 64 lowercase hex digits. Written for V8's
 * interpreter, since a gate process hashes a few blocks and exits before anything is
 * optimised: the rotations are inlined and the state lives in locals (about 2.5 times
 * faster cold than the same code with helper calls and an array for the state).
 */
export function sha256Hex(bytes) {
  const length = bytes.length;
  // The message, a 1 bit, zeros, and the bit length as 64 bits: whole 64-byte blocks.
  const padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64);
  padded.set(bytes);
  padded[length] = 0x80;
  const end = padded.length;
  const bits = length * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  for (let k = 0; k < 4; k++) {
    padded[end - 8 + k] = high >>> (24 - 8 * k);
    padded[end - 4 + k] = low >>> (24 - 8 * k);
  }

  let h0 = H0[0] | 0, h1 = H0[1] | 0, h2 = H0[2] | 0, h3 = H0[3] | 0;
  let h4 = H0[4] | 0, h5 = H0[5] | 0, h6 = H0[6] | 0, h7 = H0[7] | 0;
  const w = new Int32Array(64);
  for (let block = 0; block < end; block += 64) {
    for (let i = 0, j = block; i < 16; i++, j += 4) {
      w[i] = (padded[j] << 24) | (padded[j + 1] << 16) | (padded[j + 2] << 8) | padded[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i = 0; i < 64; i++) {
      const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + sum1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (sum0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  let hex = '';
  for (const word of [h0, h1, h2, h3, h4, h5, h6, h7]) hex += (word >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/** node:crypto's createHash, for 'sha256' and digest('hex') only. */
export function createHash(algorithm) {
  if (algorithm !== 'sha256') throw new Error(`the gate's bundled hash does sha256 only, not ${algorithm}`);
  const parts = [];
  let done = false;
  return {
    update(data) {
      if (done) throw new Error('hash already digested');
      if (typeof data === 'string') parts.push(Buffer.from(data, 'utf8'));
      else if (data instanceof Uint8Array) parts.push(data);
      else throw new TypeError('hash input must be a string or bytes');
      return this;
    },
    digest(encoding) {
      if (encoding !== 'hex') throw new Error(`the gate's bundled hash digests to hex only, not ${encoding}`);
      if (done) throw new Error('hash already digested');
      done = true;
      return sha256Hex(Buffer.concat(parts));
    },
  };
}

// Audit seals (HMAC-SHA256) are made only when a key is configured: then, and only then, the
// gate pays for the real node:crypto, taken from the built-ins at the moment it is needed.
function realCrypto() {
  return process.getBuiltinModule('node:crypto');
}

/** node:crypto's randomBytes, from the real module (loaded on first use): the atomic writer's temp names. */
export function randomBytes(...args) {
  return realCrypto().randomBytes(...args);
}

/** node:crypto's createHmac, from the real module (loaded on first use). */
export function createHmac(...args) {
  return realCrypto().createHmac(...args);
}

/** node:crypto's timingSafeEqual, from the real module (loaded on first use). */
export function timingSafeEqual(a, b) {
  return realCrypto().timingSafeEqual(a, b);
}

/** node:crypto's one-shot hash, for 'sha256' to hex only (the audit chain's link). */
export function hash(algorithm, data, encoding) {
  if (algorithm !== 'sha256' || encoding !== 'hex') throw new Error(`the gate's bundled hash does sha256 to hex only, not ${algorithm}/${encoding}`);
  return sha256Hex(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}
