import type { Detector } from '../detector.ts';

/** A device identifier; the separator must be the same throughout. */
export const macAddress: Detector = {
  id: 'mac_address',
  type: 'pii',
  description: 'A MAC (hardware) address: six hexadecimal pairs separated by colons or dashes.',
  pattern: '(?:^|[^0-9A-Fa-f:-])(?P<value>[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5})(?:$|[^0-9A-Fa-f:-])',
  // The first four of six pairs, either separator.
  prefilter: '[0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}',
  validate: (value) => !/^(?:00[:-]){5}00$/.test(value) && !/^(?:ff[:-]){5}ff$/i.test(value),
  confidence: 0.7,
  context: { words: ['mac', 'mac address', 'ether', 'hwaddr', 'bssid', 'device', 'wifi', 'hardware'], confidence: 0.9 },
  positives: ['mac 00:1A:2B:3C:4D:5E', 'hwaddr=3c-22-fb-11-aa-09'],
  negatives: [
    { text: 'mac 00:00:00:00:00:00', reason: 'the all-zero placeholder' },
    { text: 'ff:ff:ff:ff:ff:ff', reason: 'the broadcast address' },
    { text: '00:1A-2B:3C:4D:5E', reason: 'mixed separators' },
    { text: 'at 12:30:45', reason: 'a time of day' },
  ],
};
