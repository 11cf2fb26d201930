import type { Detector } from '../detector.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const isRecordNumber = (value: string) => /^[A-Z0-9-]{5,15}$/.test(value) && /[0-9]{4}/.test(value);

const KEY_WORDS = ['mrn', 'medical record(?: number| no\\.?| #)?', 'patient id'];
const NEAR: AfterWordsOptions = { gap: 6 };

/** Hospitals number records their own way; only "MRN" or "medical record" makes a code one. */
export const medicalRecordNumber: Detector = {
  id: 'medical_record_number',
  type: 'health',
  description: 'A medical record number (5 to 15 capitals, digits, dashes, with 4 digits in a row) after "MRN" or "medical record number".',
  pattern: afterWords(KEY_WORDS, '[A-Z0-9][A-Z0-9-]{3,13}[A-Z0-9]', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[A-Z0-9]', NEAR),
  validate: isRecordNumber,
  confidence: 0.85,
  keyed: { keys: ['mrn', 'medicalrecordnumber', 'medicalrecordno', 'patientid', 'patientmrn'], accepts: isRecordNumber, confidence: 0.85 },
  positives: ['MRN: 00423817', 'medical record number H-2231-7789', { json: { mrn: 'MR-5512890' } }],
  negatives: [
    { text: 'MRN: pending', reason: 'no number' },
    { text: 'MRN: AB-12', reason: 'too short' },
    { text: 'record 00423817', reason: 'no MRN word' },
  ],
};
