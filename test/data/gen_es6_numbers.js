// Generates es6_numbers.csv: doubles and how ECMAScript writes them
// (JSON.stringify), the form RFC 8785 requires.  Deterministic (seeded
// xorshift), so the file can be regenerated: node gen_es6_numbers.js > es6_numbers.csv
// Each line: the double with 17 significant digits (reads back exactly), its
// IEEE 754 bits in hex, and the expected ES6 form.
let s = 0x2545F4914F6CDD1Dn;
function next() {            // xorshift64*
  s ^= s >> 12n; s ^= (s << 25n) & 0xFFFFFFFFFFFFFFFFn; s ^= s >> 27n;
  return (s * 0x2545F4914F6CDD1Dn) & 0xFFFFFFFFFFFFFFFFn;
}
const buf = new DataView(new ArrayBuffer(8));
function fromBits(b) { buf.setBigUint64(0, b); return buf.getFloat64(0); }
function bits(x) { buf.setFloat64(0, x); return buf.getBigUint64(0).toString(16).padStart(16, '0'); }
const out = new Set();
function add(x) { if (Number.isFinite(x)) out.add(x); }
// edge cases of RFC 8785 Appendix B and friends
[0, 5e-324, 1.7976931348623157e308, 9007199254740992, 9007199254740993, 295147905179352830000,
 9.999999999999997e22, 1e23, 1.0000000000000001e23, 999999999999999700000, 999999999999999900000,
 1e21, 9.999999999999997e-7, 0.000001, 333333333.3333332, 333333333.33333325, 333333333.3333333,
 333333333.3333334, 333333333.33333343, -0.0000033333333333333333, 1424953923781206.2,
 0.1, 0.2, 0.3, 4.5, 2e-3, 1e-27, 1e30, 2.2250738585072014e-308, 2.225073858507201e-308].forEach(x => { add(x); add(-x); });
// powers of ten and their neighbours across the notation boundaries
for (let e = -30; e <= 30; e++) {
  const x = Number('1e' + e);
  const b = BigInt('0x' + bits(x));
  add(x); add(fromBits(b + 1n)); add(fromBits(b - 1n));
}
while (out.size < 5000) {
  const r = next();
  switch (Number(r % 4n)) {
    case 0: add(fromBits(next())); break;                                   // any bit pattern
    case 1: add(Number(next() >> BigInt(Number(next() % 60n)))); break;     // integers, some beyond 2^53
    case 2: add(Number((next() % 100000000n)) / 10 ** Number(next() % 12n)); break;  // short decimals
    case 3: add(fromBits((next() & 0x800FFFFFFFFFFFFFn) | (BigInt(1023 + Number(next() % 140n) - 70) << 52n))); break; // near 1
  }
}
for (const x of out) console.log(`${x.toPrecision(17)},${bits(x)},${JSON.stringify(x)}`);
