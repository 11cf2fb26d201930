const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads a written date (2024-01-31, 31/01/2024, 01/31/2024, 31.01.2024, 31 January 2024,
 * January 31, 2024) and says whether it is a real calendar date within a plausible birth range.
 */
export function isPlausibleBirthDate(text: string, now = new Date()): boolean {
  const candidates = dateCandidates(text.trim());
  return candidates.some(([year, month, day]) => {
    if (year < 1900 || year > now.getUTCFullYear()) return false;
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getTime() <= now.getTime();
  });
}

function dateCandidates(text: string): Array<[number, number, number]> {
  const iso = /^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$/.exec(text);
  if (iso) return [[Number(iso[1]), Number(iso[2]), Number(iso[3])]];
  const numeric = /^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$/.exec(text);
  if (numeric) {
    const [a, b, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    return [[year, b, a], [year, a, b]];
  }
  const dayFirst = /^([0-9]{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.?,? ([0-9]{4})$/.exec(text);
  if (dayFirst) return withMonth(dayFirst[2]!, Number(dayFirst[3]), Number(dayFirst[1]));
  const monthFirst = /^([A-Za-z]{3,9})\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4})$/.exec(text);
  if (monthFirst) return withMonth(monthFirst[1]!, Number(monthFirst[3]), Number(monthFirst[2]));
  return [];
}

function withMonth(name: string, year: number, day: number): Array<[number, number, number]> {
  const month = MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
  return month === 0 ? [] : [[year, month, day]];
}
