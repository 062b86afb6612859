// Types for des.js (indutny/des.js, lib/des.js, lib/des/cipher.js, cbc.js, ede.js): the
// part the page's PSKC crypto uses. update/final return plain arrays of bytes.
declare module 'des.js' {
  interface DesCipher {
    update(data: ArrayLike<number>): number[];
    final(): number[];
  }
  interface DesMode {
    create(options: { type: 'encrypt' | 'decrypt'; key: ArrayLike<number>; iv?: ArrayLike<number>; padding?: boolean }): DesCipher;
  }
  const des: { EDE: DesMode; CBC: { instantiate(base: DesMode): DesMode } };
  export default des;
}
