interface CardBrand {
  name: string;
  /** Inclusive ranges of leading digits, e.g. [2221, 2720]; both ends have the same number of digits. */
  prefixes: ReadonlyArray<readonly [number, number]>;
  lengths: readonly number[];
}

/** Issuer prefixes (IIN ranges) and the lengths each network issues. */
const CARD_BRANDS: readonly CardBrand[] = [
  { name: 'visa', prefixes: [[4, 4]], lengths: [13, 16, 19] },
  { name: 'mastercard', prefixes: [[51, 55], [2221, 2720]], lengths: [16] },
  { name: 'amex', prefixes: [[34, 34], [37, 37]], lengths: [15] },
  { name: 'discover', prefixes: [[6011, 6011], [644, 649], [65, 65]], lengths: [16, 17, 18, 19] },
  { name: 'diners', prefixes: [[300, 305], [36, 36], [38, 39]], lengths: [14, 15, 16, 17, 18, 19] },
  { name: 'jcb', prefixes: [[3528, 3589]], lengths: [16, 17, 18, 19] },
  { name: 'unionpay', prefixes: [[62, 62]], lengths: [16, 17, 18, 19] },
];

/** The card network a number of only digits belongs to, or undefined when its prefix and length fit none. */
export function cardBrandOf(digits: string): string | undefined {
  for (const brand of CARD_BRANDS) {
    if (!brand.lengths.includes(digits.length)) continue;
    const matches = brand.prefixes.some(([low, high]) => {
      const lead = Number(digits.slice(0, String(low).length));
      return lead >= low && lead <= high;
    });
    if (matches) return brand.name;
  }
  return undefined;
}
