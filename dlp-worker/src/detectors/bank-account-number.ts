import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const isAccountNumber = (value: string) => /^[0-9]{6,17}$/.test(value) && !/^(.)\1+$/.test(value);

const KEY_WORDS = ['account (?:number|no\\.?|#)', 'acct(?: no\\.?| number| #)?', 'bank account', 'checking account', 'savings account', 'kontonummer'];
const NEAR: AfterWordsOptions = { digits: true, gap: 12, outside: '[^0-9-]' };

/** No checksum exists across banks: only the key word makes a digit run an account number. */
export const bankAccountNumber: Detector = {
  id: 'bank_account_number',
  type: 'financial',
  description: 'A bank account number: 6 to 17 digits right after "account number", "acct" or "bank account", or in a member so named.',
  pattern: afterWords(KEY_WORDS, '[0-9]{6,17}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[0-9]', NEAR),
  validate: isAccountNumber,
  confidence: 0.8,
  keyed: { keys: ['accountnumber', 'bankaccount', 'bankaccountnumber', 'acctnumber', 'accountno', 'acctno'], accepts: isAccountNumber, confidence: 0.85 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 4,
  positives: ['account number: 000123456789', 'Acct # 4455667788', 'savings account 12345678', { json: { accountNumber: '987654321012' } }],
  negatives: [
    { text: 'account created 2024', reason: 'a year, too short and no account number word' },
    { text: 'account number: 0000000000', reason: 'one digit repeated: a placeholder' },
    { text: 'order number 12345678', reason: 'an order number, not an account' },
    { json: { account_id: 'acct_1Nv0FGQ9' }, reason: 'an account id with letters, not a bank account number' },
  ],
};
